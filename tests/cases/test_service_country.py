"""Services belong to a country: a Kazakh worker is offered Kazakh services only."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from cases import services
from cases.models import Case, Service
from cases.selectors import services_offered
from crm.errors import ValidationFailed
from crm.models import Commission, Role
from tests.factories import ContactFactory, ConversationFactory, UserFactory

from .kz import kz_office


@pytest.fixture
def kz(db):
    return kz_office()


def test_catalogue_api_offers_a_kazakh_worker_only_kazakh_services(api, kz, staff):
    kz_codes = set(Service.objects.filter(country="KZ").values_list("code", flat=True))
    assert "kz-care-home-placement" in kz_codes

    answer = api.as_user(kz.clerk).get("/api/v1/services/")

    assert answer.status_code == 200
    rows = answer.json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert {row["code"] for row in rows} == kz_codes
    assert {row["country"] for row in rows} == {"KZ"}
    assert all(row["currency"] in ("", "KZT") for row in rows)


def test_catalogue_api_offers_a_mongolian_worker_services_in_tugrik(api, staff):
    answer = api.as_user(staff.local7).get("/api/v1/services/")

    rows = answer.json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    codes = {row["code"] for row in rows}
    assert "care-home-placement" in codes and "kz-care-home-placement" not in codes
    assert {row["currency"] for row in rows} <= {"", "MNT"}
    assert "MNT" in {row["currency"] for row in rows}


def test_catalogue_api_takes_a_country_or_unit_and_rejects_an_unknown_country(api, kz, staff):
    client = api.as_user(staff.admin)
    by_country = client.get("/api/v1/services/?country=kz").json()
    by_unit = client.get(f"/api/v1/services/?unit={kz.okrug.pk}").json()
    unknown = client.get("/api/v1/services/?country=RU")

    def codes(rows):
        rows = rows["results"] if isinstance(rows, dict) else rows
        return {row["code"] for row in rows}

    assert codes(by_country) == codes(by_unit)
    assert "kz-care-home-placement" in codes(by_country)
    assert unknown.status_code == 400
    assert "RU" in unknown.json()["detail"]


def test_selector_uses_the_units_country_and_the_default_without_one(kz, settings):
    settings.CRM_COUNTRY = "KZ"
    assert set(services_offered(unit=None)) == set(services_offered(unit=kz.okrug))
    settings.CRM_COUNTRY = "MN"
    assert not services_offered(unit=None).filter(country="KZ").exists()


def test_a_case_cannot_follow_another_countrys_service(kz):
    citizen = ContactFactory(address_unit=kz.okrug)
    mongolian = Service.objects.get(code="care-home-placement")

    with pytest.raises(ValidationFailed) as error:
        services.case_create(
            beneficiary=citizen, service=mongolian, actor=kz.clerk, origin_channel="walk_in"
        )

    assert "kz-care-home-placement" in str(error.value)
    assert not Case.objects.filter(beneficiary=citizen).exists()


def test_api_refuses_a_mongolian_service_for_a_kazakh_citizen_with_400(api, kz):
    citizen = ContactFactory(address_unit=kz.okrug)

    answer = api.as_user(kz.clerk).post(
        "/api/v1/cases/",
        {"contact": citizen.pk, "service": "care-home-placement"},
        format="json",
    )

    assert answer.status_code == 400
    assert "kz-care-home-placement" in answer.json()["detail"]


def test_console_intake_lists_the_citizens_countrys_services(client, kz):
    agent = UserFactory(username="kz.agent", role=Role.AGENT, unit=kz.country)
    citizen = ContactFactory(address_unit=kz.okrug)
    conversation = ConversationFactory(contact=citizen)
    client.force_login(agent)

    page = client.get(f"/console/conversations/{conversation.pk}/case/")

    assert page.status_code == 200
    html = page.content.decode()
    kz_placement = Service.objects.get(code="kz-care-home-placement")
    mongolian = Service.objects.get(code="care-home-placement")
    assert f'value="{kz_placement.pk}"' in html
    assert f'value="{mongolian.pk}"' not in html


def test_a_commission_member_sits_on_exactly_one_commission(kz):
    assert kz.local_commission.duty == "commission_member:local"
    assert kz.special_commission.duty == "commission_member:special"
    assert kz.clerk.duty == "clerk"
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="nobody", role=Role.COMMISSION_MEMBER, commission="")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="clerk2", role=Role.CLERK, commission=Commission.LOCAL)
