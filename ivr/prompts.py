"""The prompt catalogue: every sentence a caller hears, per key and language.

Twilio has no Mongolian or Kazakh voice, so a prompt is played from a recording when the
operator has uploaded one (``ivr.models.Prompt``), spoken with ``<Say>`` in Russian and English
otherwise, and a missing Mongolian or Kazakh recording falls back to the Russian prompt, never
to silence. Prompts are whole sentences without placeholders, since a recording cannot change;
numbers (a queue place, minutes, a time) are separate segments, spoken by ``<Say>`` or played
digit by digit from the ``digit_N`` recordings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.urls import reverse

from cases.labels import STATUS_LABELS

from .models import Prompt

LANGUAGES = ("mn", "kk", "ru", "en")
# Languages Twilio can speak itself; the others need recordings.
SAY_LANGUAGES = ("ru", "en")
FALLBACK_LANGUAGE = "ru"
# How Twilio recognises speech in a language (<Gather language=...>); mn and kk are keys only.
SPEECH_LANGUAGES = {"ru": "ru-RU", "en": "en-US"}

# key -> (what it is for, {language: text})
_BASE: dict[str, tuple[str, dict[str, str]]] = {
    "greeting_open": (
        "First words of a call while the office is open",
        {
            "mn": "Нийгмийн халамжийн лавлах утсанд тавтай морилно уу.",
            "kk": "Әлеуметтік көмек желісіне қош келдіңіз.",
            "ru": "Здравствуйте, вы позвонили на горячую линию социальной помощи.",
            "en": "Welcome to the social welfare hotline.",
        },
    ),
    "greeting_closed": (
        "First words of a call outside office hours",
        {
            "mn": "Нийгмийн халамжийн лавлах утсанд тавтай морилно уу. Одоо ажлын цаг биш "
            "байна. Та дуут зурвас үлдээх эсвэл эргэж залгуулах боломжтой.",
            "kk": "Әлеуметтік көмек желісіне қош келдіңіз. Қазір жұмыс уақыты емес. "
            "Дауыстық хабар қалдыра аласыз немесе кері қоңырау сұрай аласыз.",
            "ru": "Здравствуйте, вы позвонили на горячую линию социальной помощи. Сейчас "
            "нерабочее время. Вы можете оставить голосовое сообщение или заказать обратный "
            "звонок.",
            "en": "Welcome to the social welfare hotline. The office is closed now. You can "
            "leave a voice message or ask us to call you back.",
        },
    ),
    "language_option": (
        "The language menu: each language's own line, played in that language",
        {
            "mn": "Монгол хэлээр үйлчлүүлэх бол 1 дарна уу.",
            "kk": "Қазақ тілі үшін 2 басыңыз.",
            "ru": "Для русского языка нажмите 3.",
            "en": "For English, press 4.",
        },
    ),
    "main_menu": (
        "The main menu",
        {
            "mn": "Хүсэлтийн төлөв сонсох бол 1, дараалал дахь байраа сонсох бол 2, "
            "ажилтантай ярих бол 3, эргэж залгуулах бол 4, дуут зурвас үлдээх бол 5, "
            "тэтгэмжийн олголтоо сонсох бол 6, дахин сонсох бол 9 дарна уу.",
            "kk": "Өтінім мәртебесі үшін 1, кезектегі орныңыз үшін 2, операторға қосылу "
            "үшін 3, кері қоңырау үшін 4, дауыстық хабар қалдыру үшін 5, жәрдемақы "
            "төлемдері үшін 6, қайта тыңдау үшін 9 басыңыз.",
            "ru": "Статус заявки: нажмите 1 или скажите «статус». Место в очереди: 2 или "
            "«очередь». Соединить с оператором: 3 или «оператор». Обратный звонок: 4 или "
            "«перезвоните». Оставить сообщение: 5 или «сообщение». Выплаты пособия: 6 или "
            "«выплаты». Повторить: 9.",
            "en": "For the status of your request, press 1 or say status. For your place in "
            "the queue, press 2 or say queue. To speak to an agent, press 3 or say agent. To "
            "be called back, press 4 or say call back. To leave a voice message, press 5 or "
            "say message. For your allowance payments, press 6 or say payments. To hear this "
            "again, press 9.",
        },
    ),
    "no_input": (
        "Nothing was pressed or said; the question is asked once more",
        {
            "mn": "Уучлаарай, таны сонголтыг сонссонгүй.",
            "kk": "Кешіріңіз, таңдауыңызды естімедік.",
            "ru": "Извините, мы не услышали ваш выбор.",
            "en": "Sorry, we did not hear a choice.",
        },
    ),
    "invalid_choice": (
        "A key or word the menu does not have",
        {
            "mn": "Уучлаарай, ийм сонголт байхгүй.",
            "kk": "Кешіріңіз, мұндай таңдау жоқ.",
            "ru": "Извините, такого варианта нет.",
            "en": "Sorry, that is not one of the choices.",
        },
    ),
    "goodbye": (
        "End of a call",
        {
            "mn": "Залгасанд баярлалаа. Баяртай.",
            "kk": "Қоңырауыңызға рахмет. Сау болыңыз.",
            "ru": "Спасибо за звонок. До свидания.",
            "en": "Thank you for calling. Goodbye.",
        },
    ),
    "case_intro": (
        "Before a request's number (digits follow)",
        {
            "mn": "Таны хүсэлтийн дугаар",
            "kk": "Өтініміңіздің нөмірі",
            "ru": "Ваша заявка номер",
            "en": "Your request number",
        },
    ),
    "case_status_intro": (
        "Before a request's status (the status prompt follows)",
        {
            "mn": "Төлөв:",
            "kk": "Мәртебесі:",
            "ru": "Статус:",
            "en": "Status:",
        },
    ),
    "no_cases": (
        "The caller's number has no requests",
        {
            "mn": "Энэ утасны дугаарт бүртгэлтэй хүсэлт олдсонгүй.",
            "kk": "Бұл телефон нөміріне тіркелген өтінім табылмады.",
            "ru": "На этот номер телефона заявок не найдено.",
            "en": "We found no requests for this phone number.",
        },
    ),
    "unknown_caller": (
        "Status or queue asked from a number we do not know",
        {
            "mn": "Бид таны утасны дугаарыг таньсангүй. Хүсэлтийн мэдээллийг зөвхөн бүртгэлтэй "
            "дугаарт хэлдэг. Ажилтан танд туслах болно.",
            "kk": "Біз сіздің нөміріңізді танымадық. Өтінім туралы тек тіркелген нөмірге "
            "айтамыз. Оператор сізге көмектеседі.",
            "ru": "Мы не узнали ваш номер. О заявках мы сообщаем только на номер, указанный в "
            "заявке. Оператор вам поможет.",
            "en": "We do not know your phone number. We tell a request's status only to the "
            "number given in it. An agent can help you.",
        },
    ),
    "enter_iin": (
        "Unknown caller in Kazakhstan: key in the IIN",
        {
            "mn": "Иргэний 12 оронтой ИИН дугаараа оруулаад тор товч дарна уу.",
            "kk": "12 таңбалы ЖСН-іңізді теріп, тор белгісін басыңыз.",
            "ru": "Введите ваш двенадцатизначный ИИН и нажмите решётку.",
            "en": "Key in your 12-digit IIN, then press the hash key.",
        },
    ),
    "iin_invalid": (
        "The IIN keyed in fails its check digit or shape",
        {
            "mn": "Энэ ИИН дугаар буруу байна.",
            "kk": "Бұл ЖСН қате.",
            "ru": "Этот ИИН введён неверно.",
            "en": "This IIN is not valid.",
        },
    ),
    "iin_found": (
        "The IIN is in the state registry",
        {
            "mn": "Баярлалаа, таны мэдээлэл олдлоо. Ажилтан танд туслах болно.",
            "kk": "Рахмет, деректеріңіз табылды. Оператор сізге көмектеседі.",
            "ru": "Спасибо, ваши данные найдены. Оператор вам поможет.",
            "en": "Thank you, we found your record. An agent will help you.",
        },
    ),
    "iin_not_found": (
        "The IIN is not in the state registry (or the registry did not answer)",
        {
            "mn": "Уучлаарай, энэ дугаараар мэдээлэл олдсонгүй. Ажилтан танд туслах болно.",
            "kk": "Кешіріңіз, бұл нөмір бойынша дерек табылмады. Оператор сізге көмектеседі.",
            "ru": "К сожалению, по этому номеру данных не найдено. Оператор вам поможет.",
            "en": "Sorry, we could not find this number. An agent will help you.",
        },
    ),
    "offer_agent": (
        "Offer to speak to an agent",
        {
            "mn": "Ажилтантай ярих бол 1 дарна уу.",
            "kk": "Операторға қосылу үшін 1 басыңыз.",
            "ru": "Чтобы поговорить с оператором, нажмите 1.",
            "en": "To speak to an agent, press 1.",
        },
    ),
    "pick_case": (
        "The caller has several requests: key in one's number",
        {
            "mn": "Танд хэд хэдэн хүсэлт байна. Хүсэлтийн дугаарын сүүлийн оронгуудыг оруулаад "
            "тор товч дарна уу.",
            "kk": "Сізде бірнеше өтінім бар. Өтінім нөмірінің соңғы сандарын теріп, тор "
            "белгісін басыңыз.",
            "ru": "У вас несколько заявок. Введите последние цифры номера заявки и нажмите "
            "решётку.",
            "en": "You have several requests. Key in the last digits of the request number, "
            "then press the hash key.",
        },
    ),
    "case_not_found": (
        "No request of the caller's has the number keyed in",
        {
            "mn": "Ийм дугаартай хүсэлт олдсонгүй.",
            "kk": "Мұндай нөмірлі өтінім табылмады.",
            "ru": "Заявка с таким номером не найдена.",
            "en": "We found no request of yours with that number.",
        },
    ),
    "queue_place": (
        "Before a request's place in the care-home queue (digits follow)",
        {
            "mn": "Асрамжийн газрын дараалал дахь таны байр:",
            "kk": "Мекемеге орын кезегіндегі орныңыз:",
            "ru": "Ваше место в очереди на место в учреждении:",
            "en": "Your place in the queue for a care home:",
        },
    ),
    "queue_none": (
        "None of the caller's requests waits in the care-home queue",
        {
            "mn": "Таны хүсэлт дараалалд байхгүй байна.",
            "kk": "Өтінімдеріңіз кезекте жоқ.",
            "ru": "Ваших заявок в очереди нет.",
            "en": "None of your requests is waiting in the queue.",
        },
    ),
    "payments_none": (
        "Menu 6 (allowance payments): the caller has no allowance being paid",
        {
            "mn": "Танд олгогдож буй тэтгэмж алга байна.",
            "kk": "Сізге төленетін жәрдемақы жоқ.",
            "ru": "Выплачиваемых вам пособий нет.",
            "en": "No allowance is being paid to you.",
        },
    ),
    "payments_first_month": (
        "Menu 6: before the first month an allowance was paid (a month, then the year)",
        {
            "mn": "Тэтгэмж олгож эхэлсэн сар:",
            "kk": "Жәрдемақы төлене бастаған ай:",
            "ru": "Первый месяц выплаты:",
            "en": "First month paid:",
        },
    ),
    "payments_last_month": (
        "Menu 6: before the last month paid so far (a month, then the year)",
        {
            "mn": "Сүүлд олгосон сар:",
            "kk": "Соңғы төленген ай:",
            "ru": "Последний оплаченный месяц:",
            "en": "Last month paid:",
        },
    ),
    "payments_month_count": (
        "Menu 6: before the number of months paid (digits follow)",
        {
            "mn": "Нийт олгосон сарын тоо:",
            "kk": "Барлық төленген айлар саны:",
            "ru": "Всего оплачено месяцев:",
            "en": "Months paid in all:",
        },
    ),
    "payments_amount": (
        "Menu 6: before the monthly amount (digits, then the currency, follow)",
        {
            "mn": "Сар бүрийн дүн:",
            "kk": "Айлық сомасы:",
            "ru": "Ежемесячная сумма:",
            "en": "Each month:",
        },
    ),
    "currency_MNT": (
        "After an amount in Mongolian tugriks",
        {"mn": "төгрөг.", "kk": "төгрік.", "ru": "тугриков.", "en": "tugriks."},
    ),
    "currency_KZT": (
        "After an amount in Kazakh tenge",
        {"mn": "тэнгэ.", "kk": "теңге.", "ru": "тенге.", "en": "tenge."},
    ),
    "please_hold": (
        "The caller joins the line for an agent",
        {
            "mn": "Түр хүлээнэ үү, ажилтан удахгүй хариулна.",
            "kk": "Күте тұрыңыз, оператор жақында жауап береді.",
            "ru": "Пожалуйста, оставайтесь на линии, оператор скоро ответит.",
            "en": "Please hold, an agent will answer soon.",
        },
    ),
    "line_place": (
        "While waiting: the caller's place in the line for an agent (digits follow)",
        {
            "mn": "Таны дараалал дахь байр:",
            "kk": "Кезектегі орныңыз:",
            "ru": "Ваше место в очереди:",
            "en": "Your place in the line:",
        },
    ),
    "line_minutes": (
        "While waiting: the expected wait in minutes (digits follow)",
        {
            "mn": "Хүлээх хугацаа, минутаар:",
            "kk": "Күту уақыты, минутпен:",
            "ru": "Примерное время ожидания в минутах:",
            "en": "Expected wait in minutes:",
        },
    ),
    "line_offer_callback": (
        "After a long wait: leave the line for a call back",
        {
            "mn": "Дарааллаас гарч, бидэнд эргэж залгуулах бол 1 дарна уу.",
            "kk": "Кезектен шығып, кері қоңырау сұрау үшін 1 басыңыз.",
            "ru": "Чтобы выйти из очереди и заказать обратный звонок, нажмите 1.",
            "en": "To leave the line and be called back instead, press 1.",
        },
    ),
    "hold_music": (
        "Hold music between the waiting messages (a recording; silence when missing)",
        {"mn": "", "kk": "", "ru": "", "en": ""},
    ),
    "office_closed": (
        "An agent asked for outside office hours",
        {
            "mn": "Ажилтнууд одоо ажлын бус цагт байна. Эргэж залгуулах бол 4, дуут зурвас "
            "үлдээх бол 5 дарна уу.",
            "kk": "Қазір операторлар жұмыс істемейді. Кері қоңырау үшін 4, дауыстық хабар "
            "үшін 5 басыңыз.",
            "ru": "Сейчас операторы не работают. Для обратного звонка нажмите 4, чтобы "
            "оставить сообщение, нажмите 5.",
            "en": "Our agents are not at work now. To be called back, press 4. To leave a "
            "voice message, press 5.",
        },
    ),
    "callback_confirmed": (
        "A call back is booked; the time it is due by follows (hours, then minutes)",
        {
            "mn": "Баярлалаа. Ажлын цагаар энэ дугаар луу эргэж залгана. Хамгийн оройтвол:",
            "kk": "Рахмет. Жұмыс уақытында осы нөмірге кері қоңырау шаламыз. Ең кешінде:",
            "ru": "Спасибо. Мы перезвоним на этот номер в рабочее время, не позднее",
            "en": "Thank you. We will call you back on this number in office hours, by",
        },
    ),
    "callback_no_number": (
        "A call back asked from a hidden number",
        {
            "mn": "Таны дугаар нууцлагдсан тул эргэж залгах боломжгүй. Дуут зурвас үлдээнэ үү.",
            "kk": "Нөміріңіз жасырылған, сондықтан кері қоңырау шала алмаймыз. Дауыстық "
            "хабар қалдырыңыз.",
            "ru": "Ваш номер скрыт, поэтому мы не можем перезвонить. Оставьте, пожалуйста, "
            "голосовое сообщение.",
            "en": "Your number is hidden, so we cannot call you back. Please leave a voice "
            "message.",
        },
    ),
    "voicemail_intro": (
        "Before the tone of a voice message",
        {
            "mn": "Дохионы дараа зурвасаа хэлнэ үү. Дуусаад тор товч дарна уу.",
            "kk": "Сигналдан кейін хабарыңызды айтыңыз. Аяқтаған соң тор белгісін басыңыз.",
            "ru": "Оставьте сообщение после сигнала. Когда закончите, нажмите решётку.",
            "en": "Please leave your message after the tone. Press the hash key when you are done.",
        },
    ),
    "voicemail_thanks": (
        "After a voice message",
        {
            "mn": "Баярлалаа, таны зурвасыг хүлээн авлаа. Ажилтан сонсох болно.",
            "kk": "Рахмет, хабарыңыз жазылды. Оператор оны тыңдайды.",
            "ru": "Спасибо, ваше сообщение записано. Оператор его прослушает.",
            "en": "Thank you, your message is recorded. An agent will listen to it.",
        },
    ),
    "error": (
        "Something failed on our side (also the fallback URL's answer)",
        {
            "mn": "Уучлаарай, манай системд алдаа гарлаа. Эргэж залгуулах бол 1 дарна уу, "
            "эсвэл дараа дахин залгана уу.",
            "kk": "Кешіріңіз, жүйеде қате шықты. Кері қоңырау үшін 1 басыңыз немесе кейінірек "
            "қайта хабарласыңыз.",
            "ru": "Извините, у нас произошла ошибка. Чтобы мы вам перезвонили, нажмите 1, "
            "или позвоните позже.",
            "en": "Sorry, something went wrong on our side. To be called back, press 1, or "
            "call again later.",
        },
    ),
    "connecting": (
        "To the caller, just before an agent takes the call",
        {
            "mn": "Ажилтантай холбож байна.",
            "kk": "Операторға қосып жатырмыз.",
            "ru": "Соединяем с оператором.",
            "en": "Connecting you to an agent.",
        },
    ),
    "agent_take": (
        "To the agent answering their phone to take a waiting caller",
        {
            "mn": "Лавлах утасны дуудлагыг холбож байна.",
            "kk": "Желідегі қоңырауды қосып жатырмыз.",
            "ru": "Соединяю со звонящим на горячую линию.",
            "en": "Connecting you to a hotline caller.",
        },
    ),
    "agent_dialing": (
        "To the agent answering their phone for a call back",
        {
            "mn": "Иргэн рүү залгаж байна.",
            "kk": "Азаматқа қоңырау шалып жатырмыз.",
            "ru": "Звоню гражданину.",
            "en": "Calling the citizen now.",
        },
    ),
    "notify_intro": (
        "A notification call: who is calling (the request number follows)",
        {
            "mn": "Нийгмийн халамжийн газраас залгаж байна. Таны хүсэлт",
            "kk": "Әлеуметтік көмек бөлімінен хабарласып тұрмыз. Сіздің өтініміңіз",
            "ru": "Вас беспокоит отдел социальной помощи. Ваша заявка",
            "en": "This is the social welfare office calling about your request",
        },
    ),
    "notify_outro": (
        "End of a notification call",
        {
            "mn": "Дэлгэрэнгүйг лавлах утсаар асууна уу. Баяртай.",
            "kk": "Толығырақ білу үшін желіге хабарласыңыз. Сау болыңыз.",
            "ru": "Подробности можно узнать на горячей линии. До свидания.",
            "en": "To learn more, call the hotline. Goodbye.",
        },
    ),
}

MONTH_NAMES = {
    "mn": [
        "нэгдүгээр сар",
        "хоёрдугаар сар",
        "гуравдугаар сар",
        "дөрөвдүгээр сар",
        "тавдугаар сар",
        "зургаадугаар сар",
        "долоодугаар сар",
        "наймдугаар сар",
        "есдүгээр сар",
        "аравдугаар сар",
        "арван нэгдүгээр сар",
        "арван хоёрдугаар сар",
    ],
    "kk": [
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ],
    "ru": [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}

DIGIT_WORDS = {
    "mn": ["тэг", "нэг", "хоёр", "гурав", "дөрөв", "тав", "зургаа", "долоо", "найм", "ес"],
    "kk": ["нөл", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"],
    "ru": ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"],
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
}


@cache
def catalogue() -> dict[str, tuple[str, dict[str, str]]]:
    """Every prompt key: the fixed sentences, the digits and one per case status."""

    entries = dict(_BASE)
    for digit in range(10):
        entries[f"digit_{digit}"] = (
            f"The digit {digit}, for numbers played digit by digit",
            {lang: words[digit] for lang, words in DIGIT_WORDS.items()},
        )
    for month in range(1, 13):
        entries[f"month_{month}"] = (
            f"The name of month {month}, before a year (allowance payments)",
            {lang: names[month - 1] for lang, names in MONTH_NAMES.items()},
        )
    for status, labels in STATUS_LABELS.items():
        entries[f"status_{status}"] = (
            f"A request's status: {labels['en']}",
            {lang: f"{labels[lang]}." for lang in LANGUAGES},
        )
    return entries


def prompt_keys() -> list[str]:
    return sorted(catalogue())


def default_text(key: str, language: str) -> str:
    entry = catalogue().get(key)
    if entry is None:
        return ""
    return entry[1].get(language) or entry[1].get(FALLBACK_LANGUAGE, "")


# --- what Twilio is told to play ---------------------------------------------------------

_CACHE_KEY = "ivr:prompts:v1"
_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Stored:
    url_suffix: str  # the recording's path and version, "" without a recording
    text: str


def _stored_prompts() -> dict[tuple[str, str], Stored]:
    """Recordings and operators' texts, read once per few minutes (saves clear it)."""
    found = django_cache.get(_CACHE_KEY)
    if found is not None:
        return found

    found = {}
    for row in Prompt.objects.only("key", "language", "audio", "text", "updated_at"):
        suffix = ""
        if row.audio:
            extension = row.audio.name.rsplit(".", 1)[-1]
            path = reverse("ivr:prompt-audio", args=(row.language, row.key, extension))
            # The version makes Twilio fetch a re-recorded prompt instead of its cached copy.
            suffix = f"{path}?v={int(row.updated_at.timestamp())}"
        found[(row.key, row.language)] = Stored(url_suffix=suffix, text=row.text.strip())
    django_cache.set(_CACHE_KEY, found, _CACHE_SECONDS)
    return found


