"""HTTP and websockets in one ASGI application (daphne or uvicorn)."""

import os
from importlib.util import find_spec as _find_spec

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A web server process: its requests run under the statement timeout (config/settings.py).
os.environ.setdefault("CRM_WEB_PROCESS", "1")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402


def find_spec(module: str):
    try:
        return _find_spec(module)
    except ModuleNotFoundError:
        return None


websocket_urlpatterns: list = []
if find_spec("console.routing"):
    from console.routing import websocket_urlpatterns

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
