from tests.channels_app.conftest import (  # noqa: F401  (shared fixtures)
    eager_celery,
    twilio_api,
    twilio_webhooks,
)
