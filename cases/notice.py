"""The papers a social-assistance case hands the citizen, as printable PDFs (reportlab).

* the decision notice (seed 004's "notification of assigned social assistance"): assigned or
  refused, the amount, the per-capita income it rests on, the legal basis, the head who signed
  and when;
* the tear-off receipt a rural akim gives when accepting the papers: the counterfoil stays with
  the akim's office, the slip below the cut line goes to the citizen.

Both are written in the citizen's language (mn, kk, ru or en), whatever language the worker
printing them uses. Texts are data here, like ``labels.py``: they follow the citizen, not the
request. The font is bundled (DejaVu Sans) so Cyrillic, Kazakh and Mongolian letters print on
any server.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from crm.errors import Conflict
from crm.models import Identity

from .models import Case, CaseDocument, CaseEvent, Decision, Status

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
LANGUAGES = ("mn", "kk", "ru", "en")

# The statuses from which the decision notice exists (signed by the head).
NOTICE_STATUSES = (Status.SIGNED, Status.SENT_TO_AKIM, Status.ISSUED)

TEXTS: dict[str, dict[str, str]] = {
    "title_assigned": {
        "mn": "Нийгмийн тусламж олгох тухай мэдэгдэл",
        "kk": "Әлеуметтік көмек тағайындау туралы хабарлама",
        "ru": "Уведомление о назначении социальной помощи",
        "en": "Notice of assigned social assistance",
    },
    "title_refused": {
        "mn": "Нийгмийн тусламж олгохоос татгалзсан тухай мэдэгдэл",
        "kk": "Әлеуметтік көмек тағайындаудан бас тарту туралы хабарлама",
        "ru": "Уведомление об отказе в назначении социальной помощи",
        "en": "Notice of refused social assistance",
    },
    "office": {
        "mn": "Хөдөлмөр эрхлэлт, нийгмийн хөтөлбөрийн хэлтэс",
        "kk": "Жұмыспен қамту және әлеуметтік бағдарламалар бөлімі",
        "ru": "Отдел занятости и социальных программ",
        "en": "Department of employment and social programmes",
    },
    "number": {"mn": "Дугаар", "kk": "Нөмірі", "ru": "Номер", "en": "Number"},
    "citizen": {"mn": "Иргэн", "kk": "Азамат", "ru": "Гражданин", "en": "Citizen"},
    "national_id": {"mn": "Регистр/ИИН", "kk": "ЖСН", "ru": "ИИН", "en": "IIN"},
    "service": {"mn": "Үйлчилгээ", "kk": "Қызмет", "ru": "Услуга", "en": "Service"},
    "assigned": {
        "mn": "Танд {amount} нийгмийн тусламж олгохоор шийдвэрлэв.",
        "kk": "Сізге {amount} мөлшерінде әлеуметтік көмек тағайындалды.",
        "ru": "Вам назначена социальная помощь в размере {amount}.",
        "en": "You are assigned social assistance of {amount}.",
    },
    "refused": {
        "mn": "Тусгай комиссын дүгнэлтээр танд нийгмийн тусламж олгохоос татгалзав.",
        "kk": "Арнаулы комиссияның қорытындысы бойынша сізге әлеуметтік көмек "
        "тағайындаудан бас тартылды.",
        "ru": "По заключению специальной комиссии в назначении социальной помощи отказано.",
        "en": "On the special commission's conclusion, social assistance is refused.",
    },
    "income": {
        "mn": "Өрхийн нэг гишүүнд ногдох сарын дундаж орлого: {income} ({size} хүн)",
        "kk": "Отбасының жан басына шаққандағы орташа айлық табысы: {income} ({size} адам)",
        "ru": "Среднедушевой доход семьи в месяц: {income} (членов семьи: {size})",
        "en": "Average monthly income per family member: {income} ({size} members)",
    },
    "legal_basis": {
        "mn": "Эрх зүйн үндэслэл",
        "kk": "Құқықтық негіз",
        "ru": "Правовое основание",
        "en": "Legal basis",
    },
    "head": {"mn": "Хэлтсийн дарга", "kk": "Басшы", "ru": "Руководитель", "en": "Head"},
    "signed_on": {
        "mn": "Гарын үсэг зурсан огноо",
        "kk": "Қол қойылған күні",
        "ru": "Дата подписания",
        "en": "Signed on",
    },
    "receipt_title": {
        "mn": "Өргөдөл хүлээн авсан тасалбар",
        "kk": "Өтініштің үзбелі талоны",
        "ru": "Отрывной талон заявления",
        "en": "Tear-off receipt of the application",
    },
    "counterfoil": {
        "mn": "Хадгалах хэсэг (акимын ажлын албанд үлдэнэ)",
        "kk": "Түбіртек (әкім аппаратында қалады)",
        "ru": "Корешок (остаётся у акима)",
        "en": "Counterfoil (kept by the akim's office)",
    },
    "accepted": {
        "mn": "Бичиг баримтыг хүлээн авав",
        "kk": "Құжаттар қабылданды",
        "ru": "Документы приняты",
        "en": "Documents accepted",
    },
    "received_at": {
        "mn": "Хүлээн авсан огноо, цаг",
        "kk": "Қабылданған күні мен уақыты",
        "ru": "Дата и время приёма",
        "en": "Received on",
    },
    "received_by": {
        "mn": "Хүлээн авсан",
        "kk": "Қабылдаған",
        "ru": "Принял",
        "en": "Received by",
    },
    "documents": {
        "mn": "Хүлээн авсан бичиг баримт",
        "kk": "Қабылданған құжаттар",
        "ru": "Принятые документы",
        "en": "Documents received",
    },
    "cut": {
        "mn": "✂ энд тасална",
        "kk": "✂ осы жерден қиыңыз",
        "ru": "✂ линия отреза",
        "en": "✂ cut here",
    },
    "signature": {"mn": "Гарын үсэг", "kk": "Қолы", "ru": "Подпись", "en": "Signature"},
}


class NoticeNotReady(Conflict):
    """The paper does not exist at the case's step (e.g. a notice not signed yet): a 409."""


