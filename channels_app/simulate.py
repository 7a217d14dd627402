"""Where the operator's simulators (``sms_simulate`` and the like) find the local server."""

from __future__ import annotations

from django.conf import settings


def default_server_url() -> str:
    """The server ``./scripts/run.sh [--port N]`` last started, else PUBLIC_BASE_URL."""
    try:
        recorded = settings.LOCAL_SERVER_FILE.read_text().strip()
    except OSError:
        recorded = ""
    return (recorded or settings.PUBLIC_BASE_URL).rstrip("/")
