import pytest

from crm.models import Contact
from tests.factories import ContactFactory, IdentityFactory, InteractionFactory


@pytest.fixture
def citizens(tree):
    dorj = ContactFactory(first_name="Цэрэн", last_name="Дорж", address_unit=tree.k7)
    IdentityFactory(contact=dorj, scheme="national_id", value="УБ45031512")
    IdentityFactory(contact=dorj, scheme="phone", value="+97699112233")
    InteractionFactory.create_batch(3, contact=dorj)
    bat = ContactFactory(first_name="Бат", last_name="Баяр", address_unit=tree.k12)
    InteractionFactory(contact=bat, body="secret of khoroo 12")
    return {"dorj": dorj, "bat": bat}


def test_token_is_issued_for_username_and_password(api, staff):
    response = api.post("/api/v1/auth/token/", {"username": "local7", "password": "pass-12345"})
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/contacts/?q=x").status_code == 200


def test_wrong_password_gets_no_token(api, staff):
    response = api.post("/api/v1/auth/token/", {"username": "local7", "password": "nope"})
    assert response.status_code == 400


def test_anonymous_callers_are_refused(api, db):
    assert api.get("/api/v1/contacts/?q=Дорж").status_code in (401, 403)


@pytest.mark.parametrize(
    "query",
    ["УБ45031512", "уб45031512", "YБ45031512", "99112233", "+976 9911 2233", "Дорж", "дорж цэр"],
)
def test_search_by_national_id_phone_or_name(api, staff, citizens, query):
    response = api.as_user(staff.local7).get("/api/v1/contacts/", {"q": query})
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [citizens["dorj"].pk]


def test_search_never_returns_citizens_outside_the_jurisdiction(api, staff, citizens):
    response = api.as_user(staff.local12).get("/api/v1/contacts/", {"q": "УБ45031512"})
    assert response.json()["count"] == 0


def test_worker_of_another_khoroo_gets_404_for_contact_and_timeline(api, staff, citizens):
    client = api.as_user(staff.local12)
    dorj = citizens["dorj"].pk
    assert client.get(f"/api/v1/contacts/{dorj}/").status_code == 404
    assert client.get(f"/api/v1/contacts/{dorj}/timeline/").status_code == 404


def test_own_khoroo_and_district_and_agent_can_read_the_timeline(api, staff, citizens):
    dorj = citizens["dorj"].pk
    for user in (staff.local7, staff.district, staff.agent, staff.supervisor):
        response = api.as_user(user).get(f"/api/v1/contacts/{dorj}/timeline/")
        assert response.status_code == 200, user.username
        assert response.json()["count"] == 3


def test_district_worker_of_another_district_cannot_read(api, staff, citizens):
    dorj = citizens["dorj"].pk
    assert api.as_user(staff.district_sbd).get(f"/api/v1/contacts/{dorj}/").status_code == 404


def test_contact_detail_shows_identities(api, staff, citizens):
    body = api.as_user(staff.local7).get(f"/api/v1/contacts/{citizens['dorj'].pk}/").json()
    assert {i["value"] for i in body["identities"]} == {"УБ45031512", "+97699112233"}
    assert body["address_unit"]["name"] == "7-р хороо"


def test_agent_merges_a_duplicate_through_the_api(api, staff, citizens, tree):
    duplicate = ContactFactory(first_name="", last_name="", address_unit=None)
    IdentityFactory(contact=duplicate, value="+97688000001")
    response = api.as_user(staff.agent).post(
        f"/api/v1/contacts/{citizens['dorj'].pk}/merge/",
        {"duplicate": duplicate.pk, "reason": "caller confirmed"},
        format="json",
    )
    assert response.status_code == 200
    assert "+97688000001" in {i["value"] for i in response.json()["identities"]}
    assert Contact.objects.get(pk=duplicate.pk).merged_into_id == citizens["dorj"].pk


def test_supervisor_cannot_merge(api, staff, citizens):
    response = api.as_user(staff.supervisor).post(
        f"/api/v1/contacts/{citizens['dorj'].pk}/merge/",
        {"duplicate": citizens["bat"].pk},
        format="json",
    )
    assert response.status_code == 403
    assert Contact.objects.get(pk=citizens["bat"].pk).merged_into is None


def test_a_long_timeline_pages_newest_first_without_repeats(api, staff, tree):
    import datetime as dt

    from django.utils import timezone

    contact = ContactFactory(address_unit=tree.k7)
    now = timezone.now()
    made = [
        InteractionFactory(contact=contact, occurred_at=now - dt.timedelta(minutes=i // 2))
        for i in range(30)
    ]
    client = api.as_user(staff.local7)
    first = client.get(f"/api/v1/contacts/{contact.pk}/timeline/").json()
    second = client.get(first["next"]).json()
    assert (first["count"], first["count_exact"], len(first["results"])) == (30, True, 25)
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert sorted(ids) == sorted(i.pk for i in made) and len(set(ids)) == 30
    assert second["next"] is None
    assert client.get(f"/api/v1/contacts/{contact.pk}/timeline/?page=3").status_code == 404
