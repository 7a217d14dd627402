"""Dates and numbers in each staff language: 02.12.2026 in Russian and Kazakh, 2026.12.02 in
Mongolian, 2026-12-02 in English (never the US month-first order), a 24-hour clock in all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines
from django.utils import translation

MOMENT = dt.datetime(2026, 12, 2, 14, 30)
PAGE = engines["django"].from_string(
    '{{ at|date:"SHORT_DATETIME_FORMAT" }} | {{ at|date:"SHORT_DATE_FORMAT" }} | '
    '{{ at|date:"DATE_FORMAT" }} | {{ amount|floatformat:"g" }}'
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("mn", "2026.12.02 14:30 | 2026.12.02 | 2026 оны 12 сарын 2 | 1,234,567.5"),
        ("kk", "02.12.2026 14:30 | 02.12.2026 | 2026 жылғы 2 Желтоқсан | 1\xa0234\xa0567,5"),
        ("ru", "02.12.2026 14:30 | 02.12.2026 | 2 декабря 2026 г. | 1\xa0234\xa0567,5"),
        ("en", "2026-12-02 14:30 | 2026-12-02 | 2 December 2026 | 1,234,567.5"),
    ],
)
def test_dates_and_numbers_read_in_the_staff_language(language, expected):
    with translation.override(language):
        assert PAGE.render({"at": MOMENT, "amount": 1234567.5}) == expected
