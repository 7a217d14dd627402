import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import ContactFactory, IdentityFactory
from . import twilio_transport as tt

pytestmark = pytest.mark.django_db


def test_count(client, twilio_webhooks, eager_celery):
    c = ContactFactory(preferred_language="mn")
    IdentityFactory(contact=c, value="+97699112233")
    tt.post_signed(client, "/sms/twilio/inbound", tt.inbound_payload("hello first"))
    for body in ["hello again", "HELP"]:
        with CaptureQueriesContext(connection) as ctx:
            r = tt.post_signed(client, "/sms/twilio/inbound", tt.inbound_payload(body))
        print("\n=====", body, len(ctx.captured_queries), r.status_code)
        for q in ctx.captured_queries:
            print("  ", q["sql"][:230])
