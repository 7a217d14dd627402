"""A start-up warning while Mongolian or Kazakh prompts still have no recording."""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

from .prompts import missing_recordings


@register(Tags.database)
def prompts_recorded(app_configs=None, databases=None, **kwargs) -> list[Warning]:
    """Run by ``migrate`` and ``check --database default``: it reads the prompt table."""

    try:
        missing = missing_recordings()
    except DatabaseError:
        return []  # not migrated yet
    return [
        Warning(
            f"{len(keys)} voice prompts have no {language} recording; callers choosing "
            f"{language} hear them in Russian ({', '.join(keys[:5])}"
            f"{', ...' if len(keys) > 5 else ''}).",
            hint="Upload recordings at /admin/ivr/prompt/ (Mongolian must be recorded by a "
            "person); `manage.py ivr_prompts_render` makes synthetic kk placeholders.",
            id="ivr.W001",
        )
        for language, keys in missing.items()
        if keys
    ]
