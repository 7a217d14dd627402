"""A citizen at a kiosk: identification with a one-time code, their cases, requests, the end."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from channels_app.models import CallbackRequest, OutboundMessage
from crm.models import Conversation, Interaction
from kiosk.models import KioskSession

from .conftest import API, citizen_with, identify, last_code, sign_in


def test_the_code_goes_to_the_phone_on_record_in_the_chosen_language(device, dorj):
    device.language = "ru"
    response = device.post(API + "identify/", {"national_id": "уб 45031512"})
    assert response.status_code == 201
    body = response.json()
    assert body["channel"] == "sms"
    assert body["sent_to"].endswith("2233") and "9911" not in body["sent_to"]
    assert body["national_id"] == "УБ••••••12"
    assert "45031512" not in response.content.decode()
    message = OutboundMessage.objects.get(contact=dorj, template_code="kiosk_code")
    assert message.address == "+97699112233"
    assert message.channel == "sms"
    assert "Одноразовый код" in message.body
    assert last_code(dorj) in message.body


def test_no_phone_on_record_says_to_see_a_worker_and_sends_nothing(device, tree):
    citizen_with(tree, "УБ42110824", None)
    response = device.post(API + "identify/", {"national_id": "УБ42110824"})
    assert response.status_code == 409
    assert "social worker" in response.json()["detail"]
    assert not OutboundMessage.objects.exists()
    # An ID we do not know at all reads the same: the screen does not tell who is registered.
    unknown = device.post(API + "identify/", {"national_id": "УБ01250462"})
    assert unknown.json()["detail"] == response.json()["detail"]


def test_a_malformed_id_is_explained(device):
    response = device.post(API + "identify/", {"national_id": "УБ1234"})
    assert response.status_code == 400
    assert "8 digits" in response.json()["detail"]


def test_a_right_code_opens_the_citizens_own_cases_and_the_visit_is_on_the_timeline(
    device, dorj, submitted_case
):
    case = submitted_case(dorj)
    code = identify(device, dorj, "УБ45031512")
    assert device.get(API + "me/").status_code == 403  # not before the code
    response = device.post(API + "verify/", {"code": code})
    assert response.status_code == 200
    assert response.json() == {"first_name": "Цэрэн", "national_id": "УБ••••••12"}

    answer = device.get(API + "me/")
    assert answer["Cache-Control"] == "no-store"
    me = answer.json()
    assert [c["number"] for c in me["cases"]] == [case.number]
    shown = me["cases"][0]
    assert shown["status"] == "submitted"
    assert shown["queue_position"] == 1
    assert shown["next_step"]
    visit = Interaction.objects.get(contact=dorj, kind="kiosk_visit")
    assert visit.channel == "kiosk"
    assert visit.direction == "in"


def test_a_code_is_single_use(device, dorj):
    code = identify(device, dorj, "УБ45031512")
    assert device.post(API + "verify/", {"code": code}).status_code == 200
    assert device.post(API + "verify/", {"code": code}).status_code == 410


def test_an_expired_code_opens_nothing(device, dorj):
    code = identify(device, dorj, "УБ45031512")
    KioskSession.objects.update(code_expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = device.post(API + "verify/", {"code": code})
    assert response.status_code == 410
    assert "expired" in response.json()["detail"]
    assert device.get(API + "me/").status_code == 403


def test_wrong_codes_are_limited_then_even_the_right_code_is_refused(device, dorj, settings):
    settings.KIOSK_CODE_MAX_ATTEMPTS = 3
    code = identify(device, dorj, "УБ45031512")
    wrong = "000000" if code != "000000" else "111111"
    first = device.post(API + "verify/", {"code": wrong})
    assert first.status_code == 400
    assert first.json()["errors"]["attempts_left"] == 2
    assert device.post(API + "verify/", {"code": wrong}).status_code == 400
    assert device.post(API + "verify/", {"code": wrong}).status_code == 410
    assert device.post(API + "verify/", {"code": code}).status_code == 410
    assert KioskSession.objects.get().end_reason == "locked"


def test_codes_per_citizen_per_hour_are_limited(device, dorj, settings):
    settings.KIOSK_CODES_PER_HOUR = 2
    identify(device, dorj, "УБ45031512")
    identify(device, dorj, "УБ45031512")
    response = device.post(API + "identify/", {"national_id": "УБ45031512"})
    assert response.status_code == 429
    assert OutboundMessage.objects.filter(template_code="kiosk_code").count() == 2


def test_a_code_for_one_citizen_never_opens_anothers_data(
    device, other_device, dorj, oyun, submitted_case
):
    dorj_case = submitted_case(dorj)
    oyun_case = submitted_case(oyun)
    dorj_code = identify(device, dorj, "УБ45031512")
    identify(other_device, oyun, "УБ55120312")

    # Dorj's code typed into Oyun's session is just a wrong code.
    assert other_device.post(API + "verify/", {"code": dorj_code}).status_code == 400
    assert other_device.get(API + "me/").status_code == 403
    # Dorj's session key used from the other kiosk opens nothing either.
    other_device.session_key, saved = device.session_key, other_device.session_key
    assert other_device.post(API + "verify/", {"code": dorj_code}).status_code == 410
    other_device.session_key = saved

    assert device.post(API + "verify/", {"code": dorj_code}).status_code == 200
    numbers = [c["number"] for c in device.get(API + "me/").json()["cases"]]
    assert numbers == [dorj_case.number]
    ticket = device.post(API + f"cases/{oyun_case.number}/ticket/")
    assert ticket.status_code == 404


def test_the_next_citizen_on_the_same_kiosk_ends_the_previous_session(device, dorj, oyun):
    sign_in(device, dorj, "УБ45031512")
    dorj_key = device.session_key
    identify(device, oyun, "УБ55120312")
    device.session_key = dorj_key
    assert device.get(API + "me/").status_code == 403
    assert KioskSession.objects.get(contact=dorj).end_reason == "replaced"


def test_finish_ends_the_session_on_the_server(device, dorj):
    sign_in(device, dorj, "УБ45031512")
    assert device.post(API + "session/end/").status_code == 204
    assert device.get(API + "me/").status_code == 403
    assert KioskSession.objects.get().end_reason == "finished"


def test_a_session_left_idle_ends_by_itself(device, dorj, settings):
    sign_in(device, dorj, "УБ45031512")
    idle = settings.KIOSK_IDLE_SECONDS + settings.KIOSK_COUNTDOWN_SECONDS + 20
    KioskSession.objects.update(last_activity_at=timezone.now() - dt.timedelta(seconds=idle))
    response = device.get(API + "me/")
    assert response.status_code == 403
    assert response.json()["code"] == "session_ended"
    assert KioskSession.objects.get().end_reason == "expired"


def test_a_question_opens_a_kiosk_conversation_in_the_inbox_once(device, dorj):
    sign_in(device, dorj, "УБ45031512")
    question = {"text": "Асрамжийн газрын дараалал хэзээ хөдлөх вэ?", "request_id": "q-1"}
    assert device.post(API + "question/", question).status_code == 201
    assert device.post(API + "question/", question).status_code == 201  # a double tap
    conversation = Conversation.objects.get(contact=dorj, channel="kiosk")
    assert conversation.status == "open"
    assert conversation.interactions.filter(direction="in").count() == 1
    assert device.post(API + "question/", {"text": " "}).status_code == 400


def test_a_call_back_request_reaches_the_agents_queue(device, dorj):
    sign_in(device, dorj, "УБ45031512")
    response = device.post(API + "callback/")
    assert response.status_code == 200
    assert "+97699112233" in response.json()["message"]
    callback = CallbackRequest.objects.get(contact=dorj)
    assert callback.channel == "kiosk"
    assert callback.phone == "+97699112233"


@pytest.mark.parametrize("language", ["mn", "kk", "ru", "en"])
def test_the_catalogue_lists_services_with_their_documents_in_each_language(device, language):
    device.language = language
    body = device.get(API + "catalogue/").json()
    codes = [s["code"] for s in body["services"]]
    assert "care-home-placement" in codes
    assert "caregiver-allowance-13-2-1" in codes
    placement = next(s for s in body["services"] if s["code"] == "care-home-placement")
    assert placement["documents"]
    assert body["where"]["offices"][0]["name"] == "7-р хороо"


def test_starting_an_application_for_oneself_opens_a_draft_with_consent(device, dorj):
    from cases.models import Case
    from crm.models import Consent

    sign_in(device, dorj, "УБ45031512")
    services = device.get(API + "applications/").json()["services"]
    assert "care-home-placement" in [s["code"] for s in services]
    refused = device.post(API + "applications/", {"service": "care-home-placement"})
    assert refused.status_code == 400
    assert not Case.objects.exists()  # no consent, no case

    application = {"service": "care-home-placement", "consent": True, "request_id": "a-1"}
    response = device.post(API + "applications/", application)
    assert response.status_code == 201
    case = Case.objects.get()
    assert response.json()["number"] == case.number
    assert case.status == "draft" and case.origin_channel == "kiosk"
    assert case.beneficiary == dorj and case.applicant is None
    assert Consent.objects.get(subject=dorj).channel == "kiosk"
    assert device.post(API + "applications/", application).status_code == 200  # a double tap
    assert Case.objects.count() == 1


def test_an_application_for_a_relative_names_them_and_the_relationship(device, dorj, oyun):
    from cases.models import Case

    sign_in(device, dorj, "УБ45031512")
    base = {"service": "care-home-placement", "consent": True, "for_self": False}
    missing = device.post(API + "applications/", {**base, "relationship": "spouse"})
    assert missing.status_code == 400
    response = device.post(
        API + "applications/",
        {**base, "relative_national_id": "УБ55120312", "relationship": "spouse"},
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert case.beneficiary == oyun
    assert case.applicant == dorj
    assert case.applicant_relationship == "spouse"
    # The applicant sees it among their requests; Oyun's name is nowhere in the answer.
    assert "Оюунчимэг" not in response.content.decode()
    numbers = [c["number"] for c in device.get(API + "cases/").json()["results"]]
    assert numbers == [case.number]


def test_the_idle_wipe_is_recorded_as_such(device, dorj):
    sign_in(device, dorj, "УБ45031512")
    assert device.post(API + "session/end/", {"reason": "idle"}).status_code == 204
    assert KioskSession.objects.get().end_reason == "idle"


def test_a_heartbeat_with_the_session_keeps_a_reading_citizen_signed_in(device, dorj, settings):
    sign_in(device, dorj, "УБ45031512")
    almost = settings.KIOSK_IDLE_SECONDS + settings.KIOSK_COUNTDOWN_SECONDS
    KioskSession.objects.update(last_activity_at=timezone.now() - dt.timedelta(seconds=almost))
    assert device.post(API + "heartbeat/").json()["session"] is True
    assert device.get(API + "me/").status_code == 200
    device.session_key = "not-a-session"
    assert device.post(API + "heartbeat/").json()["session"] is False


def test_a_used_code_no_longer_shows_in_the_outbox_or_on_the_timeline(device, dorj):
    code = identify(device, dorj, "УБ45031512")
    message = OutboundMessage.objects.get(template_code="kiosk_code")
    assert code in message.body  # until it is used, the citizen's phone shows it
    assert device.post(API + "verify/", {"code": code}).status_code == 200
    message.refresh_from_db()
    assert code not in message.body
    assert code not in Interaction.objects.get(pk=message.interaction_id).body
