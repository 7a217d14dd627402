"""The inbox's search box: name, phone, national ID, case number or words of a message.

The search runs inside the inbox as the agent sees it (their jurisdiction and the filters
they chose), so it never finds a conversation the list would not show.

Each kind of match is its own query, shaped for one index, and the newest matches of each
are merged in Python (``merged_page``):

- a phone number or national ID is looked up exactly through the identity index
  (``identity_unique_per_scheme``), as the citizen search does;
- a case number exactly through ``cases_case.number``;
- names through ``crm_contact.search_name`` (case-folded), and message text through
  ``crm_interaction.body``; on PostgreSQL both have trigram GIN indexes
  (``console.migrations``), so ``LIKE '%word%'`` reads the index instead of the table.
  SQLite has no such index and scans: fine for the embedded default's size.

One ``OR`` over all of them would defeat every index; a UNION could not stop at a page.
"""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef, Q, QuerySet

from crm.identities import IdentityError, normalize_identity
from crm.models import Contact, Conversation, Identity, Interaction
from crm.national_ids import looks_like_national_id
from crm.phones import looks_like_phone

from .paging import Cursor, KeysetPage, keyset_page

CASE_NUMBER = re.compile(r"^\d{4}-[A-Za-z]*\d{3,}$")  # the year, a dash, the serial
# Trigram indexes need three characters; shorter text would read the whole table.
MIN_TEXT = 3
MAX_QUERY = 100


def clean_query(text: str | None) -> str:
    return " ".join((text or "").split())[:MAX_QUERY]


def search_parts(base: QuerySet[Conversation], text: str) -> list[QuerySet[Conversation]]:
    """One queryset per way ``text`` can match a conversation of ``base``."""
    text = clean_query(text)
    if not text:
        return [base]
    if CASE_NUMBER.match(text):
        from cases.models import Case

        return [base.filter(contact__in=Case.objects.filter(number=text).values("beneficiary"))]
    scheme = None
    if looks_like_national_id(text):
        scheme = Identity.Scheme.NATIONAL_ID
    elif looks_like_phone(text):
        scheme = Identity.Scheme.PHONE
    if scheme is not None:
        try:
            value = normalize_identity(scheme, text)
        except IdentityError:
            value = ""
        if value:
            # An exact identifier means one person: no fuzzy matching on top.
            owners = Identity.objects.filter(scheme=scheme, value=value).values("contact_id")
            return [base.filter(contact__in=owners)]
    parts: list[QuerySet[Conversation]] = []
    words = Contact.fold_name(text).split()
    if words and all(len(w) >= 2 for w in words):
        name_q = Q()
        for word in words:
            name_q &= Q(search_name__contains=word)
        parts.append(base.filter(contact__in=Contact.objects.filter(name_q).values("pk")))
    if len(text) >= MIN_TEXT:
        said = Interaction.objects.filter(conversation=OuterRef("pk"), body__icontains=text)
        parts.append(base.filter(Exists(said)))
    return parts or [base.none()]


def merged_page(
    parts: list[QuerySet[Conversation]], *, after: Cursor | None, size: int
) -> KeysetPage[Conversation]:
    """The newest ``size`` conversations of all ``parts`` together, keyset-paged like the inbox.

    Each part reads at most ``size + 1`` rows after the cursor, so the merge is exact: no
    conversation of the union older than the page's last row can be missing from it.
    """
    if len(parts) == 1:
        return keyset_page(parts[0], field="last_activity_at", after=after, size=size)
    seen: dict[int, Conversation] = {}
    for part in parts:
        if after is not None:
            part = part.filter(
                Q(last_activity_at__lt=after.at) | Q(last_activity_at=after.at, pk__lt=after.pk)
            )
        for row in part.order_by("-last_activity_at", "-id")[: size + 1]:
            seen.setdefault(row.pk, row)
    rows = sorted(seen.values(), key=lambda c: (c.last_activity_at, c.pk), reverse=True)
    more = len(rows) > size
    rows = rows[:size]
    last = rows[-1] if rows else None
    return KeysetPage(
        rows=rows,
        next_cursor=Cursor(last.last_activity_at, last.pk) if more and last else None,
        is_first=after is None,
    )
