"""Page numbers without counting a whole large table on every request.

DRF's ``PageNumberPagination`` runs ``SELECT COUNT(*)`` over everything that matches, which on
a national table (a million interactions, a hundred thousand cases) costs more than the page
itself. Here:

- the page is read first, one row more than it shows; when that extra row is missing this is
  the last page and the count is known without asking the database (a lookup by phone number,
  a short timeline: no count query at all);
- otherwise the count stops at a limit: exact up to the limit (``count_exact`` true), a lower
  bound beyond it (``count_exact`` false, ``next`` still leads on). The limit always reaches
  past the page asked for, so every page that has rows can be read.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

COUNT_LIMIT = 1000
MAX_PAGE = 10_000_000


class CappedCountPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count_limit: int = COUNT_LIMIT, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_limit = count_limit
        self.count_exact = True

    @cached_property
    def count(self) -> int:
        # COUNT(*) over a LIMIT subquery without ORDER BY: the database stops after
        # ``limit + 1`` matching rows instead of reading (and sorting) every one.
        limit = self.count_limit
        counted = self.object_list.order_by().values("pk")[: limit + 1].count()
        self.count_exact = counted <= limit
        return counted

    def page(self, number):
        number = self._as_number(number)
        self.count_limit = max(self.count_limit, number * self.per_page)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if len(rows) <= self.per_page:
            # The last page: everything before it plus what it holds.
            if not rows and number > 1:
                raise EmptyPage(self.error_messages["no_results"])
            self.__dict__["count"] = bottom + len(rows)
        return self._get_page(rows[: self.per_page], number, self)

    def _as_number(self, number) -> int:
        # Paginator.validate_number without the count it asks for.
        if number == "last":
            return self.num_pages
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 0
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number > MAX_PAGE:
            # Past any real list, and an OFFSET the database cannot hold.
            raise EmptyPage(self.error_messages["no_results"])
        return number


class CappedCountPagination(PageNumberPagination):
    """``{count, count_exact, next, previous, results}``; ``?page=`` and ``?page_size=``."""

    django_paginator_class = CappedCountPaginator
    page_size_query_param = "page_size"
    max_page_size = 100
    count_limit = COUNT_LIMIT

    def get_page_number(self, request, paginator):
        paginator.count_limit = self.count_limit
        return super().get_page_number(request, paginator)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        count = paginator.count
        exact = paginator.count_exact
        return Response(
            {
                # Past the limit the paginator counted one row more than it reports, only to
                # know that a next page exists.
                "count": count if exact else count - 1,
                "count_exact": exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        base = super().get_paginated_response_schema(schema)["properties"]
        base["count"]["description"] = (
            f"Matching rows: exact up to {self.count_limit} or to the end of the page asked for, "
            "whichever is further; beyond that a lower bound (see count_exact)."
        )
        return {
            "type": "object",
            "required": ["count", "count_exact", "results"],
            "properties": {
                "count": base["count"],
                "count_exact": {
                    "type": "boolean",
                    "description": "false when count is a lower bound: the list goes on.",
                },
                "next": base["next"],
                "previous": base["previous"],
                "results": schema,
            },
        }
