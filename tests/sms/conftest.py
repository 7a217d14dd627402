from tests.channels_app.conftest import (  # noqa: F401  (the fixtures both test trees share)
    eager_celery,
    open_case,
    placement,
    twilio_api,
    twilio_webhooks,
)
