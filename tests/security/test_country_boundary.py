"""One deployment, two countries: nobody reads or gets work across the border."""

from __future__ import annotations

import pytest

from cases.models import Case, Status
from cases.transitions import case_apply_action
from crm import services as crm_services
from crm.models import Conversation, Identity, Role
from tests.cases.conftest import attach_placement_papers, complete_draft
from tests.cases.factories import FacilityFactory, facility_staff
from tests.factories import UserFactory


def _sms(phone: str, n: int):
    return crm_services.inbound_message_record(
        channel="sms",
        scheme=Identity.Scheme.PHONE,
        address=phone,
        body="Сайн байна уу",
        provider_message_id=f"SMborder{n:06d}",
    )


@pytest.mark.django_db
def test_unplaced_sender_belongs_to_the_country_of_the_phone_number(api, staff, kz):
    mongolian = _sms("+97699112201", 1).contact
    kazakh = _sms("+77012345678", 2).contact
    assert (mongolian.country, kazakh.country) == ("MN", "KZ")
    url = f"/api/v1/contacts/{mongolian.pk}/timeline/"
    assert api.as_user(kz.agent).get(url).status_code == 404
    assert api.as_user(kz.supervisor).get(url).status_code == 404
    assert api.as_user(staff.agent).get(url).status_code == 200
    assert api.as_user(kz.agent).get(f"/api/v1/contacts/{kazakh.pk}/timeline/").status_code == 200
    assert api.as_user(staff.agent).get(f"/api/v1/contacts/{kazakh.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_auto_assignment_never_hands_a_conversation_across_the_border(tree, kz):
    mn_agent = UserFactory(
        username="mn.desk",
        role=Role.AGENT,
        unit=tree.country,
        availability="available",
        max_open_conversations=100,
    )
    kz.agent.availability = "available"
    kz.agent.max_open_conversations = 100
    kz.agent.save()
    for n in range(16):
        _sms(f"+9769911{n:04d}", 100 + n)
    assignees = set(
        Conversation.objects.filter(contact__country="MN").values_list("assignee", flat=True)
    )
    assert assignees == {mn_agent.pk}
    _sms("+77012345670", 200)
    assert Conversation.objects.get(contact__country="KZ").assignee_id == kz.agent.pk


@pytest.mark.django_db
def test_a_case_cannot_be_opened_on_a_citizen_with_no_unit(api, staff, kz, placement):
    unplaced = _sms("+97699112202", 3).contact
    response = api.as_user(staff.agent).post(
        "/api/v1/cases/", {"contact": unplaced.pk, "service": placement.code}, format="json"
    )
    assert response.status_code == 400
    assert "Identify them first" in response.json()["detail"]
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_post_cases_is_no_existence_oracle(api, staff, kz, placement, citizen):
    client = api.as_user(kz.local)
    foreign = client.post(
        "/api/v1/cases/", {"contact": citizen.pk, "service": placement.code}, format="json"
    )
    missing = client.post(
        "/api/v1/cases/", {"contact": citizen.pk + 10_000, "service": placement.code}, format="json"
    )
    assert foreign.status_code == missing.status_code == 400
    # The same words for both, apart from the number that was sent.
    assert foreign.json()["errors"]["contact"][0].replace(str(citizen.pk), "N") == missing.json()[
        "errors"
    ]["contact"][0].replace(str(citizen.pk + 10_000), "N")


@pytest.mark.django_db
def test_facilities_are_listed_across_the_callers_country_only(api, staff, tree, kz):
    ub_home = FacilityFactory(name="UB home", unit=tree.skh)
    other_ub_home = FacilityFactory(name="Another UB home", unit=tree.sbd)
    kz_home = FacilityFactory(name="Zerendi home", unit=kz.district)

    def names(user):
        response = api.as_user(user).get("/api/v1/facilities/?page_size=100")
        assert response.status_code == 200
        rows = response.json()
        rows = rows["results"] if isinstance(rows, dict) else rows
        return {row["name"] for row in rows}

    assert names(staff.local7) == {ub_home.name, other_ub_home.name}
    assert names(kz.district_worker) == {kz_home.name}
    assert names(staff.admin) >= {ub_home.name, kz_home.name}
    assert api.as_user(staff.district).get(f"/api/v1/facilities/{kz_home.pk}/").status_code == 404
    home_staff = facility_staff(kz_home, "kz.carehome")
    assert names(home_staff) == {kz_home.name}


@pytest.mark.django_db
def test_care_home_staff_read_only_their_placement_of_a_residents_timeline(
    api, staff, new_case, carehome, carehome_staff, citizen
):
    from cases.models import Service
    from cases.services import case_create

    placement_case = complete_draft(new_case(citizen))
    placement_case = case_apply_action(case=placement_case, action="submit", actor=staff.local7)
    attach_placement_papers(placement_case)
    placement_case = case_apply_action(
        case=placement_case,
        action="allocate",
        actor=staff.district,
        payload={"facility": carehome.pk},
    )
    assert placement_case.status == Status.ALLOCATED
    allowance = Service.objects.exclude(code=placement_case.service.code).first()
    other = case_create(
        beneficiary=citizen, service=allowance, actor=staff.local7, origin_channel="walk_in"
    )
    _sms_contact = crm_services.interaction_record(
        contact=citizen,
        channel="sms",
        direction="in",
        kind="message",
        body="private message about money",
    )
    response = api.as_user(carehome_staff).get(f"/api/v1/contacts/{citizen.pk}/timeline/")
    assert response.status_code == 200
    bodies = [row["body"] for row in response.json()["results"]]
    assert bodies and all(placement_case.number in body for body in bodies)
    assert not any(other.number in body for body in bodies)
    assert "private message about money" not in bodies
    full = api.as_user(staff.local7).get(f"/api/v1/contacts/{citizen.pk}/timeline/").json()
    assert full["count"] > len(bodies)
