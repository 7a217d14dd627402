"""Property tests: any text, NUL bytes, huge numbers and long strings in any console form.

Every console page that takes a POST gets every form field the console's templates use,
filled by hypothesis. Whatever arrives, the answer is a page or a redirect (2xx/3xx) or a
refusal (4xx), never a server error. The field names are read from the templates, so forms
added later are covered too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.test_access_matrix import WORLD_IDS, _fill, _world, all_patterns

TEMPLATES = Path(__file__).resolve().parents[2] / "console" / "templates"
FIELD_NAMES = sorted(
    {
        name
        for template in TEMPLATES.rglob("*.html")
        for name in re.findall(r'name="([a-z_]+)"', template.read_text(encoding="utf-8"))
    }
    - {"viewport", "csrfmiddlewaretoken", "file"}
)

hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(min_size=1000, max_size=3000),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(
        ["\x00", "a\x00b", "¹", "²³", "１２３", "٣", "1e400", "-1", "0", "9" * 30, "NaN", "‮"]
    ),
)
EXAMPLES = 60
forms = st.fixed_dictionaries({}, optional={name: hostile_text for name in FIELD_NAMES})


def console_post_paths() -> list[str]:
    paths = []
    for pattern in all_patterns():
        if not pattern.startswith("console/") or "logout" in pattern or "login" in pattern:
            continue
        path = _fill(pattern, WORLD_IDS["in"])
        if path is not None:
            paths.append(path)
    return paths


@pytest.fixture
def console_world(tree, staff, kz, placement):
    return _world("in", tree.k7, staff_user=staff.local7)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["agent", "district"])
def test_no_console_form_input_gives_a_server_error(console_world, staff, role):
    client = Client(raise_request_exception=False)
    client.force_login(getattr(staff, role))
    client.cookies["django_language"] = "en"
    paths = console_post_paths()
    assert len(paths) >= 10
    errors: list[str] = []

    @given(path=st.sampled_from(paths), data=forms)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def post(path, data):
        response = client.post(path, data)
        if response.status_code >= 500:
            errors.append(f"{role} POST {path} {data!r:.1500} -> {response.status_code}")

    post()
    assert not errors, "\n".join(errors[:30])
