"""The maintained case counts behind the casework figures: they follow every write of a case,
equal a recount from the cases, are repaired by the reconcile command, and the figures the
supervisors read from them equal the case list."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cases import stats
from cases.models import Case, Status
from cases.tally import CaseTally, recount, tally_counts
from cases.tasks import case_tally_reconcile
from cases.transitions import case_apply_action
from crm.models import Role
from tests.cases.factories import CaseFactory
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def assert_tally_equals_recount() -> None:
    assert tally_counts() == recount()


def test_every_write_of_a_case_moves_its_count_and_the_tally_equals_a_recount(
    tree, staff, new_case, submitted_case
):
    assert tally_counts() == {}
    draft = new_case(ContactFactory(address_unit=tree.k7), origin_channel="sms")
    assert_tally_equals_recount()
    assert sum(tally_counts().values()) == 1

    submitted = submitted_case(ContactFactory(address_unit=tree.s1))
    assert_tally_equals_recount()

    case_apply_action(
        case=submitted,
        action="return",
        actor=staff.district_sbd,
        payload={"reason_code": "missing_document", "reason": "Иргэний үнэмлэхийн хуулбар дутуу"},
    )
    assert_tally_equals_recount()
    assert Status.RETURNED in {key[2] for key in tally_counts()}

    # A case saved outside the services (the admin, a factory) is counted as well.
    unplaced = CaseFactory(beneficiary=ContactFactory(address_unit=None), unit=None)
    assert_tally_equals_recount()

    # Moving a case to another district moves its count.
    draft.unit = tree.s1
    draft.save()
    assert_tally_equals_recount()

    # A case read with only some columns still moves the right count when saved.
    partial = Case.objects.only("id", "reason_for_care").get(pk=draft.pk)
    partial.unit = tree.k12
    partial.save()
    assert_tally_equals_recount()

    # A partial save of other columns leaves the counts alone; one naming the status moves it.
    Case.objects.filter(pk=draft.pk).update(status=Status.CANCELLED)
    draft.reason_for_care = "Ганцаараа амьдардаг"
    draft.save(update_fields=["reason_for_care"])
    assert tally_counts() != recount()
    call_command("case_tally_reconcile")
    draft.status = Status.DRAFT
    draft.save(update_fields=["status"])
    assert_tally_equals_recount()

    unplaced.delete()
    assert_tally_equals_recount()
    assert sum(tally_counts().values()) == Case.objects.count() == 2


def test_the_reconcile_command_and_task_repair_counts_a_bulk_update_bypassed(
    tree, new_case, capsys
):
    for unit in (tree.k7, tree.k12, tree.s1):
        new_case(ContactFactory(address_unit=unit))
    # QuerySet.update() writes no Case.save(): the tally now lags behind.
    Case.objects.filter(unit=tree.k12).update(status=Status.CANCELLED)
    assert tally_counts() != recount()

    call_command("case_tally_reconcile")
    assert "recounted" in capsys.readouterr().out
    assert_tally_equals_recount()
    call_command("case_tally_reconcile")
    assert "every count agrees" in capsys.readouterr().out
    assert case_tally_reconcile() == 0


def figures(api, user, query: str) -> dict:
    response = api.as_user(user).get(f"/api/v1/stats/cases/?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def list_count(api, user, query: str) -> int:
    response = api.as_user(user).get(f"/api/v1/cases/?{query}")
    assert response.status_code == 200, response.content
    return response.json()["count"]


def test_national_figures_are_read_from_the_tally_and_equal_the_case_list(
    api, tree, staff, new_case, submitted_case, settings
):
    settings.CRM_STATS_CACHE_SECONDS = 0  # each answer counted afresh
    for unit, channel in ((tree.k7, "sms"), (tree.k12, "kiosk"), (tree.s1, "sms")):
        new_case(ContactFactory(address_unit=unit), origin_channel=channel)
    submitted_case(ContactFactory(address_unit=tree.k7))
    CaseFactory(beneficiary=ContactFactory(address_unit=None, country="MN"), unit=None)
    city_supervisor = UserFactory(username="ub.supervisor", role=Role.SUPERVISOR, unit=tree.city)

    for user in (staff.supervisor, city_supervisor, staff.admin):
        assert stats.tally_question(user, {}, base=None, per_unit=False) is not None
        answer = figures(api, user, "by=status")
        assert answer["total"] == list_count(api, user, "")
        for figure in answer["results"]:
            assert figure["count"] == list_count(api, user, f"status={figure['key']}")
        for figure in figures(api, user, "by=channel&status=draft")["results"]:
            assert figure["count"] == list_count(api, user, f"channel={figure['key']}&status=draft")

    # The figures really come from the tally: a count out of step shows until reconciled.
    row = CaseTally.objects.filter(status=Status.SUBMITTED).first()
    row.count += 5
    row.save()
    assert (
        figures(api, staff.supervisor, "by=status")["total"]
        == list_count(api, staff.supervisor, "") + 5
    )
    call_command("case_tally_reconcile")
    assert figures(api, staff.supervisor, "by=status")["total"] == list_count(
        api, staff.supervisor, ""
    )


def test_tally_drill_down_adds_up_to_the_khoroos_counted_from_the_cases(api, tree, staff, new_case):
    for unit in (tree.k7, tree.k7, tree.k12, tree.s1):
        new_case(ContactFactory(address_unit=unit))
    supervisor = staff.supervisor
    country = figures(api, supervisor, "by=unit")
    assert [(f["key"], f["count"]) for f in country["results"]] == [(tree.city.pk, 4)]
    city = {
        f["key"]: f["count"]
        for f in figures(api, supervisor, f"by=unit&unit={tree.city.pk}")["results"]
    }
    assert city == {tree.skh.pk: 3, tree.sbd.pk: 1}
    # Below a district the cases themselves are grouped (the tally keeps them per district).
    district = figures(api, supervisor, f"by=unit&unit={tree.skh.pk}")
    assert {f["key"]: f["count"] for f in district["results"]} == {tree.k7.pk: 2, tree.k12.pk: 1}
    assert district["total"] == city[tree.skh.pk]
    # A district supervisor is never answered from another district's counts.
    assert figures(api, staff.district, "by=status")["total"] == 3
    assert figures(api, staff.district_sbd, "by=status")["total"] == 1
