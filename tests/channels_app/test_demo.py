import pytest

from channels_app import demo
from channels_app.models import CallbackRequest
from demo.context import DemoContext
from tests.factories import ContactFactory, IdentityFactory


@pytest.mark.django_db
def test_demo_seed_leaves_one_waiting_callback_and_is_idempotent():
    dolgor = ContactFactory()
    IdentityFactory(contact=dolgor, value="+97688114455")
    dorj = ContactFactory()
    IdentityFactory(contact=dorj, value="+97699112233")
    context = DemoContext(contacts={"dolgor": dolgor, "dorj": dorj})
    demo.seed(context)
    demo.seed(context)
    callback = CallbackRequest.objects.get()
    assert (callback.contact, callback.phone) == (dolgor, "+97688114455")
    assert callback.status == CallbackRequest.Status.OPEN
    assert any("sms_simulate --from +97699112233" in note for note in context.notes)
