"""Every text a person reads exists in Mongolian, Kazakh and Russian.

The staff and the citizens read the catalogues compiled into ``.mo`` files, so three things
must hold for every catalogue of the project (the top-level ``locale/`` and each app's own):
no entry is left untranslated (plural forms included) or fuzzy (Django ignores fuzzy entries,
so the English original shows), the committed ``.mo`` says exactly what its ``.po`` says, and
every msgid the code and templates use is in its catalogue (``makemessages`` run on a copy of
the project adds nothing new).
"""

from __future__ import annotations

import ast
import gettext
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("mn", "kk", "ru")
# Where makemessages must not look: the environment, outputs and the tests themselves.
NOT_SOURCES = {
    ".venv",
    ".git",
    "artifacts",
    "node_modules",
    "staticfiles",
    "media",
    "tests",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
}

needs_gettext = pytest.mark.skipif(
    shutil.which("msgfmt") is None or shutil.which("msgmerge") is None,
    reason="GNU gettext (msgfmt, msgmerge) is not installed (apt-get install gettext)",
)


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    def name(self) -> str:
        return f"{self.msgctxt}|{self.msgid}" if self.msgctxt else self.msgid


def read_po(path: Path) -> list[Entry]:
    """The live entries of a .po file (obsolete ``#~`` entries are left out)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # the field continuation lines extend

    def start(line_number: int) -> Entry:
        nonlocal current
        if current is None:
            current = Entry(line=line_number)
            entries.append(current)
        return current

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, target = None, None
        elif line.startswith("#,"):
            if current is not None and (current.msgid or current.msgstr):
                current = None
            start(number).flags.update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"{path}:{number}: a string outside any field")
            value = ast.literal_eval(line)
            kind, index = target
            if kind == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, kind, (getattr(current, kind) or "") + value)
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword in ("msgctxt", "msgid") and current is not None and current.msgstr:
                current = None  # an entry without the blank line before it
            entry = start(number)
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                entry.msgstr[index] = value
                target = ("msgstr", index)
            elif keyword in ("msgctxt", "msgid", "msgid_plural"):
                setattr(entry, keyword, value)
                target = (keyword, 0)
            else:
                raise ValueError(f"{path}:{number}: unknown keyword {keyword!r}")
    return entries


def gaps(path: Path, root: Path = ROOT) -> list[str]:
    """The entries of a catalogue a reader would see in English, each named with its line."""
    where = path.relative_to(root)
    found = []
    for entry in read_po(path):
        if entry.msgid == "" and entry.msgctxt is None:
            continue  # the header
        if "fuzzy" in entry.flags:
            found.append(f"{where}:{entry.line}: fuzzy: {entry.name()!r}")
        elif not entry.msgstr or any(not text for text in entry.msgstr.values()):
            found.append(f"{where}:{entry.line}: untranslated: {entry.name()!r}")
    return found


def catalogues(root: Path = ROOT) -> list[Path]:
    """Every django.po of the project: top-level locale/ and each app's locale/."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in NOT_SOURCES)
        if "django.po" in filenames and Path(dirpath).parent.parent.name == "locale":
            found.append(Path(dirpath) / "django.po")
    return sorted(found)


def _compiled(mo: Path) -> dict:
    with mo.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)


def test_the_project_has_a_catalogue_per_language_wherever_it_has_one_at_all():
    found = catalogues()
    locale_dirs = sorted({po.parents[2] for po in found})
    assert ROOT / "locale" in locale_dirs
    for locale_dir in locale_dirs:
        for language in LANGUAGES:
            assert (locale_dir / language / "LC_MESSAGES" / "django.po").exists(), (
                f"{locale_dir.relative_to(ROOT)} has no {language} catalogue"
            )


def test_no_entry_of_any_catalogue_is_untranslated_or_fuzzy():
    found = [gap for po in catalogues() for gap in gaps(po)]
    assert not found, f"{len(found)} entries read in English:\n" + "\n".join(found[:60])


def test_the_checker_sees_empty_plural_forms_and_fuzzy_entries(tmp_path):
    po = tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=3; plural=(n%10==1 ? 0 : 1);\\n"\n\n'
        'msgid "Done"\nmsgstr "Готово"\n\n'
        'msgid "one case"\nmsgid_plural "%(n)s cases"\n'
        'msgstr[0] "одно"\nmsgstr[1] ""\nmsgstr[2] "много"\n\n'
        '#, fuzzy\nmsgid "Close"\nmsgstr "Закрыть"\n\n'
        'msgctxt "button"\nmsgid "Open"\nmsgstr ""\n"Откр"\n"ыть"\n\n'
        '#~ msgid "Gone"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    names = [gap.split(": ", 1)[1] for gap in gaps(po, tmp_path)]
    assert names == ["untranslated: 'one case'", "fuzzy: 'Close'"]
    entries = {e.name(): e for e in read_po(po)}
    assert entries["button|Open"].msgstr == {0: "Открыть"}


@needs_gettext
def test_every_compiled_catalogue_says_what_its_po_says(tmp_path):
    stale = []
    for po in catalogues():
        mo = po.with_suffix(".mo")
        if not mo.exists():
            stale.append(f"{mo.relative_to(ROOT)} is missing")
            continue
        fresh = tmp_path / "fresh.mo"
        # The check Django's compilemessages makes: placeholders match in every translation.
        result = subprocess.run(
            ["msgfmt", "--check-format", "-o", str(fresh), str(po)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, f"{po.relative_to(ROOT)}:\n{result.stderr}"
        if _compiled(fresh) != _compiled(mo):
            stale.append(f"{mo.relative_to(ROOT)} differs from its .po (run compilemessages)")
    assert not stale, "\n".join(stale)


@needs_gettext
def test_every_text_the_code_and_templates_use_is_in_its_catalogue(tmp_path):
    """makemessages on a copy of the project: any msgid it adds arrives untranslated/fuzzy."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=lambda directory, names: [
            n for n in names if n in NOT_SOURCES or n.endswith((".mo", ".sqlite3", ".pyc"))
        ],
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", *(f"-l{lang}" for lang in LANGUAGES)],
        cwd=copy,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # Django merges every catalogue at run time (LOCALE_PATHS, then each app's, then its own),
    # so a text is read in the language when any of them translates it.
    missing = []
    for language in LANGUAGES:
        known = translated_keys(language)
        for po in catalogues(copy):
            if po.parents[1].name != language:
                continue
            for entry in read_po(po):
                read_in_english = "fuzzy" in entry.flags or not all(entry.msgstr.values())
                if entry.msgid and read_in_english and (entry.msgctxt, entry.msgid) not in known:
                    missing.append(f"{language}: {entry.name()!r} ({po.relative_to(copy)})")
    assert not missing, (
        f"{len(missing)} texts used in the code or templates are in no {'/'.join(LANGUAGES)} "
        "catalogue (run makemessages -l mn -l kk -l ru and translate them):\n" + "\n".join(missing)
    )


def translated_keys(language: str) -> set[tuple[str | None, str]]:
    """(msgctxt, msgid) of every entry a catalogue Django loads translates into the language."""
    import django

    django_po = Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES"
    sources = [po for po in catalogues() if po.parents[1].name == language]
    sources += [django_po / "django.po"] if (django_po / "django.po").exists() else []
    return {
        (entry.msgctxt, entry.msgid)
        for po in sources
        for entry in read_po(po)
        if entry.msgid
        and "fuzzy" not in entry.flags
        and entry.msgstr
        and all(entry.msgstr.values())
    }
