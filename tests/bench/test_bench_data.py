"""The bench's generated data and signed requests pass the project's own validators.

Fast and self-contained: no server, no PostgreSQL, no wrk. The benchmark itself never runs
in the test suite.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from twilio.request_validator import RequestValidator

from bench import datagen
from bench.profiling import summarize
from bench.scenarios.reads import plan_summary
from bench.signing import INBOUND_PATH, signed_bodies
from bench.twilio_transport import LoopbackTwilioHttpClient
from crm.national_ids import parse_mn_register
from crm.phones import normalize_phone


def test_people_have_valid_unique_phones_and_registration_numbers():
    people = list(datagen.people(2000, seed=3))
    assert len({p["phone"] for p in people}) == 2000
    assert len({p["national_id"] for p in people}) == 2000
    for person in people:
        assert normalize_phone(person["phone"], "MN") == person["phone"]
        parsed = parse_mn_register(person["national_id"])
        # The number agrees with the person it was made for.
        assert parsed.birth_date == person["birth_date"]
        assert parsed.sex == person["sex"]


def test_people_are_deterministic():
    assert list(datagen.people(50, seed=9)) == list(datagen.people(50, seed=9))


def test_signed_bodies_validate_with_twilio_and_never_repeat_a_sid():
    url = "https://crm.example.mn" + INBOUND_PATH
    pairs = list(
        signed_bodies(count=300, run_tag="0a", senders=["+97699112233", "+97688001122"],
                      texts=["СТАТУС", "hello"], url=url, auth_token="secret",
                      account_sid="AC" + "1" * 32, to="+97670001234")
    )  # fmt: skip
    validator = RequestValidator("secret")
    sids = set()
    for signature, body in pairs:
        params = dict(parse_qsl(body, keep_blank_values=True))
        assert validator.validate(url, params, signature)
        assert not validator.validate(url + "?x=1", params, signature)
        assert params["MessageSid"] == params["SmsSid"] and len(params["MessageSid"]) == 34
        sids.add(params["MessageSid"])
    assert len(sids) == 300


def test_loopback_transport_rewrites_only_twilio_hosts(monkeypatch):
    seen = []

    def fake_request(self, method, url, *args, **kwargs):
        seen.append(url)

    monkeypatch.setattr("twilio.http.http_client.TwilioHttpClient.request", fake_request)
    monkeypatch.setattr(LoopbackTwilioHttpClient, "base_url", "http://127.0.0.1:9")
    client = LoopbackTwilioHttpClient()
    client.request("POST", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json")
    client.request("GET", "https://example.org/x?y=1")
    assert seen == [
        "http://127.0.0.1:9/2010-04-01/Accounts/AC1/Messages.json",
        "https://example.org/x?y=1",
    ]


@pytest.mark.parametrize(
    ("plan", "indexes", "big_seq"),
    [
        (
            "Limit\n  ->  Index Scan using interaction_timeline_idx on crm_interaction\n"
            "Execution Time: 0.211 ms",
            ["interaction_timeline_idx"],
            [],
        ),
        (
            "Hash Join\n  ->  Seq Scan on crm_contact\n  ->  Bitmap Index Scan on x_idx\n",
            ["x_idx"],
            ["crm_contact"],
        ),
    ],
)
def test_plan_summary_reads_index_use(plan, indexes, big_seq):
    summary = plan_summary(plan)
    assert summary["indexes"] == indexes
    assert summary["seq_scans_on_large_tables"] == big_seq
    assert summary["uses_index"] is (not big_seq)


def test_profile_summary_attributes_samples(tmp_path):
    raw = tmp_path / "p.raw"
    raw.write_text(
        "run (celery/app/trace.py:1);outbound_deliver (/x/channels_app/tasks.py:40);"
        "request (/v/site-packages/requests/sessions.py:5) 30\n"
        "run (celery/app/trace.py:1);outbound_deliver (/x/channels_app/tasks.py:40) 10\n"
    )
    summary = summarize(raw)
    assert summary["samples"] == 40
    assert summary["project_functions_cumulative"][0] == (
        "100% channels_app/tasks.py:outbound_deliver"
    )
    assert summary["leaf_frames"][0] == "75% requests/sessions.py:request"
