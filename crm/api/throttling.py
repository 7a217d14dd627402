"""DRF throttles that read their rates at request time and never fail a request on Redis.

The counters live in the cache (Redis in production). When Redis is unreachable the request
goes through unthrottled rather than failing: web nodes keep working without Redis.
"""

from __future__ import annotations

import logging

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)


class _Tolerant:
    def get_rate(self):
        return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(self.scope)

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # the cache's connection error, whatever its client raises
            logger.warning("throttle skipped, cache unavailable: %s", exc.__class__.__name__)
            return True


class AnonThrottle(_Tolerant, AnonRateThrottle):
    pass


class UserThrottle(_Tolerant, UserRateThrottle):
    pass
