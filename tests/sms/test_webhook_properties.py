"""Whatever a signed request carries, the SMS webhooks answer 2xx/4xx and lose nothing.

Arbitrary unicode, NUL bytes, huge numbers, long strings, missing fields: each inbound request
is stored and then processed or refused with its reason; status callbacks never fail.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels_app.models import InboundDelivery

from . import twilio_transport as tt

pytestmark = pytest.mark.django_db

TWILIO_FIELDS = ["MessageSid", "SmsSid", "From", "To", "Body", "NumMedia", "AccountSid"]
text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20).map(
        lambda s: s + "\x00" + s
    ),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.just("Ж" * 20_000),
    st.sampled_from(["+97699112233", "0097699112233", "abc", "+0000", "", "9" * 300]),
)
fields = st.dictionaries(
    st.one_of(st.sampled_from(TWILIO_FIELDS), st.text(min_size=1, max_size=30)),
    text,
    max_size=10,
)
status_fields = st.fixed_dictionaries(
    {
        "MessageSid": text,
        "MessageStatus": st.sampled_from(["sent", "delivered", "failed", "undelivered", "??"]),
    },
    optional={"ErrorCode": text, "ErrorMessage": text, "SmsSid": text},
)
examples = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _form_safe(data: dict) -> dict:
    # What a form-encoded body can carry: no surrogates (they cannot be UTF-8 encoded).
    return {
        k.encode("utf-8", "replace").decode(): v.encode("utf-8", "replace").decode()
        for k, v in data.items()
    }


@examples
@given(data=fields)
def test_any_signed_inbound_sms_is_stored_and_settled_never_a_5xx(client, twilio_webhooks, data):
    data = _form_safe(data)
    before = InboundDelivery.objects.count()
    response = tt.post_signed(client, "/sms/twilio/inbound", data)
    assert response.status_code == 200, response.content[:300]
    after = InboundDelivery.objects.count()
    assert after in (before, before + 1)  # a repeated id is the same delivery
    for delivery in InboundDelivery.objects.all():
        assert delivery.status in (
            InboundDelivery.Status.PROCESSED,
            InboundDelivery.Status.REJECTED,
        ), delivery.error
        if delivery.status == InboundDelivery.Status.REJECTED:
            assert delivery.error


@examples
@given(data=st.one_of(fields, status_fields))
def test_any_signed_status_callback_is_answered_without_a_5xx(client, twilio_webhooks, data):
    response = tt.post_signed(client, "/sms/twilio/status", _form_safe(data))
    assert response.status_code in (200, 204)


@examples
@given(data=fields)
def test_any_unsigned_request_is_refused(client, twilio_webhooks, data):
    for path in ("/sms/twilio/inbound", "/sms/twilio/status", "/sms/twilio/fallback"):
        response = tt.post_signed(client, path, _form_safe(data), signature="forged")
        assert response.status_code == 403
    assert not InboundDelivery.objects.exists()
