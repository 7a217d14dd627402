"""Sign-in backends."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every sign-in that comes with a request.

    Every web login path (console, admin, API token) passes its request; a call without one
    (a script or a test client calling ``authenticate()`` directly) has no client address to
    lock and is left to the password check.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
