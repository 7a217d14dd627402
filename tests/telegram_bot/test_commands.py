"""The operator's commands: registering the webhook, its status, and the simulator."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from channels_app.models import InboundDelivery, MessageTemplate
from crm.models import Interaction

from .transport import WEBHOOK_SECRET, api_error


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_set_registers_the_public_url_with_the_secret_and_update_types(telegram, settings):
    settings.PUBLIC_BASE_URL = "https://crm.example.mn"
    assert "https://crm.example.mn/telegram/webhook" in run("telegram_webhook", "set")
    params = telegram.sent("setWebhook")[0]
    assert params["url"] == "https://crm.example.mn/telegram/webhook"
    assert params["secret_token"] == WEBHOOK_SECRET
    assert params["allowed_updates"] == [
        "message",
        "edited_message",
        "callback_query",
        "my_chat_member",
    ]


def test_set_registers_the_command_list_in_every_language(telegram, settings):
    settings.PUBLIC_BASE_URL = "https://crm.example.mn"
    settings.LANGUAGE_CODE = "mn"
    MessageTemplate.objects.create(code="tg_menu_payments", language="ru", body="Мои пособия")
    out = run("telegram_webhook", "set")
    assert "/start, /status, /queue, /payments, /language, /cancel" in out
    lists = {p.get("language_code", ""): p["commands"] for p in telegram.sent("setMyCommands")}
    assert set(lists) == {"", "mn", "kk", "ru", "en"}
    described = {
        language: {c["command"]: c["description"] for c in commands}
        for language, commands in lists.items()
    }
    # Every command the dialogue answers is listed, and each is described in its language.
    assert set(described["en"]) == {"start", "status", "queue", "payments", "language", "cancel"}
    assert described["en"]["payments"] == "My payments"
    assert described["kk"]["status"] == "Менің өтінімдерім"
    assert described[""] == described["mn"]  # the country's language for everyone else
    assert described["ru"]["payments"] == "Мои пособия"  # the operator's wording


def test_commands_alone_registers_the_list_again(telegram):
    assert "Command list set" in run("telegram_webhook", "commands")
    assert len(telegram.sent("setMyCommands")) == 5
    assert telegram.sent("setWebhook") == []


def test_info_shows_pending_updates_and_the_last_error(telegram):
    telegram.webhook_info.update(
        url="https://crm.example.mn/telegram/webhook",
        pending_update_count=3,
        last_error_date=1764625000,
        last_error_message="Wrong response from the webhook: 502 Bad Gateway",
        max_connections=40,
    )
    data = json.loads(run("telegram_webhook", "info", "--json"))
    assert data["pending_update_count"] == 3
    assert data["last_error_message"].startswith("Wrong response")
    assert "pending_update_count: 3" in run("telegram_webhook", "info")


def test_set_refuses_without_a_secret_or_https_and_reports_telegrams_refusal(telegram, settings):
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    with pytest.raises(CommandError, match="https"):
        run("telegram_webhook", "set")
    settings.TELEGRAM_WEBHOOK_SECRET = ""
    with pytest.raises(CommandError, match="TELEGRAM_WEBHOOK_SECRET"):
        run("telegram_webhook", "set", "--url", "https://x.example/telegram/webhook")
    settings.TELEGRAM_WEBHOOK_SECRET = WEBHOOK_SECRET
    telegram.fail_next(api_error(400, "Bad Request: bad webhook: IP address is reserved"))
    with pytest.raises(CommandError, match=r"(?i)bad webhook"):
        run("telegram_webhook", "set", "--url", "https://x.example/telegram/webhook")


def test_without_a_token_the_commands_say_what_to_set(settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    with pytest.raises(CommandError, match="TELEGRAM_BOT_TOKEN"):
        run("telegram_webhook", "info")
    settings.TELEGRAM_WEBHOOK_SECRET = ""
    with pytest.raises(CommandError, match="TELEGRAM_WEBHOOK_SECRET"):
        run("telegram_simulate", "/start")


live = pytest.mark.django_db(transaction=True)


@live
def test_simulated_updates_reach_a_running_server(live_server, settings):
    settings.TELEGRAM_WEBHOOK_SECRET = WEBHOOK_SECRET
    from tests.cases.factories import ensure_catalogue

    ensure_catalogue()
    answer = run("telegram_simulate", "--server", live_server.url, "/start")
    assert "Choose your language" in answer
    answer = run("telegram_simulate", "--server", live_server.url, "--callback", "lang:ru")
    assert "Добро пожаловать" in answer
    run("telegram_simulate", "--server", live_server.url, "Нужна помощь с пенсией")
    inbound = Interaction.objects.filter(direction="in", conversation__isnull=False).get()
    assert inbound.body == "Нужна помощь с пенсией" and inbound.channel == "telegram"
    # The same update_id again changes nothing.
    args = ("telegram_simulate", "--server", live_server.url, "--update-id", "4242", "Привет")
    run(*args)
    run(*args)
    assert InboundDelivery.objects.filter(provider_id="4242").count() == 1
    assert Interaction.objects.filter(provider_message_id="4242").count() == 1


@live
def test_a_wrong_secret_is_refused_by_the_server(live_server, settings):
    settings.TELEGRAM_WEBHOOK_SECRET = WEBHOOK_SECRET
    with pytest.raises(CommandError, match="403"):
        run("telegram_simulate", "--server", live_server.url, "--secret", "nope", "/start")
    assert not InboundDelivery.objects.exists()


def test_a_token_without_a_secret_is_reported_at_start_up(settings):
    from telegram_bot.checks import telegram_settings

    settings.TELEGRAM_BOT_TOKEN = "7700112233:token"
    settings.TELEGRAM_WEBHOOK_SECRET = ""
    assert [p.id for p in telegram_settings()] == ["telegram_bot.W001"]
    settings.TELEGRAM_WEBHOOK_SECRET = "s"
    settings.TELEGRAM_MAX_WAIT_SECONDS = 200
    assert [p.id for p in telegram_settings()] == ["telegram_bot.E001"]
