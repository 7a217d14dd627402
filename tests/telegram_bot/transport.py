"""Telegram as the tests see it: real Update JSON posted to the webhook, and the real
python-telegram-bot library talking to a recording ``BaseRequest`` in place of the network.

Nothing here imitates our own code: the Bot API's answers have the shapes
https://core.telegram.org/bots/api documents (``{"ok": true, "result": ...}``, errors with
``error_code``, ``description`` and ``parameters.retry_after``).
"""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path

from django.test import TestCase
from telegram.request import BaseRequest, RequestData

FIXTURES = Path(__file__).parent / "fixtures"
BOT_TOKEN = "7700112233:AAH-test-token-for-the-welfare-bot"
WEBHOOK_SECRET = "tg-webhook-secret-9f4e2a"
BOT_USER = {"id": 7700112233, "is_bot": True, "first_name": "Халамж", "username": "halamj_bot"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64

_update_ids = itertools.count(900_000_000)


def fixture(name: str, **changes) -> dict:
    """A stored Update with a fresh ``update_id`` (unless given) and fields replaced."""
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    data["update_id"] = changes.pop("update_id", next(_update_ids))
    for path, value in changes.items():
        node = data
        keys = path.split("__")
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value
    return data


def text_update(text: str, user_id: int = 5120458830, language: str = "mn") -> dict:
    data = fixture("text_message")
    data["message"]["text"] = text
    data["message"]["from"]["id"] = data["message"]["chat"]["id"] = user_id
    data["message"]["from"]["language_code"] = language
    if text.startswith("/"):
        command = text.split()[0]
        data["message"]["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
    return data


def callback_update(data: str, user_id: int = 5120458830, label: str = "") -> dict:
    update = fixture("callback_query")
    query = update["callback_query"]
    query["data"] = data
    query["from"]["id"] = query["message"]["chat"]["id"] = user_id
    query["message"]["reply_markup"] = {
        "inline_keyboard": [[{"text": label or data, "callback_data": data}]]
    }
    return update


def post_update(client, payload: dict, *, secret: str | None = WEBHOOK_SECRET):
    """POST like Telegram; what runs after the commit (handling, sending) runs before return."""
    headers = {}
    if secret is not None:
        headers["HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN"] = secret
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/telegram/webhook",
            data=json.dumps(payload),
            content_type="application/json",
            **headers,
        )


def _ok(result) -> tuple[int, bytes]:
    return 200, json.dumps({"ok": True, "result": result}).encode()


def api_error(code: int, description: str, retry_after: int | None = None) -> tuple[int, bytes]:
    body = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return code, json.dumps(body).encode()


class RecordingRequest(BaseRequest):
    """Records each Bot API call and answers like the Bot API.

    ``calls`` holds ``(method, parameters)``; ``fail_next(answer)`` queues an error answer for
    the next call; ``files`` maps a file_id to the bytes Telegram holds for it.
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.downloads: list[str] = []
        self.files: dict[str, bytes] = {}
        self.webhook_info: dict = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }
        self._queued: list[tuple[int, bytes]] = []
        self._message_ids = itertools.count(5000)

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def fail_next(self, answer: tuple[int, bytes]) -> None:
        self._queued.append(answer)

    def sent(self, method: str = "sendMessage") -> list[dict]:
        return [params for name, params in self.calls if name == method]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=None,
        write_timeout=None,
        connect_timeout=None,
        pool_timeout=None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            path = url.rsplit("/", 1)[-1]
            self.downloads.append(path)
            return 200, self.files[path]
        name = url.rsplit("/", 1)[-1]
        params = copy.deepcopy(request_data.parameters) if request_data else {}
        self.calls.append((name, params))
        if self._queued:
            return self._queued.pop(0)
        if name == "sendMessage":
            return _ok(
                {
                    "message_id": next(self._message_ids),
                    "from": BOT_USER,
                    "chat": {"id": int(params["chat_id"]), "type": "private"},
                    "date": 1764625500,
                    "text": params["text"],
                }
            )
        if name == "getFile":
            file_id = params["file_id"]
            if file_id not in self.files:
                return api_error(400, "Bad Request: invalid file_id")
            return _ok(
                {
                    "file_id": file_id,
                    "file_unique_id": file_id[-8:],
                    "file_size": len(self.files[file_id]),
                    "file_path": file_id,
                }
            )
        if name in ("answerCallbackQuery", "deleteWebhook", "setMyCommands"):
            return _ok(True)
        if name == "setWebhook":
            self.webhook_info.update(
                url=params["url"], allowed_updates=params.get("allowed_updates", [])
            )
            return 200, json.dumps(
                {"ok": True, "result": True, "description": "Webhook was set"}
            ).encode()
        if name == "getWebhookInfo":
            return _ok(self.webhook_info)
        if name == "getMe":
            return _ok({**BOT_USER, "can_join_groups": False, "supports_inline_queries": False})
        return api_error(404, "Not Found")
