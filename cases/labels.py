"""Status and action names in the four languages citizens and staff use.

Kept as data (not gettext catalogues) because citizen notifications choose the language per
citizen, not per request, and these names must exist even where no catalogue is compiled.
"""

from __future__ import annotations

from .models import Status

STATUS_LABELS: dict[str, dict[str, str]] = {
    Status.DRAFT: {
        "mn": "Хадгалагдсан",
        "kk": "Сақталған (жоба)",
        "ru": "Сохранено (черновик)",
        "en": "Saved (draft)",
    },
    Status.SUBMITTED: {
        "mn": "Хүсэлт илгээсэн",
        "kk": "Өтініш жіберілді",
        "ru": "Заявка отправлена",
        "en": "Submitted",
    },
    Status.RETURNED: {
        "mn": "Буцаагдсан",
        "kk": "Қайтарылды",
        "ru": "Возвращено",
        "en": "Returned",
    },
    Status.ALLOCATED: {
        "mn": "Хуваарилсан",
        "kk": "Бөлінді",
        "ru": "Распределено",
        "en": "Allocated",
    },
    Status.WAITLISTED: {
        "mn": "Хүлээлэгт орсон",
        "kk": "Күту тізімінде",
        "ru": "В листе ожидания",
        "en": "Waitlisted",
    },
    Status.IN_SERVICE: {
        "mn": "Үйлчлүүлж байгаа",
        "kk": "Қызмет алуда",
        "ru": "Получает услугу",
        "en": "In service",
    },
    Status.DISCHARGED: {
        "mn": "Гарсан",
        "kk": "Шығарылды",
        "ru": "Выписан",
        "en": "Discharged",
    },
    Status.CANCELLED: {
        "mn": "Цуцлагдсан",
        "kk": "Тоқтатылды",
        "ru": "Отменено",
        "en": "Cancelled",
    },
    # Social assistance (seed 004).
    Status.REGISTERED: {
        "mn": "Бүртгэгдсэн",
        "kk": "Тіркелді",
        "ru": "Зарегистрировано",
        "en": "Registered",
    },
    Status.ASSIGNED: {
        "mn": "Хариуцах ажилтан томилогдсон",
        "kk": "Жауапты орындаушы тағайындалды",
        "ru": "Назначен ответственный исполнитель",
        "en": "Executor appointed",
    },
    Status.IN_SURVEY: {
        "mn": "Амьжиргааны байдлыг судалж байна",
        "kk": "Учаскелік комиссия тексеруде",
        "ru": "Обследование участковой комиссией",
        "en": "In survey (local commission)",
    },
    Status.SURVEYED: {
        "mn": "Судалгаа хийгдсэн",
        "kk": "Тексеру жүргізілді",
        "ru": "Обследование проведено",
        "en": "Surveyed",
    },
    Status.FORWARDED: {
        "mn": "Хэлтэст илгээгдсэн",
        "kk": "Бөлімге жіберілді",
        "ru": "Направлено в отдел",
        "en": "Forwarded to the office",
    },
    Status.IN_REVIEW: {
        "mn": "Тусгай комисст хянагдаж байна",
        "kk": "Арнаулы комиссияның қарауында",
        "ru": "На рассмотрении специальной комиссии",
        "en": "In review (special commission)",
    },
    Status.DECIDED: {
        "mn": "Комисс дүгнэлт гаргасан",
        "kk": "Комиссия қорытынды шығарды",
        "ru": "Комиссия вынесла заключение",
        "en": "Decided",
    },
    Status.PREPARED: {
        "mn": "Хариу бэлтгэгдсэн",
        "kk": "Нәтиже дайындалды",
        "ru": "Результат подготовлен",
        "en": "Result prepared",
    },
    Status.SIGNED: {
        "mn": "Гарын үсэг зурагдсан",
        "kk": "Қол қойылды",
        "ru": "Подписано",
        "en": "Signed",
    },
    Status.SENT_TO_AKIM: {
        "mn": "Акимд илгээгдсэн",
        "kk": "Әкімге жіберілді",
        "ru": "Направлено акиму",
        "en": "Sent to the akim",
    },
    Status.ISSUED: {
        "mn": "Хариу олгогдсон",
        "kk": "Нәтиже берілді",
        "ru": "Результат выдан",
        "en": "Result issued",
    },
    Status.SUSPENDED: {
        "mn": "Бичиг баримт дутуу (түр зогссон)",
        "kk": "Құжаттар жетіспейді (тоқтатыла тұр)",
        "ru": "Не хватает документов (приостановлено)",
        "en": "Suspended (documents missing)",
    },
}

