"""The touch page's dynamic texts, in the language the page was opened in.

The script fills these in (placeholders in braces); the static screens are in the template.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def page_texts() -> dict[str, str]:
    return {
        "network": _("The kiosk cannot reach the server. Please try again in a moment."),
        "not_active": _("This kiosk is not active. Ask the operator to pair it again."),
        "code_sent": _("We sent a code to {address}. Type it below."),
        "queue_place": _("Your place in the waiting queue: {place}"),
        "bring": _("Bring these documents:"),
        "nothing_missing": _("No documents are missing."),
        "no_cases": _("You have no requests yet."),
        "for_someone": _("You applied for someone else."),
        "print_ticket": _("Print a ticket"),
        "seconds_left": _("The screen will be cleared in {seconds} seconds."),
        "office_hours": _("Office hours"),
        "amount": _("{amount} {currency}, {frequency}"),
        "hello": _("Hello, {name}"),
        "hello_plain": _("Welcome"),
        "id_label": _("ID: {id}"),
    }
