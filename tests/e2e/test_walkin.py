"""A citizen's son walks into the khoroo office: the local worker registers his mother by her
national ID, records the household and the application with consent, attaches the papers and
sends the request; then the mother's consent to messages is withdrawn (asked first, refused
once, then confirmed)."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
MOTHER = "УБ38021405"
SON = "УБ68111219"


def _in_registry(live) -> None:
    """Two people the state registry knows and the CRM does not yet, in khoroo 7."""
    live.query(
        "from crm.models import RegistryPerson\n"
        "import datetime as dt\n"
        f"RegistryPerson.objects.update_or_create(national_id='{MOTHER}', defaults=dict("
        "first_name='Должин', last_name='Самдан', birth_date=dt.date(1938, 2, 14), sex='F',"
        " address_unit_path='MN/UB/SKH/07/', address_text='7-р хороо, 3-р байр'))\n"
        f"RegistryPerson.objects.update_or_create(national_id='{SON}', defaults=dict("
        "first_name='Ганзориг', last_name='Должин', birth_date=dt.date(1968, 11, 12), sex='M',"
        " address_unit_path='MN/UB/SKH/07/', address_text='7-р хороо, 3-р байр'))\n"
        "result = True"
    )


def test_walk_in_registration_to_a_submitted_case_then_consent_withdrawn(live, sign_in, screenshot):
    _in_registry(live)
    page = sign_in("local.skh07")
    page.click("nav >> text=Register")
    page.wait_for_url("**/console/register/")

    # A Latin keyboard: the number is refused with a reason, nothing is looked up.
    page.fill("#id_national_id", "UB38021405")
    page.click("#walkin-lookup button[type=submit]")
    assert "switch the keyboard to Cyrillic" in page.inner_text("#walkin-lookup")
    screenshot(page, "walkin-01-id-refused")
    page.fill("#id_national_id", MOTHER)
    page.click("#walkin-lookup button[type=submit]")
    page.wait_for_selector("#walkin-person")
    assert "Самдан Должин" in page.inner_text("h1")
    assert "1938-02-14" in page.inner_text("#walkin-person")

    # The son lives with her: he joins the household.
    household = page.locator("#walkin-household")
    household.locator("[name=national_id]").fill(SON)
    household.locator("[name=relationship]").select_option("child")
    household.locator("[name=monthly_income]").fill("950000")
    household.locator("button[type=submit]").click()
    page.wait_for_selector("#walkin-household >> text=Должин Ганзориг")

    # He applies for her: the application, health status, his relationship and her consent.
    form = page.locator("#walkin-application")
    form.locator("[name=service]").select_option(
        label="Residential care-home placement (elderly) "
        "(Нийгмийн халамжийн тухай хууль (Social Welfare Law))"
    )
    form.locator("[name=reason]").fill("Lives alone on the fifth floor and can no longer cook")
    form.locator("[name=has_disability]").select_option("no")
    form.locator("[name=applies][value=other]").check()
    form.locator("[name=applicant_national_id]").fill(SON)
    form.locator("[name=relationship]").select_option("child")
    form.locator("[name=applicant_phone]").fill("99445566")
    form.locator("[name=notifications][value=yes]").check()
    screenshot(page, "walkin-02-application")
    # Without the consent box ticked nothing is registered.
    form.locator("button[type=submit]").click()
    assert "Without consent the application cannot be registered." in page.inner_text(
        "#walkin-application"
    )
    form = page.locator("#walkin-application")
    form.locator("[name=consent]").check()
    form.locator("[name=applies][value=other]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#walkin-documents")
    number = page.inner_text("h1").split()[-1]

    # The papers he brought, then "send".
    issued = (dt.date.today() - dt.timedelta(days=20)).isoformat()
    for field in page.locator("#walkin-documents input[type=file]").all():
        field.set_input_files({"name": "paper.pdf", "mimeType": "application/pdf", "buffer": PDF})
    for field in page.locator("#walkin-documents input[type=date]").all():
        field.fill(issued)
    screenshot(page, "walkin-03-documents")
    page.click("#walkin-documents button[name=send]")
    page.wait_for_selector("#case-status")
    assert f"Request {number} was sent to the district welfare office." in page.inner_text(
        ".messages"
    )
    assert "submitted" in page.inner_text("#case-status").lower()
    panel = page.locator("#consent-panel")
    assert "Given by Должин Ганзориг (Child) for the person" in panel.inner_text()
    screenshot(page, "walkin-04-submitted-with-consent")
    case = live.query(
        "from cases.models import Case\n"
        f"c = Case.objects.get(number='{number}')\n"
        "result = [c.status, c.origin_channel, c.applicant_relationship,"
        " c.applicant.last_name, c.beneficiary.consent_messages]"
    )
    assert case == ["submitted", "walk_in", "child", "Должин", True]

    # Withdraw her consent to messages: asked first; "No, keep it" changes nothing.
    page.locator("#consent-panel a:has-text('Withdraw')").last.click()
    page.wait_for_selector("#consent-withdraw")
    assert "no case notifications are sent" in page.inner_text("main")
    screenshot(page, "walkin-05-withdraw-confirmation")
    page.click("text=No, keep it")
    page.wait_for_selector("#consent-panel")
    assert "Withdrawn (" not in page.inner_text("#consent-panel")
    page.locator("#consent-panel a:has-text('Withdraw')").last.click()
    page.wait_for_selector("#consent-withdraw")
    page.fill("#id_reason", "Does not use a phone")
    page.click("#consent-withdraw button[type=submit]")
    page.wait_for_selector("#consent-panel")
    assert "Consent withdrawn" in page.inner_text(".messages")
    assert "no messages" in page.inner_text("#consent-panel")
    screenshot(page, "walkin-06-consent-withdrawn")
    after = live.query(
        "from crm.models import Consent\n"
        f"c = Consent.objects.get(subject__identities__value='{MOTHER}', purpose='notifications')\n"
        "result = [c.withdrawn_at is not None, c.withdrawal_reason,"
        " c.withdrawal_recorded_by.username, c.subject.consent_messages]"
    )
    assert after == [True, "Does not use a phone", "local.skh07", False]
