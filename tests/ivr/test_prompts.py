"""The prompt catalogue: placeholders rendered with espeak-ng, missing recordings reported."""

from __future__ import annotations

import shutil

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from ivr.checks import prompts_recorded
from ivr.models import Prompt
from ivr.prompts import LANGUAGES, catalogue, prompt_keys

pytestmark = pytest.mark.django_db

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng)",
)


def test_every_prompt_has_a_text_in_every_language():
    for key, (purpose, texts) in catalogue().items():
        assert purpose
        for language in LANGUAGES:
            assert key == "hold_music" or texts[language].strip(), (key, language)


@needs_espeak
def test_placeholders_are_rendered_but_a_persons_recording_is_kept():
    Prompt.objects.create(
        key="goodbye", language="kk", audio=ContentFile(b"RIFFperson", name="goodbye.wav")
    )
    call_command("ivr_prompts_render", "--key", "main_menu", "--key", "goodbye")
    rendered = Prompt.objects.get(key="main_menu", language="kk")
    assert rendered.placeholder
    with rendered.audio.open("rb") as audio:
        assert audio.read(4) == b"RIFF"
    person = Prompt.objects.get(key="goodbye", language="kk")
    assert not person.placeholder
    with person.audio.open("rb") as audio:
        assert audio.read() == b"RIFFperson"


def test_mongolian_must_be_recorded_by_a_person():
    with pytest.raises(CommandError, match="Mongolian prompts must be recorded by a person"):
        call_command("ivr_prompts_render", "--language", "mn")


def test_without_espeak_the_command_says_how_to_install_it(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(CommandError, match="apt-get install espeak-ng"):
        call_command("ivr_prompts_render", "--key", "goodbye")


def test_missing_recordings_are_listed_in_the_admin_and_by_a_check(client, staff):
    Prompt.objects.create(
        key="goodbye", language="mn", audio=ContentFile(b"RIFF", name="goodbye.wav")
    )
    warnings = {w.msg.split(" ")[5]: w for w in prompts_recorded(databases=["default"])}
    total = len([k for k in prompt_keys() if k != "hold_music"])
    assert warnings["mn"].id == "ivr.W001"
    assert warnings["mn"].msg.startswith(f"{total - 1} voice prompts have no mn recording")
    assert warnings["kk"].msg.startswith(f"{total} voice prompts")

    client.force_login(staff.admin)
    page = client.get("/admin/ivr/prompt/missing/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "<code>main_menu</code>" in content
    listing = client.get("/admin/ivr/prompt/")
    assert f"{total - 1} prompts have no mn recording yet" in listing.content.decode()
