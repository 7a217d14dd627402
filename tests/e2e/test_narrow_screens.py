"""Every staff page works on a 390 px phone: nothing makes the page scroll sideways.

The pages are not listed by hand: every route of the console and of the privacy pages whose
address holds only object ids is tried with the demo's objects, as each role in turn, and
whatever answers a whole HTML page is a page to check (POST-only actions, downloads and htmx
fragments answer something else). Each page is checked once, as the first role that may open
it, at 390x844: the document is no wider than the screen and no element reaches past its edge
unless it sits in a box that scrolls on its own (a wide table). A screenshot of each is saved to
artifacts/screenshots/narrow/.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 390, 844
NAMESPACES = ("console", "audit")
# Who signs in, in this order: a page is checked as the first of them that may open it, so
# the workers in the field see their case pages on the phone before the desk staff do.
ROLES = (
    "local.skh07",
    "district.skh",
    "care.skh",
    "kz.clerk.zer",
    "kz.akim.zer",
    "agent.bolor",
    "supervisor",
    "admin",
)
# Pages laid out by the inbox's own markup, which is being reworked on its own.
INBOX_LAYOUT = re.compile(r"^/console/(inbox|conversations)/")

# The demo objects whose ids fill each route, by the word before the id in the address.
DEMO_IDS = """
from crm.models import Contact, Conversation, User
from cases.models import Case, CaseDocument
from cases.organisations import Organisation
from channels_app.models import CallbackRequest
from crm.models import Consent

def ids(queryset, n=1):
    return list(queryset.values_list("pk", flat=True)[:n])

def per_country(queryset, unit):
    return [
        pk
        for country in ("MN", "KZ")
        for pk in ids(queryset.filter(**{unit + "__path__startswith": country}))
    ]

cases = []
for workflow in sorted(set(Case.objects.values_list("service__workflow", flat=True))):
    # a case that has gone some way: it has documents and history to show
    cases += ids(Case.objects.filter(service__workflow=workflow).order_by("-updated_at"))
documents = CaseDocument.objects.values_list("case_id", "pk")
result = {
    "conversations": per_country(
        Conversation.objects.order_by("-last_activity_at"), "contact__address_unit"
    ),
    "citizens": per_country(Contact.objects.filter(cases__isnull=False).distinct(), "address_unit"),
    "cases": cases,
    "organisations": ids(Organisation.objects.order_by("pk")),
    "staff": ids(User.objects.filter(username="agent.bolor")),
    "callbacks": ids(CallbackRequest.objects.order_by("pk")),
    "consents": ids(Consent.objects.filter(withdrawn_at__isnull=True).order_by("pk")),
    # routes with two ids take pairs, named by both words
    "cases/documents": [list(pair) for pair in documents[:1]],
}
"""

FITS = """
() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const overflow = getComputedStyle(p).overflowX;
      if (overflow === "auto" || overflow === "scroll") return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.classList.length ? "." + [...el.classList].join(".") : "");
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (!box.width && !box.height) continue;
    if ((box.right > width + 1 || box.left < -1) && !scrolls(el)) {
      wide.push(`${name(el)} ${Math.round(box.left)}..${Math.round(box.right)}px`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 8)};
}
"""


def _routes(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace or ""
            if namespace in NAMESPACES:
                found += _routes(entry, f"{namespace}:")
        elif isinstance(entry, URLPattern) and entry.name and prefix:
            found.append((prefix + entry.name, entry))
    return found


def candidate_urls(demo_ids: dict[str, list[int]]) -> list[str]:
    """Every address of the staff pages that holds only ids, filled with the demo's objects."""
    urls = []
    for name, pattern in _routes(get_resolver()):
        route = str(pattern.pattern)
        if "." in route.rsplit("/", 1)[-1]:
            continue  # a download (.csv, .pdf, .json)
        converters = pattern.pattern.converters
        if any(type(c).__name__ != "IntConverter" for c in converters.values()):
            continue  # actions and exports are named by slugs, pages only by ids
        if not converters:
            urls.append(reverse(name))
            continue
        # the word before each id names its object: cases/<pk>/, privacy/staff/<pk>/ ...
        words = re.findall(r"([a-z_]+)/<int:(\w+)>", route)
        key = "/".join(word for word, _ in words)
        # no demo object: id 0, which no role opens, so the test names the route
        for values in demo_ids.get(key) or [[0] * len(words)]:
            values = values if isinstance(values, list) else [values]
            kwargs = dict(zip([kwarg for _, kwarg in words], values, strict=True))
            urls.append(reverse(name, kwargs=kwargs))
    return sorted(set(urls))


