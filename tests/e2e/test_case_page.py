"""The case page in a real browser: a confirmation refused and then given, an admission with
its room and bed, a refused step that stays on the case's address, and the messages sent to the
relative who asked for the person.

Runs on the demo data: Намжил Оюунчимэг's request is allocated to the Songinokhairkhan home,
Баяр Бат's is a draft in khoroo 12.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

OYUN_ID = "УК48020546"  # allocated to the Songinokhairkhan care home
BAT_ID = "УЕ50071933"  # a draft of khoroo 12


def open_case(page, status: str, national_id: str) -> str:
    """Finds the case with the worklist's search and opens it; returns its number."""
    page.goto(f"/console/cases/?status={status}")
    page.fill("#wl-q", national_id)
    page.locator("#worklist-filters button").click()
    rows = page.locator("#worklist tbody tr")
    expect(rows).to_have_count(1)
    number = rows.first.get_attribute("data-case")
    page.get_by_role("link", name=number).first.click()
    expect(page.locator("h1")).to_contain_text(number)
    return number


def test_the_care_home_refuses_then_gives_the_confirmation_and_admits_to_a_bed(
    live, sign_in, screenshot
):
    home = sign_in("care.skh")
    open_case(home, "allocated", OYUN_ID)
    case_url = home.url

    # Accepting asks first; "No, go back" sends nothing.
    home.locator("button[data-action=accept]").click()
    dialog = home.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Accept this person into your care home?")
    screenshot(home, "case-confirm-accept")
    dialog.locator("#confirm-no").click()
    expect(dialog).to_be_hidden()
    expect(home.locator("#case-status")).to_have_text("Allocated")
    home.reload()
    expect(home.locator("#case-status")).to_have_text("Allocated")
    assert home.url == case_url

    # Confirmed, it happens.
    home.locator("button[data-action=accept]").click()
    dialog.locator("#confirm-yes").click()
    expect(home.locator("#case-status")).to_have_text("Waitlisted")

    # Admission: the day (today by default), the room and the bed, confirmed.
    expect(home.locator("#admit-date")).not_to_have_value("")
    home.fill("#admit-room", "7")
    home.fill("#admit-bed", "2")
    screenshot(home, "case-admission-form")
    home.locator("button[data-action=admit]").click()
    expect(dialog).to_contain_text("moved in on this day, in this bed")
    dialog.locator("#confirm-yes").click()
    expect(home.locator("#case-status")).to_have_text("In service")
    expect(home.locator("#case-admission")).to_contain_text("Room 7, bed 2")
    expect(home.locator("#history")).to_contain_text("Room 7, bed 2")
    # The history names people, with their role, not accounts.
    expect(home.locator("#history td[data-actor]").last).to_contain_text("·")
    screenshot(home, "case-admitted")


def test_a_refused_submit_stays_on_the_case_address_and_a_reload_posts_nothing(
    live, sign_in, screenshot
):
    local = sign_in("local.skh12")
    open_case(local, "draft", BAT_ID)
    case_path = re.sub(r"^https?://[^/]+", "", local.url).split("#")[0]
    # Nothing is missing in the browser's eyes; the workflow refuses (documents missing).
    local.locator("button[data-action=submit]").click()
    local.wait_for_load_state("networkidle")
    expect(local.locator("#action-submit .error")).to_contain_text("Missing")
    assert "/actions/" not in local.url
    assert local.url.split("#")[0].endswith(case_path)
    screenshot(local, "case-refused-submit")
    # A reload is a GET of the case: no resubmission, and the refusal has been read.
    posts: list[str] = []
    local.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    local.reload()
    local.wait_for_load_state("networkidle")
    assert posts == []
    expect(local.locator("#case-status")).to_have_text("Saved (draft)")
    expect(local.locator("#action-submit .error")).to_have_count(0)


def test_the_case_page_lists_the_messages_sent_to_the_relative_who_asked(live, sign_in, screenshot):
    # A daughter asked for her mother at the khoroo; the district cancels the request (the
    # family takes her in) and both are told by SMS.
    made = live.manage(
        "shell",
        "-c",
        "from crm.models import AdminUnit, Contact, Identity, User\n"
        "from cases.models import Service\n"
        "from cases.services import case_create\n"
        "from cases.transitions import case_apply_action\n"
        "unit = AdminUnit.objects.get(path='MN/UB/SKH/07/')\n"
        "mother = Contact.objects.create(first_name='Ханд', last_name='Лувсан', sex='F',"
        " address_unit=unit, preferred_language='mn', is_identified=True)\n"
        "daughter = Contact.objects.create(first_name='Солонго', last_name='Лувсан',"
        " address_unit=unit, preferred_language='mn', is_identified=True)\n"
        "Identity.objects.create(contact=daughter, scheme='phone', value='+97699008822')\n"
        "local = User.objects.get(username='local.skh07')\n"
        "case = case_create(beneficiary=mother, applicant=daughter,"
        " applicant_relationship='child', service=Service.objects.get(code='care-home-placement'),"
        " actor=local, origin_channel='walk_in')\n"
        "case = case_apply_action(case=case, action='cancel',"
        " actor=User.objects.get(username='district.skh'),"
        " payload={'reason': 'Гэр бүл нь асрахаар болсон'})\n"
        "print(case.pk)\n",
    )
    pk = made.strip().splitlines()[-1]
    local = sign_in("local.skh07")
    local.goto(f"/console/cases/{pk}/")
    messages = local.locator("#history [data-message-to]")
    to_daughter = messages.filter(has_text="Лувсан Солонго")
    expect(to_daughter).to_have_count(1)
    expect(to_daughter).to_contain_text("asked on their behalf")
    expect(to_daughter).to_contain_text("+97699008822")
    expect(local.locator("#history")).not_to_contain_text("No messages sent yet.")
    local.locator("#case-messages").scroll_into_view_if_needed()
    screenshot(local, "case-messages-to-applicant")
