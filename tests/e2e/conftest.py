"""A live ASGI server (daphne) on a throwaway database, and Debian's Chromium driven by Playwright.

The server runs in its own process with the production wiring (HTTP and the console websocket
in one ASGI app), a database of its own (a temp SQLite file, or ``<name>_e2e`` next to the
PostgreSQL database of this run), the demo data, and a Twilio auth token so the tests can post
correctly signed SMS webhooks. Celery runs eagerly inside the server; outbound SMS go to the
local outbox because no Twilio account is configured.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
TWILIO_TOKEN = "e2e-twilio-auth-token"
TELEGRAM_SECRET = "e2e-telegram-webhook-secret"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


@dataclass
class LiveServer:
    base_url: str
    env: dict
    accounts: dict = field(default_factory=dict)  # username -> password

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def query(self, code: str):
        """Run ORM code in the server's database; the code assigns its answer to ``result``."""
        out = self.manage("shell", "-c", code + "\nimport json; print(json.dumps(result))")
        return json.loads(out.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp: Path) -> tuple[str, object]:
    """A database for this run only; returns its URL and a clean-up function."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp / 'e2e.sqlite3'}", lambda: None
    import psycopg

    parts = urllib.parse.urlsplit(base)
    # One database per xdist worker, so parallel runs never drop each other's.
    name = parts.path.lstrip("/") + "_e2e" + os.environ.get("PYTEST_XDIST_WORKER", "")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))

    def run(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    return urllib.parse.urlunsplit(parts._replace(path="/" + name)), lambda: run(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    )


@pytest.fixture(scope="session")
def live(tmp_path_factory) -> LiveServer:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skip")
    if not shutil.which("daphne", path=str(Path(sys.executable).parent)):
        pytest.skip("daphne is not installed in this environment")
    tmp = tmp_path_factory.mktemp("e2e")
    database_url, drop_database = _database_url(tmp)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "PUBLIC_BASE_URL": base_url,
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "DJANGO_DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
    }
    # One server process: the in-memory channel layer and eager Celery live in it.
    for name in ("REDIS_URL", "TWILIO_ACCOUNT_SID", "TWILIO_FROM_NUMBER", "TELEGRAM_BOT_TOKEN"):
        env.pop(name, None)
    server = LiveServer(base_url=base_url, env=env)
    server.manage("migrate", "--noinput")
    server.accounts = {
        a["username"]: a["password"] for a in json.loads(server.manage("seed_demo", "--json"))
    }
    log = open(tmp / "daphne.log", "w")  # noqa: SIM115 (closed at teardown)
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "daphne"),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_healthy(base_url, process, tmp / "daphne.log")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        drop_database()


def _wait_healthy(base_url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/health/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"daphne did not become healthy:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def browser(live):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def sign_in(live, browser):
    """``sign_in(username)`` -> a page of a fresh browser session, signed in, in English."""
    contexts = []

    def open_as(username: str):
        context = browser.new_context(
            base_url=live.base_url, locale="en-US", viewport={"width": 1500, "height": 1000}
        )
        context.add_cookies([{"name": "django_language", "value": "en", "url": live.base_url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/console/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", live.accounts[username])
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def post_signed_sms(live: LiveServer, *, sender: str, body: str) -> str:
    """POST an inbound SMS exactly as Twilio would, signed with the server's auth token."""
    from twilio.request_validator import RequestValidator

    from sms.management.commands.sms_simulate import INBOUND_PATH, inbound_payload

    params = inbound_payload(
        sender=sender, to="+97670000000", body=body, account_sid="AC" + "0" * 32
    )
    url = live.base_url + INBOUND_PATH
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, params)
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(params).encode(),
        headers={"X-Twilio-Signature": signature},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.status == 200, response.status
        return response.read().decode()
