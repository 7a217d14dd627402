"""Each workflow tells the citizen in its own words, in mn, kk, ru and en: an approved
allowance never mentions a care home, a social-assistance decision never speaks of beds."""

from __future__ import annotations

import pytest

from cases.models import CaseEvent, Service
from cases.transitions import case_apply_action
from channels_app.models import OutboundMessage
from crm.models import Household, HouseholdMember
from tests.factories import ContactFactory, IdentityFactory

from .conftest import complete_draft, local_worker_of
from .kz import OFFICE_STEPS, draft, kz_office, walk

pytestmark = pytest.mark.django_db
LANGUAGES = ("mn", "kk", "ru", "en")
CARE_HOME_WORDS = ("асрамж", "мекеме", "учрежд", "care home", "bed", "орын", "төсек", "койк")


@pytest.fixture(autouse=True)
def eager_celery():
    """Notifications are made in-process even when REDIS_URL is set for the PostgreSQL run."""
    from config.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    """Runs ``steps`` as the product does (side effects after commit); the message for
    ``action`` is what the citizen was told."""

    def run(steps) -> dict[str, OutboundMessage]:
        with django_capture_on_commit_callbacks(execute=True):
            case = steps()
        messages = {}
        for event in CaseEvent.objects.filter(case=case).exclude(action="create"):
            found = OutboundMessage.objects.filter(dedupe_key__startswith=f"case-event:{event.pk}:")
            messages[event.action] = found.get()
        return messages

    return run


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_approved_allowance_is_told_as_payments_not_a_care_home(
    language, new_case, staff, tree, told
):
    allowance = Service.objects.get(code="caregiver-allowance-13-2-4")
    citizen = ContactFactory(address_unit=tree.k7, preferred_language=language)
    IdentityFactory(contact=citizen)
    case = complete_draft(new_case(citizen, service=allowance))

    def steps():
        submitted = case_apply_action(
            case=case, action="submit", actor=local_worker_of(staff, citizen)
        )
        return case_apply_action(case=submitted, action="approve", actor=staff.district)

    message = told(steps)["approve"]

    assert message.template_code == "case_allowance_in_service"
    assert message.language == language
    assert case.number in message.body
    assert not any(word in message.body.lower() for word in CARE_HOME_WORDS), message.body
    expected = {
        "mn": "тэтгэмж",
        "kk": "жәрдемақы",
        "ru": "пособие",
        "en": "allowance",
    }[language]
    assert expected in message.body.lower()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_social_assistance_decision_is_told_with_its_amount(language, told):
    kz = kz_office()
    assistance = Service.objects.get(code="kz-social-assistance")
    citizen = ContactFactory(address_unit=kz.okrug, preferred_language=language)
    IdentityFactory(contact=citizen, value="+77015550999")
    household = Household.objects.create(address_unit=kz.okrug)
    HouseholdMember.objects.create(household=household, contact=citizen, relationship="head")
    case = draft(kz, assistance, citizen, kz.clerk)
    messages = told(lambda: walk(kz, case, OFFICE_STEPS))
    registered, issued = messages["register"], messages["issue"]

    assert registered.template_code == "case_social_assistance_registered"
    assert issued.template_code == "case_social_assistance_issued_assigned"
    assert "45 000 KZT" in issued.body and case.number in issued.body
    for message in (registered, issued):
        assert message.language == language
        assert not any(word in message.body.lower() for word in CARE_HOME_WORDS), message.body


def test_a_refused_social_assistance_and_the_steps_between_have_their_own_words(told):
    kz = kz_office()
    assistance = Service.objects.get(code="kz-social-assistance")
    citizen = ContactFactory(address_unit=kz.okrug, preferred_language="ru")
    IdentityFactory(contact=citizen, value="+77015550998")
    household = Household.objects.create(address_unit=kz.okrug)
    HouseholdMember.objects.create(household=household, contact=citizen, relationship="head")
    steps = [
        s if s[0] != "decide" else ("decide", "special_commission", {"need": False})
        for s in OFFICE_STEPS
    ]
    case = draft(kz, assistance, citizen, kz.clerk)
    messages = told(lambda: walk(kz, case, steps))
    assigned, refused = messages["assign"], messages["issue"]

    assert assigned.body == (
        f"Заявление {case.number} на социальную помощь: Назначен ответственный исполнитель."
    )
    assert refused.template_code == "case_social_assistance_issued_refused"
    assert "отказано" in refused.body and "KZT" not in refused.body