def text(key: str, language: str, **values: object) -> str:
    entry = TEXTS[key]
    return (entry.get(language) or entry["en"]).format(**values)


def money(amount: Decimal | None, currency: str) -> str:
    """ "45 000 KZT", "12 500.50 KZT": grouped by spaces, no cents when there are none."""
    if amount is None:
        return ""
    whole = amount == amount.to_integral_value()
    number = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    return f"{number.replace(',', ' ')} {currency}".strip()


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def _language(case: Case) -> str:
    language = case.beneficiary.language
    return language if language in LANGUAGES else "en"


def _national_id(case: Case) -> str:
    identity = case.beneficiary.identities.filter(scheme=Identity.Scheme.NATIONAL_ID).first()
    return identity.value if identity else ""


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M") if moment else ""


class _Writer:
    """Lines of wrapped text down a page."""

    def __init__(self, canvas: Canvas, left: float, top: float, width: float) -> None:
        self.canvas, self.left, self.y, self.width = canvas, left, top, width

    def line(self, value: str, *, size: float = 10, bold: bool = False, gap: float = 1.5) -> None:
        font = BOLD if bold else FONT
        self.canvas.setFont(font, size)
        for row in _wrap(value, font, size, self.width):
            self.canvas.drawString(self.left, self.y, row)
            self.y -= size * 1.35
        self.y -= gap * mm

    def skip(self, amount: float) -> None:
        self.y -= amount


def _wrap(value: str, font: str, size: float, width: float) -> list[str]:
    rows: list[str] = []
    for paragraph in value.split("\n"):
        row = ""
        for word in paragraph.split(" "):
            candidate = f"{row} {word}".strip()
            if row and pdfmetrics.stringWidth(candidate, font, size) > width:
                rows.append(row)
                row = word
            else:
                row = candidate
        rows.append(row)
    return rows