ACTION_LABELS: dict[str, dict[str, str]] = {
    "submit": {"mn": "Хүсэлт илгээх", "kk": "Жіберу", "ru": "Отправить", "en": "Submit"},
    "return": {"mn": "Буцаах", "kk": "Қайтару", "ru": "Вернуть", "en": "Return"},
    "allocate": {"mn": "Хуваарилах", "kk": "Бөлу", "ru": "Распределить", "en": "Allocate"},
    "accept": {"mn": "Хүлээн авах", "kk": "Қабылдауға келісу", "ru": "Принять", "en": "Accept"},
    "decline": {"mn": "Татгалзах", "kk": "Бас тарту", "ru": "Отказать", "en": "Decline"},
    "admit": {"mn": "Асрамжид оруулах", "kk": "Орналастыру", "ru": "Заселить", "en": "Admit"},
    "discharge": {"mn": "Гаргах", "kk": "Шығару", "ru": "Выписать", "en": "Discharge"},
    "cancel": {"mn": "Цуцлах", "kk": "Тоқтату", "ru": "Отменить", "en": "Cancel"},
    "approve": {"mn": "Олгохоор шийдвэрлэх", "kk": "Бекіту", "ru": "Назначить", "en": "Approve"},
    "register": {"mn": "Бүртгэх", "kk": "Тіркеу", "ru": "Зарегистрировать", "en": "Register"},
    "assign": {
        "mn": "Хариуцагч томилох",
        "kk": "Орындаушы тағайындау",
        "ru": "Назначить исполнителя",
        "en": "Appoint executor",
    },
    "send_to_survey": {
        "mn": "Судалгаанд илгээх",
        "kk": "Тексеруге жіберу",
        "ru": "Направить на обследование",
        "en": "Send to survey",
    },
    "record_survey": {
        "mn": "Судалгааны дүгнэлт оруулах",
        "kk": "Тексеру актын енгізу",
        "ru": "Внести акт обследования",
        "en": "Record survey",
    },
    "forward": {
        "mn": "Хэлтэст илгээх",
        "kk": "Бөлімге жіберу",
        "ru": "Направить в отдел",
        "en": "Forward to the office",
    },
    "send_to_review": {
        "mn": "Тусгай комисст илгээх",
        "kk": "Арнаулы комиссияға жіберу",
        "ru": "Направить в специальную комиссию",
        "en": "Send to the special commission",
    },
    "decide": {
        "mn": "Дүгнэлт гаргах",
        "kk": "Қорытынды шығару",
        "ru": "Вынести заключение",
        "en": "Decide",
    },
    "prepare": {
        "mn": "Хариу бэлтгэх",
        "kk": "Нәтижені дайындау",
        "ru": "Подготовить результат",
        "en": "Prepare the result",
    },
    "sign": {"mn": "Гарын үсэг зурах", "kk": "Қол қою", "ru": "Подписать", "en": "Sign"},
    "send_to_akim": {
        "mn": "Акимд илгээх",
        "kk": "Әкімге жіберу",
        "ru": "Направить акиму",
        "en": "Send to the akim",
    },
    "issue": {"mn": "Олгох", "kk": "Беру", "ru": "Выдать", "en": "Issue"},
    "request_documents": {
        "mn": "Бичиг баримт нэхэх",
        "kk": "Құжаттарды сұрату",
        "ru": "Запросить документы",
        "en": "Request documents",
    },
    "resume": {"mn": "Үргэлжлүүлэх", "kk": "Жалғастыру", "ru": "Возобновить", "en": "Resume"},
}


def status_label(status: str, language: str, workflow: str = "") -> str:
    """The status's name in ``language`` (mn, kk, ru, en); English when unknown.

    With ``workflow``, that workflow's own word where the shared one would mislead (an
    approved allowance is "being paid", not "in service" at a care home).
    """
    from .workflows import WORKFLOWS

    own = WORKFLOWS[workflow].status_words if workflow in WORKFLOWS else {}
    names = own.get(status) or STATUS_LABELS.get(status)
    if names is None:
        return status
    return names.get(language) or names["en"]


def action_label(action: str, language: str) -> str:
    names = ACTION_LABELS.get(action)
    if names is None:
        return action
    return names.get(language) or names["en"]


def _reader_language() -> str:
    from django.utils.translation import get_language

    return (get_language() or "en").split("-")[0]


def status_name(status: str, workflow: str = "") -> str:
    """The status as an error sentence names it: the contract's slug in English ("Case ... is
    submitted"), else its label in the reader's language."""
    language = _reader_language()
    return status if language == "en" else status_label(status, language, workflow)


def action_name(action: str) -> str:
    """The action as an error sentence names it: the slug in English ("Cannot submit case
    ..."), else its label in the reader's language."""
    language = _reader_language()
    return action if language == "en" else action_label(action, language)


# The organisation mark (seed 003).
STATUS_LABELS.update(
    {
        Status.SENT: {
            "mn": "Боловсруулалтад илгээсэн",
            "kk": "Өңдеуге жіберілді",
            "ru": "Отправлено на обработку",
            "en": "Sent for processing",
        },
        Status.APPROVED: {
            "mn": "Зөвшөөрсөн",
            "kk": "Өтінім мақұлданды",
            "ru": "Заявка одобрена",
            "en": "Approved",
        },
        Status.REJECTED: {
            "mn": "Татгалзсан",
            "kk": "Өтінім қабылданбады",
            "ru": "Заявка отклонена",
            "en": "Rejected",
        },
        Status.ERROR: {
            "mn": "Алдаа (бүртгэл)",
            "kk": "Қате",
            "ru": "Ошибка (реестр)",
            "en": "Error (registry)",
        },
        Status.EXPIRED: {
            "mn": "Хугацаа дууссан",
            "kk": "Мерзімі өтті",
            "ru": "Срок истёк",
            "en": "Expired",
        },
    }
)
ACTION_LABELS.update(
    {
        "send": {"mn": "Илгээх", "kk": "Өтінім жіберу", "ru": "Отправить", "en": "Send"},
        "resend": {
            "mn": "Дахин илгээх",
            "kk": "Қайта жіберу",
            "ru": "Отправить повторно",
            "en": "Send again",
        },
        "reject": {"mn": "Татгалзах", "kk": "Қабылдамау", "ru": "Отклонить", "en": "Reject"},
        "fail": {
            "mn": "Бүртгэлийн алдаа",
            "kk": "Тізілім қатесі",
            "ru": "Ошибка реестра",
            "en": "Registry error",
        },
        "expire": {
            "mn": "Хугацаа дуусгах",
            "kk": "Мерзімін аяқтау",
            "ru": "Истечение срока",
            "en": "Expire",
        },
        "copy": {
            "mn": "Хуулж шинээр үүсгэх",
            "kk": "Көшіріп жаңа өтінім құру",
            "ru": "Создать копию",
            "en": "Copy into a new application",
        },
    }
)