def _context(browser, live, username: str | None):
    """A phone-sized browser session, signed in as ``username`` (through the sign-in form)."""
    context = browser.new_context(
        base_url=live.base_url,
        locale="en-US",
        viewport={"width": WIDTH, "height": HEIGHT},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    context.add_cookies([{"name": "django_language", "value": "en", "url": live.base_url}])
    if username:
        context.request.get("/console/login/")
        token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
        response = context.request.post(
            "/console/login/",
            form={
                "username": username,
                "password": live.accounts[username],
                "csrfmiddlewaretoken": token,
            },
            max_redirects=0,
        )
        assert response.status == 302, f"{username} could not sign in: {response.status}"
    return context


def _is_page(response) -> bool:
    if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
        return False
    return "<html" in response.text()[:2000].lower()


@pytest.fixture(scope="module")
def sessions(live, browser):
    """One signed-in phone-sized session per role, for the whole module."""
    opened = {role: _context(browser, live, role) for role in ROLES}
    opened["anonymous"] = _context(browser, live, None)
    yield opened
    for context in opened.values():
        context.close()


@pytest.fixture(scope="module")
def pages_by_role(live, sessions) -> dict:
    """{role: [urls]}: each page given to the first role that may open it; "nobody": the rest."""
    remaining = candidate_urls(live.query(DEMO_IDS))
    answers: dict[str, set[tuple[int, bool]]] = {url: set() for url in remaining}
    assigned: dict[str, list[str]] = {"anonymous": ["/console/login/"]}
    for role in ROLES:
        for url in list(remaining):
            response = sessions[role].request.get(url, max_redirects=0)
            status = 405 if response.status == 405 else response.status // 100 * 100
            answers[url].add((status, "text/html" in response.headers.get("content-type", "")))
            if _is_page(response):
                assigned.setdefault(role, []).append(url)
                remaining.remove(url)
    # Not a page: POST-only (405), a redirect, a download or a fragment for whoever may open
    # it (200), or no HTML at all (a file that is not there). What is left is an HTML page no
    # role could open: 403/404 for everyone.
    assigned["nobody"] = [
        url
        for url in remaining
        if not {status for status, _ in answers[url]} & {200, 300, 405}
        and any(html for _, html in answers[url])
    ]
    return assigned


def _check(page, url: str, shot: str) -> str | None:
    """None when the page fits the screen, else what sticks out."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOTS / "narrow" / f"{shot}.png"), full_page=True)
    measured = page.evaluate(FITS)
    if measured["scrollWidth"] <= WIDTH and not measured["wide"]:
        return None
    return f"{url}: {measured['scrollWidth']} px wide; {', '.join(measured['wide'])}"


def _shot_name(role: str, url: str) -> str:
    return f"{role}--" + (re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home")


def test_every_staff_page_opens_for_some_role(pages_by_role):
    assert not pages_by_role["nobody"], (
        "no role could open these pages (add the role to ROLES or a demo object to DEMO_IDS): "
        f"{pages_by_role['nobody']}"
    )
    everything = [url for role, urls in pages_by_role.items() if role != "nobody" for url in urls]
    # the pages every desk has: the sign-in landing pages, cases, citizens, supervisor, privacy
    for expected in ("/console/cases/", "/console/citizens/", "/console/supervisor/"):
        assert expected in everything
    assert any(url.startswith("/console/privacy/") for url in everything)
    assert any(re.match(r"^/console/cases/\d+/$", url) for url in everything)


@pytest.mark.parametrize("role", ("anonymous", *ROLES))
def test_every_page_fits_a_390px_screen(role, sessions, pages_by_role, request):
    (SCREENSHOTS / "narrow").mkdir(parents=True, exist_ok=True)
    urls = pages_by_role.get(role, [])
    if not urls:
        pytest.skip(f"{role} is the first to open none of the pages")
    page = sessions[role].new_page()
    page.set_default_timeout(15_000)
    try:
        problems = [
            problem for url in urls if (problem := _check(page, url, _shot_name(role, url)))
        ]
        if role != "anonymous":
            # the top bar folds into a menu: closed, its links are hidden; opened, they fit
            nav = page.locator("header.topbar nav a").first
            assert not nav.is_visible()
            page.click("[data-menu-toggle]")
            assert nav.is_visible()
            page.screenshot(path=str(SCREENSHOTS / "narrow" / f"{role}--menu.png"))
            measured = page.evaluate(FITS)
            if measured["scrollWidth"] > WIDTH or measured["wide"]:
                problems.append(f"the open menu: {measured}")
    finally:
        page.close()
    if problems and all(INBOX_LAYOUT.match(p.split(":", 1)[0]) for p in problems):
        request.applymarker(
            pytest.mark.xfail(reason="the inbox's own layout is reworked separately", strict=False)
        )
    assert not problems, "wider than a 390 px screen:\n" + "\n".join(problems)
