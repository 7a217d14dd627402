import pytest

from crm.consents import consent_record, consent_withdraw, consents_active
from crm.errors import Conflict, ValidationFailed
from crm.models import Consent
from tests.factories import ContactFactory


@pytest.fixture
def mother(db):
    return ContactFactory(first_name="Долгор", last_name="Гомбо", consent_data_processing=False)


@pytest.fixture
def son(db):
    return ContactFactory(first_name="Бат", last_name="Гомбо")


def test_a_relative_records_consent_for_someone_else_with_the_relationship(mother, son):
    consent = consent_record(
        subject=mother,
        given_by=son,
        relationship="child",
        purpose=Consent.Purpose.APPLICATION,
        method=Consent.Method.DECLARED_BY_REPRESENTATIVE,
        channel="telegram",
        reference="2026-000001",
        evidence={"message": "Тийм"},
    )
    assert (consent.subject, consent.given_by, consent.relationship) == (mother, son, "child")
    assert consent.is_active and consent.given_at is not None
    mother.refresh_from_db()
    assert mother.consent_data_processing and mother.consent_recorded_at is not None
    assert list(consents_active(subject=mother)) == [consent]


def test_consent_for_someone_else_without_a_relationship_is_refused(mother, son):
    with pytest.raises(ValidationFailed) as exc:
        consent_record(
            subject=mother,
            given_by=son,
            purpose=Consent.Purpose.APPLICATION,
            method=Consent.Method.DECLARED_BY_REPRESENTATIVE,
            channel="telegram",
        )
    assert "relationship" in exc.value.details
    assert not Consent.objects.exists()


def test_unknown_purpose_method_or_channel_are_named(mother):
    with pytest.raises(ValidationFailed) as exc:
        consent_record(subject=mother, given_by=mother, purpose="x", method="y", channel="fax")
    assert set(exc.value.details) == {"purpose", "method", "channel"}


def test_withdrawing_keeps_the_record_and_stops_notifications(mother):
    consent = consent_record(
        subject=mother,
        given_by=mother,
        purpose=Consent.Purpose.NOTIFICATIONS,
        method=Consent.Method.SELF_CONFIRMED,
        channel="sms",
    )
    withdrawn = consent_withdraw(
        consent=consent, channel="telegram", withdrawn_by=mother, reason="Болих"
    )
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawal_channel == "telegram"
    assert Consent.objects.filter(pk=consent.pk).exists()
    mother.refresh_from_db()
    assert mother.consent_messages is False
    assert not consents_active(subject=mother).exists()
    with pytest.raises(Conflict):
        consent_withdraw(consent=consent, channel="sms")


def _given(subject, purpose, given_by=None, **extra):
    return consent_record(
        subject=subject,
        given_by=given_by or subject,
        relationship="child" if given_by else "",
        purpose=purpose,
        method=Consent.Method.VERBAL,
        channel="walk_in",
        **extra,
    )


def test_the_overview_sorts_consents_by_purpose_and_keeps_the_withdrawals(mother, son, staff):
    from crm.consents import consent_overview

    data = _given(mother, Consent.Purpose.APPLICATION, given_by=son, recorded_by=staff.local7)
    messages = _given(mother, Consent.Purpose.NOTIFICATIONS)
    consent_withdraw(consent=messages, channel="voice", recorded_by=staff.agent, reason="no SMS")
    mother.refresh_from_db()
    overview = consent_overview(subject=mother)
    assert overview.data == [data] and overview.messages == []
    assert [c.pk for c in overview.withdrawn] == [messages.pk]
    assert overview.withdrawn[0].withdrawal_recorded_by == staff.agent
    assert overview.processing_allowed is True and overview.messages_allowed is False


def test_withdrawing_everything_turns_off_both_flags_and_names_the_recorder(mother, staff):
    from crm.consents import consents_withdraw_all

    _given(mother, Consent.Purpose.APPLICATION)
    _given(mother, Consent.Purpose.NOTIFICATIONS)
    assert consents_withdraw_all(subject=mother, channel="walk_in", recorded_by=staff.local7) == 2
    mother.refresh_from_db()
    assert not mother.consent_data_processing and not mother.consent_messages
    assert set(Consent.objects.values_list("withdrawal_recorded_by", flat=True)) == {
        staff.local7.pk
    }


def test_refusing_messages_needs_no_consent_row_but_not_over_a_given_one(mother):
    from crm.consents import consent_messages_refuse

    consent_messages_refuse(subject=mother)
    mother.refresh_from_db()
    assert mother.consent_messages is False and not Consent.objects.exists()
    _given(mother, Consent.Purpose.NOTIFICATIONS)
    mother.refresh_from_db()
    assert mother.consent_messages is True
    with pytest.raises(Conflict):
        consent_messages_refuse(subject=mother)
