"""A loopback stand-in for Twilio's Messages API, for the notification fan-out figure.

It answers ``POST /2010-04-01/Accounts/{sid}/Messages.json`` the way Twilio does (201 and a
message resource with a fresh ``SM`` sid) and remembers every request, so the harness can
count what was delivered, when, and whether anything arrived twice; ``GET .../Messages.json``
is Twilio's message list (newest first, ``To``/``From`` filters, ``PageSize``), which the
outbox's reconciliation reads. ``GET /__bench/stats`` reports; ``POST /__bench/reset``
forgets. Optional ``--latency-ms`` adds the API's round trip.

Faults for the delivery fault suite, set with ``POST /__bench/fault?kind=...&every=N``
(every N-th send; ``kind=none`` clears): ``429`` and ``500`` refuse without taking the message;
``close`` takes the message and closes the connection without an answer; ``hang`` takes it
and answers only after ``--hang-seconds`` (past the client's timeout).

Run: python -m bench.twilio_standin --port 8799
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

_lock = threading.Lock()
_messages: list[dict] = []
_latency = 0.0
_hang_seconds = 10.0
_fault = {"kind": "none", "every": 0, "seen": 0}


def _resource(account: str, form: dict[str, str], sid: str) -> dict:
    now = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
    return {
        "account_sid": account,
        "api_version": "2010-04-01",
        "body": form.get("Body", ""),
        "date_created": now,
        "date_sent": None,
        "date_updated": now,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": form.get("From"),
        "messaging_service_sid": form.get("MessagingServiceSid"),
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": "USD",
        "sid": sid,
        "status": "queued",
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{account}/Messages/{sid}/Media.json"},
        "to": form.get("To"),
        "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's requests session expects

    def log_message(self, format, *args):
        pass

    def _send(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path.endswith("/Messages.json"):
            return self._list(path, {k: v[-1] for k, v in parse_qs(query).items()})
        if path != "/__bench/stats":
            return self._send(404, {"code": 20404, "message": "not found", "status": 404})
        with _lock:
            messages = list(_messages)
        times = [m["at"] for m in messages]
        return self._send(
            200,
            {
                "count": len(messages),
                "first_at": min(times) if times else None,
                "last_at": max(times) if times else None,
                "sids": [m["sid"] for m in messages],
                "to": [m["to"] for m in messages],
                "times": times,
            },
        )

    def _list(self, path: str, params: dict[str, str]) -> None:
        with _lock:
            found = [
                m["resource"]
                for m in reversed(_messages)
                if params.get("To") in (None, m["to"])
                and params.get("From") in (None, m["resource"]["from"])
            ]
        size = int(params.get("PageSize", 50))
        return self._send(
            200,
            {
                "messages": found[:size],
                "end": min(size, len(found)) - 1,
                "first_page_uri": f"{path}?PageSize={size}&Page=0",
                "next_page_uri": None,
                "previous_page_uri": None,
                "page": 0,
                "page_size": size,
                "start": 0,
                "uri": f"{path}?PageSize={size}&Page=0",
            },
        )

    def _fault_now(self) -> str:
        with _lock:
            if _fault["kind"] == "none" or _fault["every"] <= 0:
                return "none"
            _fault["seen"] += 1
            return _fault["kind"] if _fault["seen"] % _fault["every"] == 0 else "none"

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        if self.path == "/__bench/reset":
            with _lock:
                _messages.clear()
                _fault.update(kind="none", every=0, seen=0)
            return self._send(200, {"ok": True})
        if self.path.startswith("/__bench/fault"):
            params = {k: v[-1] for k, v in parse_qs(self.path.partition("?")[2]).items()}
            with _lock:
                _fault.update(kind=params.get("kind", "none"), every=int(params.get("every", 0)))
                _fault["seen"] = 0
            return self._send(200, {"ok": True, **_fault})
        parts = self.path.split("?")[0].strip("/").split("/")
        # 2010-04-01 / Accounts / {sid} / Messages.json
        if len(parts) != 4 or parts[1] != "Accounts" or parts[3] != "Messages.json":
            return self._send(404, {"code": 20404, "message": "not found", "status": 404})
        if not self.headers.get("Authorization", "").startswith("Basic "):
            return self._send(401, {"code": 20003, "message": "Authenticate", "status": 401})
        form = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        if not form.get("To") or not (form.get("Body") or form.get("MediaUrl")):
            return self._send(
                400, {"code": 21602, "message": "Message body is required.", "status": 400}
            )
        if _latency:
            time.sleep(_latency)
        fault = self._fault_now()
        if fault in ("429", "500"):
            code = 20429 if fault == "429" else 20500
            return self._send(int(fault), {"code": code, "message": "fault", "status": int(fault)})
        sid = "SM" + uuid.uuid4().hex
        resource = _resource(parts[2], form, sid)
        with _lock:
            _messages.append(
                {"sid": sid, "to": form["To"], "at": time.time(), "resource": resource}
            )
        if fault == "close":
            # Twilio took it; the answer never comes back ("Remote end closed connection").
            self.close_connection = True
            self.connection.shutdown(2)
            return None
        if fault == "hang":
            time.sleep(_hang_seconds)
        return self._send(201, resource)


def main() -> None:
    global _latency, _hang_seconds
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--hang-seconds", type=float, default=10.0)
    args = parser.parse_args()
    _latency = args.latency_ms / 1000
    _hang_seconds = args.hang_seconds
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
