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
}


def status_label(status: str, language: str) -> str:
    """The status's name in ``language`` (mn, kk, ru, en); English when unknown."""
    names = STATUS_LABELS.get(status)
    if names is None:
        return status
    return names.get(language) or names["en"]


def action_label(action: str, language: str) -> str:
    names = ACTION_LABELS.get(action)
    if names is None:
        return action
    return names.get(language) or names["en"]
