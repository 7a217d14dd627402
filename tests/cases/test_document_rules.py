"""The rules the console and the API both read from the cases app: how long a paper is valid
(calendar months, as the submit step checks), who may open a health paper, and which care
homes a case may be allocated to (the ward for the person's sex)."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.documents import issue_date_valid, may_open_document, valid_until
from cases.models import CaseDocument
from cases.selectors import case_facility_choices, case_selectable_facilities
from crm.errors import ValidationFailed
from tests.factories import AdminUnitFactory, ContactFactory

from .factories import CaseDocumentFactory, FacilityFactory

D = dt.date


@pytest.mark.parametrize(
    ("today", "issued", "valid"),
    [
        # Exactly three months ago, and one day more.
        (D(2026, 6, 15), D(2026, 3, 15), True),
        (D(2026, 6, 15), D(2026, 3, 14), False),  # 93 days: the old 31-day rule said valid
        # Month ends: three months before 31 May is the end of February.
        (D(2026, 5, 31), D(2026, 2, 28), True),
        (D(2026, 5, 31), D(2026, 2, 27), False),
        (D(2026, 5, 29), D(2026, 2, 28), True),
        (D(2028, 5, 31), D(2028, 2, 29), True),  # a leap year
        (D(2028, 5, 31), D(2028, 2, 28), False),
        (D(2026, 3, 31), D(2025, 12, 31), True),  # over the new year
        (D(2026, 3, 31), D(2025, 12, 30), False),
        (D(2026, 3, 1), D(2025, 12, 1), True),
        (D(2026, 3, 1), D(2025, 11, 30), False),
        (D(2026, 5, 31), None, False),  # undated: nobody can tell how old it is
    ],
)
def test_a_three_month_paper_is_valid_for_three_calendar_months(today, issued, valid):
    assert issue_date_valid(issued, 3, today) is valid


def test_a_paper_without_a_validity_period_is_neither_valid_nor_expired():
    assert issue_date_valid(D(2000, 1, 1), None, D(2026, 1, 1)) is None
    assert valid_until(D(2000, 1, 1), None) is None


def test_valid_until_is_the_last_day_the_rule_says_yes_for_every_issue_date():
    issued = D(2027, 1, 1)
    while issued < D(2029, 1, 1):
        last = valid_until(issued, 3)
        assert issue_date_valid(issued, 3, last), issued
        assert not issue_date_valid(issued, 3, last + dt.timedelta(days=1)), issued
        issued += dt.timedelta(days=1)
    # Issued on 28 February, valid to the end of May (every May day from the 28th on looks
    # back to the end of February).
    assert valid_until(D(2026, 2, 28), 3) == D(2026, 5, 31)
    assert valid_until(D(2026, 3, 15), 3) == D(2026, 6, 15)


def _certificate(case, issued):
    health = case.service.documents.get(code="health_certificate")
    return CaseDocumentFactory(case=case, required_document=health, issue_date=issued)


def test_the_submit_step_and_the_selectors_agree_on_exactly_three_months(
    new_case, staff, monkeypatch
):
    from cases.selectors import case_document_rows
    from cases.transitions import case_apply_action

    from .conftest import complete_draft

    today = D(2026, 5, 31)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)
    case = complete_draft(new_case())
    case.documents.filter(required_document__code="health_certificate").delete()
    old = _certificate(case, D(2026, 2, 27))
    row = next(r for r in case_document_rows(case=case) if r.required.code == "health_certificate")
    assert (row.valid, row.state) == (False, "expired")
    with pytest.raises(ValidationFailed) as refused:
        case_apply_action(case=case, action="submit", actor=staff.local7)
    assert "expired_health_certificate" in str(refused.value.details)

    old.delete()
    _certificate(case, D(2026, 2, 28))
    row = next(r for r in case_document_rows(case=case) if r.required.code == "health_certificate")
    assert (row.valid, row.valid_until, row.state) == (True, D(2026, 5, 31), "attached")
    case = case_apply_action(case=case, action="submit", actor=staff.local7)
    assert case.status == "submitted"


def test_health_papers_are_closed_to_the_call_centre_only(new_case, staff, carehome_staff):
    case = new_case()
    certificate = _certificate(case, D(2026, 1, 1))
    application = CaseDocumentFactory(
        case=case, required_document=case.service.documents.get(code="application")
    )
    decree = CaseDocumentFactory(
        case=case, kind=CaseDocument.Kind.GOVERNOR_DECREE, required_document=None
    )
    for user in (staff.agent, staff.supervisor):
        assert not may_open_document(user, certificate)
        assert may_open_document(user, application) and may_open_document(user, decree)
    for user in (staff.local7, staff.district, staff.admin, carehome_staff):
        assert may_open_document(user, certificate)


# --- care homes ---------------------------------------------------------------------------


@pytest.fixture
def homes(tree):
    """In the case's district: one with free beds only for women, one mixed, one for both
    sexes, one whose accreditation ran out; one in Kazakhstan."""
    kz = AdminUnitFactory(code="KZ", level=0, name="Қазақстан", parent=None)
    return {
        "women_only_free": FacilityFactory(
            name="A women free", unit=tree.skh, beds={"F": 3, "M": 0}
        ),
        "mixed": FacilityFactory(name="B mixed", unit=tree.skh, beds=2),
        "both": FacilityFactory(name="C both", unit=tree.sbd, beds={"F": 1, "M": 1}),
        "expired": FacilityFactory(
            name="D expired",
            unit=tree.skh,
            beds=4,
            accreditation_valid_until=D(2020, 1, 1),
        ),
        "kz": FacilityFactory(name="E kz", unit=kz, beds=9),
    }


def test_a_home_with_free_beds_only_in_the_other_sexs_ward_is_not_offered(
    submitted_case, homes, staff
):
    from cases.transitions import case_apply_action

    man = submitted_case(sex="M")
    woman = submitted_case(sex="F")
    by_name = {c.facility.name: c for c in case_facility_choices(case=man)}
    assert "E kz" not in by_name  # another country's home is never a choice
    assert by_name["A women free"].problem == "no_free_bed"
    assert by_name["A women free"].free == 0 and by_name["A women free"].ward.sex == "M"
    assert by_name["D expired"].problem == "facility_not_accredited"
    assert {f.name for f in case_selectable_facilities(case=man)} == {"B mixed", "C both"}
    assert {f.name for f in case_selectable_facilities(case=woman)} == {
        "A women free",
        "B mixed",
        "C both",
    }
    # The district's own homes first, those that may be chosen at the top.
    order = [c.facility.name for c in case_facility_choices(case=man)]
    assert order[0] == "B mixed" and order[-1] == "C both"
    # The allocate step agrees: refused for the man, taken for the woman.
    with pytest.raises(ValidationFailed) as refused:
        case_apply_action(
            case=man,
            action="allocate",
            actor=staff.district,
            payload={"facility": homes["women_only_free"].pk},
        )
    assert "no_free_bed" in str(refused.value.details)
    woman = case_apply_action(
        case=woman,
        action="allocate",
        actor=staff.district,
        payload={"facility": homes["women_only_free"].pk},
    )
    assert woman.ward.sex == "F"


def test_a_person_of_unknown_sex_cannot_be_given_a_home_with_separate_wards(
    submitted_case, homes, tree
):
    case = submitted_case(ContactFactory(address_unit=tree.k7, sex=""))
    by_name = {c.facility.name: c for c in case_facility_choices(case=case)}
    assert by_name["C both"].problem == "sex_unknown"
    assert by_name["B mixed"].selectable
