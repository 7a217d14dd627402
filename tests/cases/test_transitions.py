"""The state machine through its one service function: guards, beds, events, signals."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases import events
from cases.models import CaseEvent, Status, Ward
from cases.transitions import case_apply_action
from crm.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from crm.models import Interaction

from .conftest import attach_placement_papers, complete_draft
from .factories import CaseDocumentFactory, FacilityFactory


def _beds(facility) -> tuple[int, int, int]:
    totals = facility.bed_totals()
    return totals["occupied"], totals["reserved"], totals["free"]


def test_full_placement_walk_counts_beds_and_writes_history(
    new_case, staff, carehome, carehome_staff, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    events.case_transitioned.connect(listener)
    try:
        case = complete_draft(new_case())
        with django_capture_on_commit_callbacks(execute=True):
            case = case_apply_action(case=case, action="submit", actor=staff.local7)
        assert case.status == Status.SUBMITTED
        assert case.submitted_at is not None
        assert case.due_date is not None
        attach_placement_papers(case)
        case = case_apply_action(
            case=case, action="allocate", actor=staff.district, payload={"facility": carehome.pk}
        )
        assert case.status == Status.ALLOCATED and case.facility == carehome
        assert _beds(carehome) == (0, 1, 4)
        case = case_apply_action(case=case, action="accept", actor=carehome_staff)
        assert case.status == Status.WAITLISTED
        assert _beds(carehome) == (0, 1, 4)
        case = case_apply_action(
            case=case,
            action="admit",
            actor=carehome_staff,
            payload={"admitted_on": timezone.localdate(), "room": "3", "bed": "B"},
        )
        assert case.status == Status.IN_SERVICE
        assert (case.admitted_on, case.room, case.bed) == (timezone.localdate(), "3", "B")
        assert _beds(carehome) == (1, 0, 4)
        case = case_apply_action(case=case, action="discharge", actor=carehome_staff)
        assert case.status == Status.DISCHARGED
        assert case.facility == carehome  # where the person lived stays on record
        assert _beds(carehome) == (0, 0, 5)
    finally:
        events.case_transitioned.disconnect(listener)

    history = list(case.events.values_list("action", "from_status", "to_status"))
    assert history == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("allocate", "submitted", "allocated"),
        ("accept", "allocated", "waitlisted"),
        ("admit", "waitlisted", "in_service"),
        ("discharge", "in_service", "discharged"),
    ]
    assert received[0]["action"] == "submit"
    assert received[0]["from_status"] == "draft" and received[0]["to_status"] == "submitted"
    timeline = Interaction.objects.filter(contact=case.beneficiary, kind="case_event")
    assert timeline.count() == 6  # opened + five transitions


def test_decline_releases_the_bed_and_requeues(submitted_case, staff, carehome, carehome_staff):
    case = submitted_case()
    case = case_apply_action(
        case=case, action="allocate", actor=staff.district, payload={"facility": carehome.pk}
    )
    case = case_apply_action(
        case=case, action="decline", actor=carehome_staff, payload={"reason": "No nurse"}
    )
    assert case.status == Status.SUBMITTED
    assert case.facility is None
    assert _beds(carehome) == (0, 0, 5)


def test_cancel_of_waitlisted_case_releases_its_bed(
    submitted_case, staff, carehome, carehome_staff
):
    case = submitted_case()
    case = case_apply_action(
        case=case, action="allocate", actor=staff.district, payload={"facility": carehome.pk}
    )
    case = case_apply_action(case=case, action="accept", actor=carehome_staff)
    case = case_apply_action(
        case=case, action="cancel", actor=staff.district, payload={"reason": "Moved abroad"}
    )
    assert case.status == Status.CANCELLED and case.facility is None
    assert _beds(carehome) == (0, 0, 5)


def test_submit_lists_everything_missing(new_case, staff):
    case = new_case()
    with pytest.raises(ValidationFailed) as err:
        case_apply_action(case=case, action="submit", actor=staff.local7)
    codes = [d["code"] for d in err.value.details]
    assert "reason_for_care_missing" in codes
    assert codes.count("missing_document") == 4  # the disability decision does not apply
    assert "health_status_incomplete" in codes
    assert "Application" in err.value.message
    assert CaseEvent.objects.filter(case=case).count() == 1  # nothing changed


def test_wrong_role_status_and_jurisdiction(new_case, submitted_case, staff, carehome):
    draft = new_case()
    with pytest.raises(NotAllowed):
        case_apply_action(case=draft, action="submit", actor=staff.district)
    with pytest.raises(Conflict):
        case_apply_action(
            case=draft, action="allocate", actor=staff.district, payload={"facility": carehome.pk}
        )
    with pytest.raises(NotFound):
        case_apply_action(case=draft, action="submit", actor=staff.local12)


def test_stale_health_certificate_blocks_submit(new_case, staff):
    case = complete_draft(new_case())
    health = case.documents.get(required_document__code="health_certificate")
    old = timezone.localdate() - relativedelta(months=3) - dt.timedelta(days=1)
    type(health).objects.filter(pk=health.pk).update(issue_date=old)
    with pytest.raises(ValidationFailed) as err:
        case_apply_action(case=case, action="submit", actor=staff.local7)
    assert [d["code"] for d in err.value.details] == ["expired_health_certificate"]


def test_allocation_to_expired_licence_and_full_home_fail(submitted_case, staff, tree):
    case = submitted_case()
    expired = FacilityFactory(
        unit=tree.skh, accreditation_valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    full = FacilityFactory(unit=tree.skh, beds=0)
    for facility, code in ((expired, "facility_not_accredited"), (full, "no_free_bed")):
        with pytest.raises(ValidationFailed) as err:
            case_apply_action(
                case=case,
                action="allocate",
                actor=staff.district,
                payload={"facility": facility.pk},
            )
        assert [d["code"] for d in err.value.details] == [code]


def test_sex_separated_wards(submitted_case, staff, tree):
    home = FacilityFactory(unit=tree.skh, beds={"F": 0, "M": 2})
    woman = submitted_case(sex="F")
    man = submitted_case(sex="M")
    with pytest.raises(ValidationFailed):
        case_apply_action(
            case=woman, action="allocate", actor=staff.district, payload={"facility": home.pk}
        )
    case_apply_action(
        case=man, action="allocate", actor=staff.district, payload={"facility": home.pk}
    )
    assert Ward.objects.get(facility=home, sex="M").reserved == 1


def test_disability_requires_type_percent_and_decision(new_case, staff):
    case = complete_draft(new_case())
    case.has_disability = True
    case.save()
    with pytest.raises(ValidationFailed) as err:
        case_apply_action(case=case, action="submit", actor=staff.local7)
    fields = {d.get("field") or d.get("document") for d in err.value.details}
    assert fields == {"disability_type", "disability_percent", "disability_decision"}
    CaseDocumentFactory(
        case=case, required_document=case.service.documents.get(code="disability_decision")
    )
    case.disability_type = "Харааны"
    case.disability_percent = 80
    case.save()
    assert case_apply_action(case=case, action="submit", actor=staff.local7).status == "submitted"


def test_allocation_stays_inside_the_country(submitted_case, staff):
    from tests.factories import AdminUnitFactory

    kz = AdminUnitFactory(code="KZ", level=0, parent=None)
    abroad = FacilityFactory(unit=AdminUnitFactory(code="AKM", level=1, parent=kz))
    with pytest.raises(ValidationFailed) as err:
        case_apply_action(
            case=submitted_case(),
            action="allocate",
            actor=staff.district,
            payload={"facility": abroad.pk},
        )
    assert [d["code"] for d in err.value.details] == ["facility_other_country"]
