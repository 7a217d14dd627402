"""Tables of the supervisor's desk as CSV and XLSX downloads (the very rows on the page)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from .supervisor import Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell a spreadsheet would read as a formula (CSV injection): written as text instead.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _filename(table: Table, extension: str) -> str:
    return f"{table.name}-{timezone.localdate():%Y-%m-%d}.{extension}"


def table_csv(table: Table) -> HttpResponse:
    buffer = io.StringIO()
    # A byte-order mark so spreadsheet programs read the Cyrillic names as UTF-8.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([_safe(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_safe(cell) for cell in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "csv")}"'
    return response


def table_xlsx(table: Table) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = table.name[:31]
    sheet.append([_safe(h) for h in table.headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_safe(cell) for cell in row])
    for column in sheet.columns:
        width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(60, width + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "xlsx")}"'
    return response