def decision_notice_pdf(case: Case) -> bytes:
    """The signed decision notice, in the citizen's language."""
    if case.status not in NOTICE_STATUSES or not case.decision:
        raise NoticeNotReady(
            _("Case %(number)s has no signed decision yet.") % {"number": case.number}
        )
    _register_fonts()
    lang = _language(case)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(text(f"title_{case.decision}", lang))
    width, height = A4
    out = _Writer(canvas, 25 * mm, height - 25 * mm, width - 50 * mm)
    district = case.district.name if case.district_id else ""
    out.line(f"{district} — {text('office', lang)}".strip(" —"), size=10)
    out.skip(6 * mm)
    out.line(text(f"title_{case.decision}", lang), size=15, bold=True, gap=4)
    out.line(f"{text('number', lang)}: {case.number}")
    out.line(f"{text('citizen', lang)}: {case.beneficiary.display_name}")
    national_id = _national_id(case)
    if national_id:
        out.line(f"{text('national_id', lang)}: {national_id}")
    out.line(f"{text('service', lang)}: {case.service.name_in(lang)}", gap=5)
    if case.decision == Decision.ASSIGNED:
        amount = money(case.assistance_amount, case.service.currency)
        out.line(text("assigned", lang, amount=amount), size=12, bold=True, gap=4)
    else:
        out.line(text("refused", lang), size=12, bold=True, gap=4)
    if case.per_capita_income is not None:
        income = money(case.per_capita_income, case.service.currency)
        out.line(text("income", lang, income=income, size=case.household_size or 0))
    if case.service.legal_basis:
        out.line(f"{text('legal_basis', lang)}: {case.service.legal_basis}", gap=10)
    head = case.signed_by.get_full_name() or case.signed_by.username if case.signed_by else ""
    out.line(f"{text('head', lang)}: {head}    {text('signature', lang)}: ______________")
    signed_on = timezone.localtime(case.signed_at).strftime("%d.%m.%Y") if case.signed_at else ""
    out.line(f"{text('signed_on', lang)}: {signed_on}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def receipt_pdf(case: Case) -> bytes:
    """The akim's tear-off receipt: counterfoil above the cut line, the citizen's slip below."""
    registration = (
        CaseEvent.objects.filter(case=case, action="register").select_related("actor").first()
    )
    if registration is None or case.route != "akim":
        raise NoticeNotReady(
            _("Case %(number)s was not registered by a rural akim.") % {"number": case.number}
        )
    _register_fonts()
    lang = _language(case)
    documents = [
        doc.required_document.name_in(lang)
        for doc in case.documents.filter(kind=CaseDocument.Kind.REQUIRED).select_related(
            "required_document"
        )
    ]
    receiver = registration.actor
    office = receiver.unit.name if receiver and receiver.unit_id else ""
    received_by = f"{office}, {receiver.get_full_name() or receiver.username}" if receiver else ""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A5, invariant=True)
    canvas.setTitle(text("receipt_title", lang))
    width, height = A5
    half = height / 2

    def part(top: float, heading: str, with_documents: bool) -> None:
        out = _Writer(canvas, 12 * mm, top, width - 24 * mm)
        out.line(heading, size=12, bold=True, gap=2)
        out.line(f"{text('number', lang)}: {case.number}", bold=True)
        out.line(f"{text('citizen', lang)}: {case.beneficiary.display_name}")
        out.line(f"{text('service', lang)}: {case.service.name_in(lang)}", size=9)
        out.line(f"{text('received_at', lang)}: {_local(registration.occurred_at)}")
        out.line(f"{text('received_by', lang)}: {received_by}", size=9)
        if with_documents and documents:
            out.line(f"{text('documents', lang)}: {'; '.join(documents)}", size=8)
        out.line(f"{text('accepted', lang)}.   {text('signature', lang)}: ____________", size=9)

    part(height - 12 * mm, f"{text('receipt_title', lang)} — {text('counterfoil', lang)}", False)
    canvas.setDash(4, 3)
    canvas.line(8 * mm, half, width - 8 * mm, half)
    canvas.setDash()
    canvas.setFont(FONT, 7)
    canvas.drawString(10 * mm, half + 1.5 * mm, text("cut", lang))
    part(half - 8 * mm, text("receipt_title", lang), True)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
