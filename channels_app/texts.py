"""Every text a citizen receives, in mn, kk, ru and en.

The defaults live here, in code, so a fresh install says something sensible; an operator
rewords any of them in the admin (``MessageTemplate``), which wins over the default.
Placeholders in braces are filled in by ``text_render``.
"""

from __future__ import annotations

import logging

from crm.models import Language

logger = logging.getLogger(__name__)

LANGUAGES = [code for code, _label in Language.choices]
FALLBACK_LANGUAGE = "en"

# code -> (what it is for, {language: text})
DEFAULTS: dict[str, tuple[str, dict[str, str]]] = {
    "help": (
        "Reply to HELP: the keywords in the citizen's language",
        {
            "mn": "Үгс: ТӨЛӨВ (эсвэл ТӨЛӨВ дугаар) - хүсэлтийн төлөв, ДАРААЛАЛ - дараалал, "
            "ЗАЛГА - эргэж залгуулах, ЗОГС - мессеж зогсоох, ЭХЛЭХ - дахин авах.",
            "kk": "Командалар: МӘРТЕБЕ (немесе МӘРТЕБЕ нөмір) - өтінім мәртебесі, КЕЗЕК - "
            "кезек, ҚОҢЫРАУ - кері қоңырау, ТОҚТА - тоқтату, БАСТАУ - қайта алу.",
            "ru": "Команды: СТАТУС (или СТАТУС номер) - статус заявки, ОЧЕРЕДЬ - очередь, "
            "ПОЗВОНИТЬ - обратный звонок, СТОП - отписаться, СТАРТ - подписаться.",
            "en": "Keywords: STATUS (or STATUS number) - your requests, QUEUE - your place in "
            "the queue, CALL - we call you back, STOP - no more messages, START - resume.",
        },
    ),
    "status_one": (
        "Reply to STATUS <number>: one case ({number}, {status})",
        {
            "mn": "Хүсэлт {number}: {status}.",
            "kk": "Өтінім {number}: {status}.",
            "ru": "Заявка {number}: {status}.",
            "en": "Request {number}: {status}.",
        },
    ),
    "status_list": (
        "Reply to STATUS: the citizen's cases ({lines} = 'number status; ...')",
        {
            "mn": "Таны хүсэлтүүд: {lines}.",
            "kk": "Сіздің өтінімдеріңіз: {lines}.",
            "ru": "Ваши заявки: {lines}.",
            "en": "Your requests: {lines}.",
        },
    ),
    "status_none": (
        "Reply to STATUS or QUEUE when the number has no cases",
        {
            "mn": "Энэ дугаарт бүртгэлтэй хүсэлт олдсонгүй. Асуултаа энд бичнэ үү.",
            "kk": "Бұл нөмірге тіркелген өтінім табылмады. Сұрағыңызды осында жазыңыз.",
            "ru": "Заявок на этот номер не найдено. Напишите свой вопрос здесь.",
            "en": "We found no requests for this number. Write your question here.",
        },
    ),
    "queue_position": (
        "Reply to QUEUE: place in the placement queue ({number}, {position})",
        {
            "mn": "Хүсэлт {number}: та асрамжийн газрын дараалалд {position}-т байна.",
            "kk": "Өтінім {number}: мекемеге орын кезегінде сіз {position}-орындасыз.",
            "ru": "Заявка {number}: вы {position}-й в очереди на место в учреждении.",
            "en": "Request {number}: you are number {position} in the queue for a place.",
        },
    ),
    "queue_none": (
        "Reply to QUEUE when none of the citizen's cases waits in the queue",
        {
            "mn": "Таны хүсэлт дараалалд байхгүй байна. Төлөвийг харах бол ТӨЛӨВ гэж илгээнэ үү.",
            "kk": "Өтінімдеріңіз кезекте жоқ. Мәртебені көру үшін МӘРТЕБЕ деп жіберіңіз.",
            "ru": "Ваших заявок в очереди нет. Чтобы узнать статус, отправьте СТАТУС.",
            "en": "None of your requests is waiting in the queue. Send STATUS to see them.",
        },
    ),
    "callback_confirmed": (
        "Reply to CALL ({phone}, {due})",
        {
            "mn": "Баярлалаа. Ажилтан {due}-с өмнө {phone} дугаарт залгана.",
            "kk": "Рахмет. Оператор {due} дейін {phone} нөміріне қоңырау шалады.",
            "ru": "Спасибо. Оператор перезвонит вам на {phone} до {due}.",
            "en": "Thank you. An agent will call you on {phone} by {due}.",
        },
    ),
    "opted_out": (
        "Reply to STOP",
        {
            "mn": "Танд мессеж илгээхээ зогсоолоо. Дахин авах бол ЭХЛЭХ гэж илгээнэ үү.",
            "kk": "Хабарламалар енді жіберілмейді. Қайта алу үшін БАСТАУ деп жіберіңіз.",
            "ru": "Вы отписались от сообщений. Чтобы снова получать их, отправьте СТАРТ.",
            "en": "You will get no more messages from us. Send START to get them again.",
        },
    ),
    "opted_in": (
        "Reply to START",
        {
            "mn": "Танд дахин мессеж илгээнэ. Зогсоох бол ЗОГС гэж илгээнэ үү.",
            "kk": "Хабарламалар қайта жіберіледі. Тоқтату үшін ТОҚТА деп жіберіңіз.",
            "ru": "Вы снова будете получать сообщения. Чтобы отписаться, отправьте СТОП.",
            "en": "You will get our messages again. Send STOP to stop them.",
        },
    ),
    "ack": (
        "Acknowledgement of a free-text message that went to the agents' inbox",
        {
            "mn": "Баярлалаа, таны мессежийг хүлээн авлаа. Ажилтан удахгүй хариулна.",
            "kk": "Рахмет, хабарламаңыз қабылданды. Оператор жақында жауап береді.",
            "ru": "Спасибо, ваше сообщение получено. Оператор скоро ответит.",
            "en": "Thank you, we received your message. An agent will answer you soon.",
        },
    ),
    "unknown_case": (
        "Reply to STATUS <number> for a number that is not one of the sender's cases",
        {
            "mn": "Энэ утсанд {number} хүсэлт олдсонгүй. Хүсэлтүүдээ харах бол ТӨЛӨВ гэж "
            "илгээнэ үү.",
            "kk": "Бұл нөмір үшін {number} өтінімі табылмады. Өтінімдерді көру үшін МӘРТЕБЕ деп "
            "жіберіңіз.",
            "ru": "Заявка {number} для этого номера не найдена. Отправьте СТАТУС, чтобы "
            "увидеть свои заявки.",
            "en": "We found no request {number} for this phone number. Send STATUS to see "
            "your requests.",
        },
    ),
    "error": (
        "When answering a keyword failed; the message itself is saved",
        {
            "mn": "Уучлаарай, алдаа гарлаа. Таны мессеж хадгалагдсан, ажилтан хариулна.",
            "kk": "Кешіріңіз, қате шықты. Хабарламаңыз сақталды, оператор жауап береді.",
            "ru": "Извините, произошла ошибка. Ваше сообщение сохранено, оператор ответит.",
            "en": "Sorry, something went wrong. Your message is saved; an agent will answer.",
        },
    ),
    "case_status_changed": (
        "Case notification for a status without its own text ({number}, {status})",
        {
            "mn": "Таны хүсэлт {number}: {status}.",
            "kk": "Сіздің өтінім {number}: {status}.",
            "ru": "Ваша заявка {number}: {status}.",
            "en": "Your request {number}: {status}.",
        },
    ),
    "case_status_submitted": (
        "Case notification: submitted to the district office",
        {
            "mn": "Таны хүсэлт {number} дүүргийн хэлтэст илгээгдлээ.",
            "kk": "Өтінім {number} аудандық бөлімге жіберілді.",
            "ru": "Ваша заявка {number} отправлена в районный отдел.",
            "en": "Your request {number} was sent to the district welfare office.",
        },
    ),
    "case_status_returned": (
        "Case notification: returned to the local worker for corrections",
        {
            "mn": "Таны хүсэлт {number}-д засвар шаардлагатай. Нийгмийн ажилтан тантай холбогдоно.",
            "kk": "Өтінім {number} толықтыруды қажет етеді. Әлеуметтік қызметкер хабарласады.",
            "ru": "Заявку {number} нужно дополнить. Соцработник свяжется с вами.",
            "en": "Your request {number} needs corrections. Your social worker will contact you.",
        },
    ),
    "case_status_allocated": (
        "Case notification: allocated to a care home",
        {
            "mn": "Таны хүсэлт {number}: асрамжийн газар хуваарилагдлаа.",
            "kk": "Өтінім {number}: сізге мекемеден орын бөлінді.",
            "ru": "Заявка {number}: вам выделено место в учреждении.",
            "en": "Your request {number}: a place in a care home was allocated to you.",
        },
    ),
    "case_status_waitlisted": (
        "Case notification: the care home accepted, waiting for admission",
        {
            "mn": "Таны хүсэлт {number}: асрамжийн газар зөвшөөрч, хүлээлэгт орлоо.",
            "kk": "Өтінім {number}: мекеме сізді қабылдауға келісті, орналасуды күтіңіз.",
            "ru": "Заявка {number}: учреждение согласилось принять вас, ожидайте заселения.",
            "en": "Your request {number}: the care home accepted you; please wait for admission.",
        },
    ),
    "case_status_in_service": (
        "Case notification: admitted",
        {
            "mn": "Таны хүсэлт {number}: асрамжийн газарт хүлээн авлаа.",
            "kk": "Өтінім {number}: сіз мекемеге қабылдандыңыз.",
            "ru": "Заявка {number}: вы приняты в учреждение.",
            "en": "Your request {number}: you were admitted to the care home.",
        },
    ),
    "case_status_discharged": (
        "Case notification: discharged",
        {
            "mn": "Таны хүсэлт {number}: асрамжийн газраас гарсан нь бүртгэгдлээ.",
            "kk": "Өтінім {number}: мекемеден шығу рәсімделді.",
            "ru": "Заявка {number}: выписка из учреждения оформлена.",
            "en": "Your request {number}: your discharge from the care home was recorded.",
        },
    ),
    "case_status_cancelled": (
        "Case notification: cancelled",
        {
            "mn": "Таны хүсэлт {number} цуцлагдлаа. Дэлгэрэнгүйг ЗАЛГА гэж илгээж асууна уу.",
            "kk": "Өтінім {number} тоқтатылды. Толығырақ білу үшін ҚОҢЫРАУ деп жіберіңіз.",
            "ru": "Заявка {number} отменена. Чтобы узнать подробности, отправьте ПОЗВОНИТЬ.",
            "en": "Your request {number} was cancelled. Send CALL and we will explain.",
        },
    ),
    "kiosk_code": (
        "The one-time code a citizen types at a kiosk to open their requests ({otp}, {minutes})",
        {
            "mn": "Киоскийн нэг удаагийн код: {otp}. {minutes} минутын дотор хүчинтэй. "
            "Кодоо хэнд ч бүү хэл.",
            "kk": "Киоскке арналған бір реттік код: {otp}. {minutes} минут жарамды. "
            "Кодты ешкімге айтпаңыз.",
            "ru": "Одноразовый код для киоска: {otp}. Действует {minutes} мин. "
            "Никому не сообщайте его.",
            "en": "Your one-time kiosk code: {otp}. Valid for {minutes} minutes. "
            "Do not share it with anyone.",
        },
    ),
}


class _KeepUnknown(dict):
    """Leaves a placeholder the caller did not provide visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def text_codes() -> list[str]:
    return list(DEFAULTS)


def text_default(code: str, language: str) -> str:
    _purpose, texts = DEFAULTS[code]
    return texts.get(language) or texts[FALLBACK_LANGUAGE]


def text_render(code: str, language: str, **context: object) -> str:
    """The citizen-facing text ``code`` in ``language``, the operator's wording first."""
    from .models import MessageTemplate

    if code not in DEFAULTS:
        raise KeyError(f"Unknown message template {code!r}.")
    language = language if language in LANGUAGES else FALLBACK_LANGUAGE
    override = (
        MessageTemplate.objects.filter(code=code, language=language)
        .values_list("body", flat=True)
        .first()
    )
    values = _KeepUnknown({k: str(v) for k, v in context.items()})
    if override:
        try:
            return override.format_map(values)
        except (ValueError, IndexError, AttributeError):
            # A stray brace in an operator's text must not silence the citizen.
            logger.warning("template %s/%s has a broken placeholder; using default", code, language)
    return text_default(code, language).format_map(values)