def prompts_changed() -> None:
    django_cache.delete(_CACHE_KEY)


def audio_url(suffix: str) -> str:
    return settings.PUBLIC_BASE_URL + suffix


def say_voice(language: str) -> tuple[str, str]:
    """(Twilio voice, language code) for ``<Say>`` in ``language``."""
    voices = settings.IVR_SAY_VOICES
    return voices.get(language) or voices[FALLBACK_LANGUAGE]


class Speaker:
    """Adds prompts in one language to a TwiML verb (``VoiceResponse`` or ``Gather``)."""

    def __init__(self, language: str, *, stored: dict | None = None) -> None:
        self.language = language if language in LANGUAGES else FALLBACK_LANGUAGE
        self._stored = stored

    @property
    def stored(self) -> dict[tuple[str, str], Stored]:
        if self._stored is None:
            self._stored = _stored_prompts()
        return self._stored

    def _choice(self, key: str, language: str) -> tuple[str, str, str]:
        """("play", url, "") or ("say", text, language) for ``key``, falling back to Russian."""
        for candidate in (language, FALLBACK_LANGUAGE):
            row = self.stored.get((key, candidate))
            if row is not None and row.url_suffix:
                return "play", audio_url(row.url_suffix), candidate
            if candidate in SAY_LANGUAGES:
                text = (row.text if row is not None else "") or default_text(key, candidate)
                return "say", text, candidate
        return "say", default_text(key, FALLBACK_LANGUAGE), FALLBACK_LANGUAGE

    def prompt(self, verb, key: str, *, language: str | None = None) -> None:
        kind, value, spoken_in = self._choice(key, language or self.language)
        if kind == "play":
            verb.play(value)
        elif value:
            voice, code = say_voice(spoken_in)
            verb.say(value, voice=voice, language=code)

    def prompts(self, verb, keys: Iterable[str]) -> None:
        for key in keys:
            self.prompt(verb, key)

    def number(self, verb, value: int | str) -> None:
        """A number: said whole by Twilio's voice, else played digit by digit."""
        text = str(value)
        kind, _value, spoken_in = self._choice("digit_0", self.language)
        if kind == "say":
            voice, code = say_voice(spoken_in)
            verb.say(text, voice=voice, language=code)
            return
        for char in text:
            if char.isdigit():
                self.prompt(verb, f"digit_{char}")
            else:
                verb.pause(length=1)

    def has_recording(self, key: str) -> bool:
        row = self.stored.get((key, self.language))
        return bool(row and row.url_suffix)


def _recorded(row: Stored | None) -> bool:
    return bool(row and row.url_suffix)


def missing_recordings(languages: Iterable[str] = ("mn", "kk")) -> dict[str, list[str]]:
    """Prompt keys without a recording, per language (hold music is optional)."""
    stored = _stored_prompts()
    return {
        language: [
            key
            for key in prompt_keys()
            if key != "hold_music" and not _recorded(stored.get((key, language)))
        ]
        for language in languages
    }
