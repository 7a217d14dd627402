"""The first run an operator makes: the demo on a port of their choice, the accounts in view."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from crm.models import User

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status


@pytest.mark.django_db
def test_seed_demo_ends_with_the_accounts_table(capsys, caplog):
    call_command("seed_demo")
    out = capsys.readouterr().out.rstrip("\n").splitlines()
    # Every account a person signs in with (the system account that applies automatic
    # decisions has no password and is not printed).
    usernames = [u.username for u in User.objects.all() if u.has_usable_password()]
    header = next(i for i, line in enumerate(out) if line.startswith("Staff accounts"))
    table = out[header + 1 :]
    # Nothing but the table follows its header: one row per account, nothing else.
    assert len(table) == len(usernames)
    assert {line.split()[0] for line in table} == set(usernames)
    for line in table:
        username, password = line.split()[:2]
        assert User.objects.get(username=username).check_password(password)
    # The notifications the demo cases send do not flood the output with per-task lines.
    assert not [r for r in caplog.records if r.name.startswith("celery") and r.levelname == "INFO"]


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "python").exists(), reason="needs the .venv")
def test_run_script_serves_on_the_port_it_is_given(tmp_path):
    port = _free_port()
    run_file = ROOT / ".run" / "server-url"
    saved = run_file.read_text() if run_file.exists() else None
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "PUBLIC_BASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        ["./scripts/run.sh", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # so the server the script execs is stopped with it
    )
    try:
        deadline = time.monotonic() + 240
        status = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status = _get(f"http://127.0.0.1:{port}/health/")
                break
            except OSError:
                time.sleep(1)
        assert status == 200, (tmp_path / "run.log").read_text()[-3000:]
        assert run_file.read_text().strip() == f"http://127.0.0.1:{port}"
        # The simulators find that server without being told.
        from channels_app.simulate import default_server_url

        assert default_server_url() == f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
        if saved is None:
            run_file.unlink(missing_ok=True)
        else:
            run_file.write_text(saved)


def test_run_script_refuses_a_port_that_is_not_a_number():
    result = subprocess.run(
        ["./scripts/run.sh", "--port", "eighty"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "--port takes a number" in result.stderr
