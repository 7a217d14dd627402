"""Synthetic placeholder recordings of the voice prompts, for a demo, with espeak-ng."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from ivr.models import Prompt
from ivr.prompts import default_text, prompt_keys, prompts_changed

# espeak-ng's voices for our languages; it has none for Mongolian.
ESPEAK_VOICES = {"kk": "kk", "ru": "ru", "en": "en-us"}


class Command(BaseCommand):
    help = (
        "Render placeholder recordings of the voice prompts with espeak-ng (kk, ru, en). "
        "Recordings made by a person are never replaced. Mongolian has no espeak-ng voice: "
        "Mongolian prompts must be recorded by a person."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--language",
            action="append",
            dest="languages",
            help="kk, ru or en (repeatable; default: kk only, since ru and en are spoken by "
            "Twilio's own voices)",
        )
        parser.add_argument("--key", action="append", dest="keys", help="only these prompts")
        parser.add_argument(
            "--force", action="store_true", help="render again over earlier placeholders"
        )

    def handle(self, *args, languages=None, keys=None, force=False, **options) -> None:
        languages = languages or ["kk"]
        if "mn" in languages:
            raise CommandError(
                "espeak-ng has no Mongolian voice. Mongolian prompts must be recorded by a "
                "person and uploaded at /admin/ivr/prompt/."
            )
        unknown = [language for language in languages if language not in ESPEAK_VOICES]
        if unknown:
            raise CommandError(f"No espeak-ng voice for {', '.join(unknown)}; use kk, ru or en.")
        espeak = shutil.which("espeak-ng")
        if espeak is None:
            raise CommandError(
                "espeak-ng is not installed. On Debian or Ubuntu: "
                "sudo apt-get install espeak-ng (then run this command again)."
            )
        all_keys = prompt_keys()
        wanted = keys or [key for key in all_keys if key != "hold_music"]
        missing = sorted(set(wanted) - set(all_keys))
        if missing:
            raise CommandError(f"No such prompt: {', '.join(missing)}.")
        rendered = kept = 0
        with tempfile.TemporaryDirectory() as tmp:
            for language in languages:
                for key in wanted:
                    prompt = Prompt.objects.filter(key=key, language=language).first()
                    recorded = prompt is not None and bool(prompt.audio)
                    if recorded and (not prompt.placeholder or not force):
                        kept += 1  # a person's recording, or already rendered
                        continue
                    text = default_text(key, language)
                    if not text:
                        continue
                    target = Path(tmp) / f"{language}-{key}.wav"
                    result = subprocess.run(
                        [espeak, "-v", ESPEAK_VOICES[language], "-s", "140", "-w", target, text],
                        capture_output=True,
                        text=True,
                        timeout=60,
                    )
                    if result.returncode != 0 or not target.exists():
                        raise CommandError(
                            f"espeak-ng failed on {key} [{language}]: {result.stderr.strip()}"
                        )
                    prompt = prompt or Prompt(key=key, language=language)
                    if prompt.audio:
                        prompt.audio.delete(save=False)
                    with target.open("rb") as audio:
                        prompt.audio.save(f"{key}.wav", File(audio), save=False)
                    prompt.placeholder = True
                    prompt.save()
                    rendered += 1
        prompts_changed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rendered {rendered} placeholder recordings; kept {kept} existing ones."
            )
        )
