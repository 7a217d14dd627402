"""A loopback stand-in for Twilio's Messages API, for the notification fan-out figure.

It answers ``POST /2010-04-01/Accounts/{sid}/Messages.json`` the way Twilio does (201 and a
message resource with a fresh ``SM`` sid) and remembers every request, so the harness can
count what was delivered, when, and whether anything arrived twice. ``GET /__bench/stats``
reports; ``POST /__bench/reset`` forgets. Optional ``--latency-ms`` adds the API's round trip.

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
        if self.path != "/__bench/stats":
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

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        if self.path == "/__bench/reset":
            with _lock:
                _messages.clear()
            return self._send(200, {"ok": True})
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
        sid = "SM" + uuid.uuid4().hex
        with _lock:
            _messages.append({"sid": sid, "to": form["To"], "at": time.time()})
        return self._send(201, _resource(parts[2], form, sid))


def main() -> None:
    global _latency
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args()
    _latency = args.latency_ms / 1000
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
