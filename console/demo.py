"""Console reference data: wrap-up codes and canned responses in the four languages, and the
inbox labels each country's desk starts with (named in the desk's working language)."""

from __future__ import annotations

from .models import CannedResponse, Label, WrapUpCode

WRAP_UP_CODES = [
    # code, mn, kk, ru, en
    ("answered", "Хариулт өгсөн", "Жауап берілді", "Дан ответ", "Question answered"),
    ("case_opened", "Хүсэлт нээсэн", "Өтініш ашылды", "Открыта заявка", "Case opened"),
    (
        "referred",
        "Өөр байгууллагад шилжүүлсэн",
        "Басқа мекемеге жіберілді",
        "Направлен в другую организацию",
        "Referred to another office",
    ),
    (
        "callback_done",
        "Эргэн залгасан",
        "Кері қоңырау шалынды",
        "Перезвонили",
        "Called back",
    ),
    ("no_response", "Хариу өгөөгүй", "Жауап бермеді", "Нет ответа", "Citizen did not respond"),
    ("spam", "Хамааралгүй / спам", "Қатысы жоқ / спам", "Не по теме / спам", "Not relevant / spam"),
]

CANNED = [
    (
        "Greeting",
        "Сайн байна уу. Нийгмийн халамжийн төвөөс бичиж байна. Танд юугаар туслах вэ?",
        "Сәлеметсіз бе. Әлеуметтік қорғау орталығынан жазып отырмыз. Сізге қалай көмектесе аламыз?",
        "Здравствуйте! Вам пишет центр социальной защиты. Чем мы можем помочь?",
        "Hello, this is the social welfare centre. How can we help you?",
    ),
    (
        "Ask for national ID",
        "Таныг шалгахын тулд регистрийн дугаараа (жишээ нь УБ65031512) бичнэ үү.",
        "Сізді тексеру үшін ЖСН нөміріңізді жазыңыз.",
        "Чтобы найти ваши данные, пришлите, пожалуйста, номер удостоверения личности.",
        "To find your records, please send your national ID number.",
    ),
    (
        "Case opened",
        "Таны хүсэлтийг бүртгэлээ. Хорооны нийгмийн ажилтан тантай удахгүй холбогдоно.",
        "Өтінішіңіз тіркелді. Ауылдық округтің әлеуметтік қызметкері "
        "сізбен жақын арада хабарласады.",
        "Ваша заявка зарегистрирована. Социальный работник по месту жительства "
        "скоро свяжется с вами.",
        "Your request is registered. Your local social worker will contact you soon.",
    ),
    (
        "Documents to bring",
        "Иргэний үнэмлэх, эмнэлгийн магадлагаа (3 сараас дотор), өргөдлөө "
        "хорооны нийгмийн ажилтанд авчирна уу.",
        "Жеке куәлігіңізді, медициналық анықтаманы (3 айдан аспаған) және өтінішті әкеліңіз.",
        "Принесите социальному работнику удостоверение личности, медицинскую справку "
        "(не старше 3 месяцев) и заявление.",
        "Please bring your ID card, a medical certificate (issued within 3 months) "
        "and the application form to your local social worker.",
    ),
    (
        "We will call back",
        "Бид тан руу ажлын цагаар эргэж залгана.",
        "Біз сізге жұмыс уақытында қайта қоңырау шаламыз.",
        "Мы перезвоним вам в рабочее время.",
        "We will call you back during working hours.",
    ),
]

LABELS = [
    # name, colour, country
    ("яаралтай", "#b3261e", "MN"),
    ("тэтгэмж", "#1b7a3d", "MN"),
    ("асрамжийн газар", "#6b3fa0", "MN"),
    ("срочно", "#b3261e", "KZ"),
    ("адресная помощь", "#1b7a3d", "KZ"),
]


def seed(context) -> None:
    for name, colour, country in LABELS:
        Label.objects.update_or_create(name=name, country=country, defaults={"colour": colour})
    for position, (code, mn, kk, ru, en) in enumerate(WRAP_UP_CODES):
        WrapUpCode.objects.update_or_create(
            code=code,
            defaults={
                "label_mn": mn,
                "label_kk": kk,
                "label_ru": ru,
                "label_en": en,
                "position": position,
                "active": True,
            },
        )
    for position, (title, mn, kk, ru, en) in enumerate(CANNED):
        CannedResponse.objects.update_or_create(
            title=title,
            defaults={
                "body_mn": mn,
                "body_kk": kk,
                "body_ru": ru,
                "body_en": en,
                "position": position,
                "active": True,
            },
        )
    context.notes.append("Desk console: http://127.0.0.1:8000/console/ (sign in as agent.bolor)")
