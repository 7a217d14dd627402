"""Every URL pattern, for every role, inside and outside its jurisdiction, across countries.

The patterns are read from the URL resolver, so endpoints added later are covered as soon as
they exist. Each parameterised URL is filled with the id of an object in one of three worlds:
inside the Mongolian home jurisdiction (khoroo 7), in another Mongolian district, and in
Kazakhstan. Every model's row of a world has the same id (7001, 8001, 9001), so a URL taking
``<int:pk>`` of any model names that world's object. A role outside a world must never get a
2xx for it, nothing of the world may change when it posts there, and no page or list it
reads may contain the world's marker text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from cases.models import Case, CaseDocument, Facility, Status
from channels_app.models import CallbackRequest
from crm.models import Conversation, Identity, Interaction, Role
from tests.cases.factories import CaseDocumentFactory, FacilityFactory, facility_staff
from tests.factories import ContactFactory, UserFactory

WORLD_IDS = {"in": 7001, "dist": 8001, "kz": 9001}
MARKERS = {"in": "Zqwin", "dist": "Zqwdist", "kz": "Zqwkz"}

# Reachable without a staff sign-in, by design: providers, devices, citizens, probes, docs.
PUBLIC = (
    r"^health/$",
    r"^ready/$",
    r"^api/schema/$",
    r"^api/docs/",
    r"^api/v1/auth/token/$",
    r"^console/login/$",
    r"^console/language/$",
    r"^admin/login/$",
    r"^(admin|console)/logout/$",
    r"^i18n/",
    r"^sms/twilio/",
    r"^ivr/twilio/",
    r"^telegram/webhook",
    r"^kiosk/",
    r"^status/",
    r"^static/",
)
# Patterns whose objects are shared across a whole country, not a unit: care homes (allocation
# may pick any accredited home of the country).
COUNTRY_WIDE = (r"facilit",)
# Patterns not walked: format suffixes repeat their base pattern; the admin's catch-all.
SKIPPED = (r"\(\?P<format>", r"<drf_format_suffix:format>", r"^admin/\(\?P<url>")


def _patterns(patterns, prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _fill(pattern: str, object_id: int) -> str | None:
    """A concrete path for a route or regex pattern, or None when it cannot be filled."""
    values = {"action_name": "submit", "action": "submit", "app_label": "crm", "code": "x"}

    def value(name: str) -> str:
        return str(values.get(name, object_id))

    # Regex groups first: their "<name>" would otherwise read as a route converter.
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), pattern)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
    if re.search(r"[()\[\]*+?|\\]", path):
        return None
    return "/" + path


def all_patterns() -> list[str]:
    return [
        p
        for p in _patterns(get_resolver().url_patterns)
        if not any(re.search(skip, p) for skip in SKIPPED)
    ]


def is_public(path: str) -> bool:
    return any(re.search(rule, path.lstrip("/")) for rule in PUBLIC)


@dataclass
class World:
    name: str
    contact: object
    case: object


def _world(name: str, unit, *, staff_user) -> World:
    object_id = WORLD_IDS[name]
    marker = MARKERS[name]
    contact = ContactFactory(id=object_id, last_name=marker, first_name=marker, address_unit=unit)
    Identity.objects.create(
        contact=contact,
        scheme=Identity.Scheme.PHONE,
        value={"in": "+97699117001", "dist": "+97699118001", "kz": "+77012349001"}[name],
    )
    district = unit.parent
    facility = FacilityFactory(id=object_id, name=f"Care home {object_id}", unit=district)
    conversation = Conversation.objects.create(
        id=object_id, contact=contact, channel="sms", address="+0"
    )
    Interaction.objects.create(
        id=object_id,
        contact=contact,
        conversation=conversation,
        channel="sms",
        direction="in",
        body=f"{marker} message",
    )
    CallbackRequest.objects.create(
        id=object_id,
        contact=contact,
        channel="sms",
        phone="+0",
        due_at=timezone.now() + timezone.timedelta(hours=1),
    )
    case = Case.objects.create(
        id=object_id,
        number=f"2026-{object_id:06d}",
        service=__import__("tests.cases.factories", fromlist=["x"]).placement_service(),
        status=Status.ALLOCATED,
        beneficiary=contact,
        origin_channel="sms",
        unit=unit,
        facility=facility,
        reason_for_care=f"{marker} reason",
    )
    CaseDocumentFactory(id=object_id, case=case, kind=CaseDocument.Kind.GOVERNOR_DECREE)
    return World(name, contact, case)


def _fingerprint(world: World) -> tuple:
    case = Case.objects.get(pk=world.case.pk)
    contact = type(world.contact).objects.get(pk=world.contact.pk)
    conversation = Conversation.objects.get(pk=WORLD_IDS[world.name])
    return (
        case.status,
        case.facility_id,
        case.events.count(),
        case.documents.count(),
        contact.merged_into_id,
        contact.first_name,
        contact.interactions.count(),
        conversation.status,
        conversation.assignee_id,
        CallbackRequest.objects.get(pk=WORLD_IDS[world.name]).status,
        Facility.objects.filter(pk=WORLD_IDS[world.name]).count(),
    )


@pytest.fixture
def matrix(tree, staff, kz, placement):
    worlds = {
        "in": _world("in", tree.k7, staff_user=staff.local7),
        "dist": _world("dist", tree.s1, staff_user=staff.local_s1),
        "kz": _world("kz", kz.okrug, staff_user=kz.local),
    }
    home_staff = facility_staff(Facility.objects.get(pk=WORLD_IDS["in"]), "matrix.carehome")
    kz_care = facility_staff(Facility.objects.get(pk=WORLD_IDS["kz"]), "matrix.kz.carehome")
    kz_admin = UserFactory(username="kz.admin.unit", role=Role.DISTRICT_WORKER, unit=kz.district)
    # The worlds each account may see: the unit rule, and care homes their residents.
    roles = {
        "admin": (staff.admin, {"in", "dist", "kz"}),
        "agent": (staff.agent, {"in", "dist"}),
        "supervisor": (staff.supervisor, {"in", "dist"}),
        "local7": (staff.local7, {"in"}),
        "local12": (staff.local12, set()),
        "local_s1": (staff.local_s1, {"dist"}),
        "district": (staff.district, {"in"}),
        "district_sbd": (staff.district_sbd, {"dist"}),
        "carehome": (home_staff, {"in"}),
        "kz_agent": (kz.agent, {"kz"}),
        "kz_supervisor": (kz.supervisor, {"kz"}),
        "kz_local": (kz.local, {"kz"}),
        "kz_district": (kz_admin, {"kz"}),
        "kz_carehome": (kz_care, {"kz"}),
    }
    return worlds, roles


COUNTRY_OF_WORLD = {"in": "MN", "dist": "MN", "kz": "KZ"}


def _visible(path: str, seen: set[str], world: str, country: str) -> bool:
    if any(re.search(rule, path) for rule in COUNTRY_WIDE):
        return country in ("*", COUNTRY_OF_WORLD[world])
    return world in seen


def _body(response) -> str:
    content = getattr(response, "content", b"")
    return content.decode("utf-8", "replace") if isinstance(content, bytes) else ""


@pytest.mark.django_db
def test_no_role_reaches_what_lies_outside_its_jurisdiction(matrix, api):
    worlds, roles = matrix
    patterns = all_patterns()
    parameterised = [p for p in patterns if re.search(r"<|\(\?P<", p)]
    plain = [p for p in patterns if p not in parameterised]
    leaks: list[str] = []
    errors: list[str] = []
    for role, (user, seen) in roles.items():
        country = "*" if user.sees_everything else ("KZ" if role.startswith("kz") else "MN")
        client = Client(raise_request_exception=False)
        client.force_login(user)
        client.cookies["django_language"] = "en"
        hidden = [w for w in worlds if w not in seen]
        before = {w: _fingerprint(worlds[w]) for w in hidden}
        admin_only = not user.is_staff
        for pattern in parameterised:
            if admin_only and pattern.startswith("admin/") and role not in ("agent", "local7"):
                continue  # one non-staff role per country shows the admin refuses them all
            checked_visible = False
            for world in worlds:
                path = _fill(pattern, WORLD_IDS[world])
                if path is None or is_public(path):
                    continue
                visible = _visible(path, seen, world, country)
                if visible and checked_visible:
                    continue  # one world it may see is enough to catch a 5xx
                checked_visible = checked_visible or visible
                for method in ("get", "post"):
                    if method == "post" and (visible or pattern.startswith("admin/")):
                        continue
                    response = getattr(client, method)(path)
                    status = response.status_code
                    where = f"{role} {method.upper()} {path} -> {status}"
                    if status >= 500:
                        errors.append(where)
                    elif not visible and 200 <= status < 300:
                        leaks.append(where)
                    elif not visible and 300 <= status < 400:
                        # A redirect home or to sign in is a refusal; one that leads on to the
                        # object (a page about it) is not.
                        target = response.get("Location", "")
                        if str(WORLD_IDS[world]) in target and "login" not in target:
                            leaks.append(f"{where} (redirect to {target})")
        for pattern in plain:
            path = _fill(pattern, 0)
            if path is None or is_public(path) or (admin_only and path.startswith("/admin/")):
                continue
            for query in ("", "?q=Zqw&status=all&page_size=100"):
                response = client.get(path + query)
                if response.status_code >= 500:
                    errors.append(f"{role} GET {path}{query} -> {response.status_code}")
                body = _body(response)
                for world in hidden:
                    if MARKERS[world] in body and not _visible(path, seen, world, country):
                        leaks.append(f"{role} GET {path}{query} shows {world}'s citizen")
        after = {w: _fingerprint(worlds[w]) for w in hidden}
        for world in hidden:
            if before[world] != after[world]:
                leaks.append(f"{role} changed {world}: {before[world]} -> {after[world]}")
    assert not errors, "\n".join(errors)
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_without_a_staff_sign_in_only_the_public_paths_answer(matrix):
    anonymous = Client(raise_request_exception=False)
    leaks = []
    for pattern in all_patterns():
        path = _fill(pattern, WORLD_IDS["in"])
        if path is None or is_public(path):
            continue
        for method in ("get", "post"):
            response = getattr(anonymous, method)(path)
            status = response.status_code
            if status >= 500 or 200 <= status < 300:
                leaks.append(f"{method.upper()} {path} -> {status}")
            elif 300 <= status < 400 and "login" not in response.get("Location", ""):
                leaks.append(f"{method.upper()} {path} -> {status} {response['Location']}")
    assert not leaks, "\n".join(leaks)


def test_the_matrix_walks_every_kind_of_endpoint():
    patterns = all_patterns()
    for expected in ("api/v1/", "console/", "admin/"):
        assert any(p.startswith(expected) for p in patterns)
    filled = [_fill(p, 7001) for p in patterns]
    assert "/api/v1/cases/7001/actions/submit/" in filled
    assert "/console/cases/7001/documents/7001/" in filled
