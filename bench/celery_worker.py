"""The bench's Celery worker: the project's app, with Twilio's API on loopback.

Run: python -m bench.celery_worker [celery worker options]
"""

from __future__ import annotations

import sys

from bench.twilio_transport import install


def main() -> None:
    install()
    from config.celery import app

    app.worker_main(["worker", *sys.argv[1:]])


if __name__ == "__main__":
    main()
