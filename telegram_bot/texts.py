"""What the bot says, in mn, kk, ru and en (declared like ``channels_app.texts.DEFAULTS``,
which they join at start-up, so operators reword them in the same admin)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, dict[str, str]]] = {
    "tg_choose_language": (
        "Telegram: the language question at /start (shown in every language)",
        {
            "mn": "Хэлээ сонгоно уу · Тілді таңдаңыз · Выберите язык · Choose your language",
            "kk": "Хэлээ сонгоно уу · Тілді таңдаңыз · Выберите язык · Choose your language",
            "ru": "Хэлээ сонгоно уу · Тілді таңдаңыз · Выберите язык · Choose your language",
            "en": "Хэлээ сонгоно уу · Тілді таңдаңыз · Выберите язык · Choose your language",
        },
    ),
    "tg_welcome": (
        "Telegram: welcome with the menu",
        {
            "mn": "Нийгмийн халамжийн үйлчилгээнд тавтай морил. Доорх цэснээс сонгоно уу.",
            "kk": "Әлеуметтік қорғау қызметіне қош келдіңіз. Төмендегі мәзірден таңдаңыз.",
            "ru": "Добро пожаловать в службу социальной защиты. Выберите действие в меню ниже.",
            "en": "Welcome to the social welfare service. Choose from the menu below.",
        },
    ),
    "tg_menu_cases": (
        "Telegram menu button: my cases",
        {"mn": "Миний хүсэлтүүд", "kk": "Менің өтінімдерім", "ru": "Мои заявки", "en": "My cases"},
    ),
    "tg_menu_queue": (
        "Telegram menu button: my place in the queue",
        {
            "mn": "Дараалал дахь байр",
            "kk": "Кезектегі орным",
            "ru": "Моё место в очереди",
            "en": "My place in the queue",
        },
    ),
    "tg_menu_payments": (
        "Telegram menu button: my allowance payments (the months paid)",
        {
            "mn": "Миний тэтгэмж",
            "kk": "Менің жәрдемақым",
            "ru": "Мои выплаты",
            "en": "My payments",
        },
    ),
    "tg_menu_apply": (
        "Telegram menu button: apply",
        {"mn": "Өргөдөл гаргах", "kk": "Өтініш беру", "ru": "Подать заявку", "en": "Apply"},
    ),
    "tg_menu_callback": (
        "Telegram menu button: call me back",
        {
            "mn": "Над руу залгаарай",
            "kk": "Маған қоңырау шалыңыз",
            "ru": "Перезвоните мне",
            "en": "Call me back",
        },
    ),
    "tg_menu_agent": (
        "Telegram menu button: talk to an agent",
        {
            "mn": "Ажилтантай ярих",
            "kk": "Маманмен сөйлесу",
            "ru": "Связаться с оператором",
            "en": "Talk to an agent",
        },
    ),
    "tg_menu_language": (
        "Telegram menu button: language",
        {"mn": "Хэл", "kk": "Тіл", "ru": "Язык", "en": "Language"},
    ),
    "tg_button_share_phone": (
        "Telegram button that shares the citizen's phone number",
        {
            "mn": "Утасны дугаараа хуваалцах",
            "kk": "Телефон нөмірімді бөлісу",
            "ru": "Поделиться номером телефона",
            "en": "Share my phone number",
        },
    ),
    "tg_identify_first": (
        "Telegram: personal information needs the phone number first",
        {
            "mn": "Хүсэлтийн мэдээллийг харахын тулд доорх товчоор утасны дугаараа хуваалцана "
            "уу. Түүнээс өмнө бид хувийн мэдээлэл өгөхгүй.",
            "kk": "Өтінімдеріңізді көру үшін төмендегі түйме арқылы телефон нөміріңізді "
            "бөлісіңіз. Оған дейін жеке мәлімет берілмейді.",
            "ru": "Чтобы увидеть свои заявки, поделитесь номером телефона кнопкой ниже. До "
            "этого мы не сообщаем личных сведений.",
            "en": "To see your requests, share your phone number with the button below. Until "
            "then we tell nothing personal.",
        },
    ),
    "tg_contact_not_own": (
        "Telegram: a contact card of someone else was shared",
        {
            "mn": "Өөрийн утасны дугаарыг доорх товчоор хуваалцана уу, бусдын дугаарыг биш.",
            "kk": "Басқа адамның емес, өз нөміріңізді төмендегі түйме арқылы бөлісіңіз.",
            "ru": "Поделитесь своим номером кнопкой ниже, а не контактом другого человека.",
            "en": "Please share your own number with the button below, not someone else's.",
        },
    ),
    "tg_identified": (
        "Telegram: the phone number is linked ({phone})",
        {
            "mn": "Баярлалаа, {phone} дугаар холбогдлоо. Одоо хүсэлтүүдээ харах боломжтой.",
            "kk": "Рақмет, {phone} нөмірі байланыстырылды. Енді өтінімдеріңізді көре аласыз.",
            "ru": "Спасибо, номер {phone} привязан. Теперь вы можете видеть свои заявки.",
            "en": "Thank you, your number {phone} is linked. You can now see your requests.",
        },
    ),
    "tg_identify_review": (
        "Telegram: the number belongs to a known citizen; an agent checks before linking",
        {
            "mn": "Баярлалаа. Ажилтан таны дугаарыг шалгаж холбоно, бид энд мэдэгдэнэ.",
            "kk": "Рақмет. Маман нөміріңізді тексеріп байланыстырады, біз осында жазамыз.",
            "ru": "Спасибо. Оператор проверит ваш номер и привяжет его; мы напишем здесь.",
            "en": "Thank you. An agent will check your number and link it; we will write here.",
        },
    ),
    "tg_agent_prompt": (
        "Telegram: after 'talk to an agent'",
        {
            "mn": "Асуултаа энд бичнэ үү, ажилтан энэ чатад хариулна.",
            "kk": "Сұрағыңызды осында жазыңыз, маман осы чатта жауап береді.",
            "ru": "Напишите вопрос здесь, оператор ответит в этом чате.",
            "en": "Write your question here; an agent will answer in this chat.",
        },
    ),
    "tg_apply_service": (
        "Telegram intake: choose a service",
        {
            "mn": "Ямар үйлчилгээ хүсч байна вэ?",
            "kk": "Қандай қызметке өтініш бересіз?",
            "ru": "На какую услугу вы подаёте заявку?",
            "en": "Which service do you apply for?",
        },
    ),
    "tg_apply_no_services": (
        "Telegram intake: nothing in the catalogue",
        {
            "mn": "Одоогоор энд өргөдөл авах үйлчилгээ алга. Ажилтантай ярина уу.",
            "kk": "Қазір мұнда өтініш қабылданатын қызмет жоқ. Маманмен сөйлесіңіз.",
            "ru": "Сейчас здесь нет услуг для заявки. Свяжитесь с оператором.",
            "en": "There is no service to apply for here yet. Please talk to an agent.",
        },
    ),
    "tg_apply_for_whom": (
        "Telegram intake: for whom",
        {
            "mn": "Өргөдөл хэнд зориулагдсан бэ?",
            "kk": "Өтініш кім үшін?",
            "ru": "Для кого заявка?",
            "en": "Who is the application for?",
        },
    ),
    "tg_button_self": (
        "Telegram intake button: for myself",
        {"mn": "Өөртөө", "kk": "Өзім үшін", "ru": "Для себя", "en": "For myself"},
    ),
    "tg_button_other": (
        "Telegram intake button: for someone else",
        {
            "mn": "Өөр хүнд",
            "kk": "Басқа адам үшін",
            "ru": "Для другого человека",
            "en": "For someone else",
        },
    ),
    "tg_apply_relationship": (
        "Telegram intake: relationship to the person",
        {
            "mn": "Та тухайн хүний хэн болох вэ?",
            "kk": "Сіз ол адамға кім болып келесіз?",
            "ru": "Кем вы приходитесь этому человеку?",
            "en": "How are you related to the person?",
        },
    ),
    "tg_rel_spouse": (
        "Telegram relationship: spouse",
        {"mn": "Эхнэр/нөхөр", "kk": "Жұбайы", "ru": "Супруг(а)", "en": "Spouse"},
    ),
    "tg_rel_child": (
        "Telegram relationship: child",
        {"mn": "Хүүхэд", "kk": "Баласы", "ru": "Сын или дочь", "en": "Son or daughter"},
    ),
    "tg_rel_relative": (
        "Telegram relationship: other relative",
        {
            "mn": "Бусад хамаатан",
            "kk": "Басқа туысы",
            "ru": "Другой родственник",
            "en": "Other relative",
        },
    ),
    "tg_rel_carer": (
        "Telegram relationship: carer or guardian",
        {
            "mn": "Асран хамгаалагч",
            "kk": "Қамқоршысы",
            "ru": "Опекун или сиделка",
            "en": "Carer or guardian",
        },
    ),
    "tg_rel_neighbour": (
        "Telegram relationship: neighbour",
        {"mn": "Хөрш", "kk": "Көршісі", "ru": "Сосед", "en": "Neighbour"},
    ),
    "tg_rel_other": (
        "Telegram relationship: other",
        {"mn": "Бусад", "kk": "Басқа", "ru": "Другое", "en": "Other"},
    ),
    "tg_apply_consent_other": (
        "Telegram intake: the person's consent, asked of a relative",
        {
            "mn": "Тухайн хүн таныг өөрийнх нь өмнөөс өргөдөл гаргах, халамжийн алба энэ "
            "өргөдлийн хүрээнд түүний хувийн мэдээллийг боловсруулахыг зөвшөөрсөн үү?",
            "kk": "Ол адам сіздің оның атынан өтініш беруіңізге және әлеуметтік қорғау "
            "бөлімінің осы өтінім бойынша оның дербес деректерін өңдеуіне келісті ме?",
            "ru": "Согласен ли этот человек, чтобы вы подали заявку от его имени и чтобы "
            "служба соцзащиты обрабатывала его персональные данные по этой заявке?",
            "en": "Has the person agreed that you apply on their behalf and that the welfare "
            "office processes their personal data for this application?",
        },
    ),
    "tg_apply_consent_self": (
        "Telegram intake: the applicant's own consent",
        {
            "mn": "Халамжийн алба энэ өргөдлийн хүрээнд таны хувийн мэдээллийг боловсруулахыг "
            "зөвшөөрч байна уу?",
            "kk": "Әлеуметтік қорғау бөлімінің осы өтінім бойынша дербес деректеріңізді "
            "өңдеуіне келісесіз бе?",
            "ru": "Согласны ли вы, чтобы служба соцзащиты обрабатывала ваши персональные данные "
            "по этой заявке?",
            "en": "Do you agree that the welfare office processes your personal data for this "
            "application?",
        },
    ),
    "tg_button_yes_agree": (
        "Telegram intake button: consent given",
        {
            "mn": "Тийм, зөвшөөрсөн",
            "kk": "Иә, келісемін",
            "ru": "Да, согласен",
            "en": "Yes, agreed",
        },
    ),
    "tg_button_yes": (
        "Telegram button: yes",
        {"mn": "Тийм", "kk": "Иә", "ru": "Да", "en": "Yes"},
    ),
    "tg_button_no": (
        "Telegram button: no",
        {"mn": "Үгүй", "kk": "Жоқ", "ru": "Нет", "en": "No"},
    ),
    "tg_apply_no_consent": (
        "Telegram intake: stopped without consent",
        {
            "mn": "Зөвшөөрөлгүйгээр өргөдөл авах боломжгүй. Хүссэн үедээ цэснээс дахин "
            "эхлүүлнэ үү.",
            "kk": "Келісімсіз өтінім қабылданбайды. Кез келген уақытта мәзірден қайта бастаңыз.",
            "ru": "Без согласия заявку принять нельзя. Начните заново из меню в любое время.",
            "en": "Without consent we cannot take the application. Start again from the menu "
            "any time.",
        },
    ),
    "tg_apply_national_id_self": (
        "Telegram intake: ask for the applicant's national ID",
        {
            "mn": "Регистрийн дугаараа илгээнэ үү (2 үсэг, 8 тоо, жишээ нь УБ65031512; "
            "Казахстанд 12 оронтой ИИН).",
            "kk": "ЖСН-іңізді жіберіңіз (12 сан; Моңғолияда 2 әріп пен 8 сан, мысалы УБ65031512).",
            "ru": "Отправьте свой регистрационный номер (Монголия: 2 буквы и 8 цифр, например "
            "УБ65031512; Казахстан: ИИН из 12 цифр).",
            "en": "Send your registration number (Mongolia: 2 letters and 8 digits, e.g. "
            "УБ65031512; Kazakhstan: the 12-digit IIN).",
        },
    ),
    "tg_apply_national_id_other": (
        "Telegram intake: ask for the person's national ID",
        {
            "mn": "Тухайн хүний регистрийн дугаарыг илгээнэ үү (2 үсэг, 8 тоо, жишээ нь "
            "УБ65031512; Казахстанд 12 оронтой ИИН).",
            "kk": "Ол адамның ЖСН-ін жіберіңіз (12 сан; Моңғолияда 2 әріп пен 8 сан, мысалы "
            "УБ65031512).",
            "ru": "Отправьте регистрационный номер этого человека (Монголия: 2 буквы и 8 цифр, "
            "например УБ65031512; Казахстан: ИИН из 12 цифр).",
            "en": "Send the person's registration number (Mongolia: 2 letters and 8 digits, "
            "e.g. УБ65031512; Kazakhstan: the 12-digit IIN).",
        },
    ),
    "tg_apply_bad_id": (
        "Telegram intake: the national ID was refused ({error})",
        {
            "mn": "Дугаарыг хүлээн авсангүй: {error} Дахин илгээнэ үү, эсвэл /cancel.",
            "kk": "Нөмір қабылданбады: {error} Қайта жіберіңіз немесе /cancel.",
            "ru": "Номер не принят: {error} Отправьте его ещё раз или /cancel.",
            "en": "The number was not accepted: {error} Send it again, or /cancel.",
        },
    ),
    "tg_apply_confirm_person": (
        "Telegram intake: confirm the person by a masked name ({name})",
        {
            "mn": "Энэ хүн мөн үү: {name}?",
            "kk": "Бұл сол адам ба: {name}?",
            "ru": "Это этот человек: {name}?",
            "en": "Is this the person: {name}?",
        },
    ),
    "tg_apply_reason": (
        "Telegram intake: ask for a short reason",
        {
            "mn": "Тусламж яагаад хэрэгтэй байгааг товч бичнэ үү.",
            "kk": "Көмек не үшін қажет екенін қысқаша жазыңыз.",
            "ru": "Коротко напишите, почему нужна помощь.",
            "en": "In a few words, why is the help needed?",
        },
    ),
    "tg_apply_reason_length": (
        "Telegram intake: the reason is empty or too long ({limit})",
        {
            "mn": "Шалтгааныг {limit} тэмдэгтээс богино бичнэ үү.",
            "kk": "Себебін {limit} таңбадан қысқа жазыңыз.",
            "ru": "Напишите причину короче {limit} символов.",
            "en": "Please write the reason in under {limit} characters.",
        },
    ),
    "tg_apply_failed": (
        "Telegram intake: the core refused the application ({error})",
        {
            "mn": "Өргөдлийг авч чадсангүй: {error} Асуултаа энд бичвэл ажилтан туслана.",
            "kk": "Өтінім қабылданбады: {error} Сұрағыңызды осында жазсаңыз, маман көмектеседі.",
            "ru": "Заявку принять не удалось: {error} Напишите вопрос здесь, оператор поможет.",
            "en": "We could not take the application: {error} Write your question here and an "
            "agent will help.",
        },
    ),
    "tg_apply_created": (
        "Telegram intake: draft created ({number}, {unit}); now the documents",
        {
            "mn": "Хүсэлт {number} {unit}-д ноорог хэлбэрээр хадгалагдлаа. Одоо баримтын зураг "
            "эсвэл PDF илгээнэ үү: эхлээд аль баримт болохыг товчоор сонгоно. Дуусвал "
            '"Дууссан" дарна уу.',
            "kk": "{number} өтінімі {unit} бөлімінде жоба ретінде сақталды. Енді құжаттардың "
            "суретін немесе PDF жіберіңіз: алдымен қай құжат екенін түймемен таңдаңыз. "
            'Аяқтаған соң "Дайын" басыңыз.',
            "ru": "Заявка {number} сохранена как черновик в: {unit}. Теперь отправьте фото или "
            "PDF документов: сначала выберите кнопкой, какой это документ. В конце нажмите "
            "«Готово».",
            "en": "Request {number} is saved as a draft at {unit}. Now send photos or PDFs of "
            "the documents: first tap which document it is. Tap Done when finished.",
        },
    ),
    "tg_button_done": (
        "Telegram intake button: done",
        {"mn": "Дууссан", "kk": "Дайын", "ru": "Готово", "en": "Done"},
    ),
    "tg_apply_document_which": (
        "Telegram intake: send the file for one document ({document})",
        {
            "mn": "Дараах баримтын зураг эсвэл PDF-ийг илгээнэ үү: {document}",
            "kk": "Мына құжаттың суретін немесе PDF жіберіңіз: {document}",
            "ru": "Отправьте фото или PDF документа: {document}",
            "en": "Send the photo or PDF of: {document}",
        },
    ),
    "tg_apply_document_ok": (
        "Telegram intake: a document was attached ({document})",
        {
            "mn": "Хүлээн авлаа: {document}.",
            "kk": "Қабылданды: {document}.",
            "ru": "Получено: {document}.",
            "en": "Received: {document}.",
        },
    ),
    "tg_apply_document_other": (
        "Telegram intake: label of a document not chosen from the list",
        {
            "mn": "бусад баримт",
            "kk": "басқа құжат",
            "ru": "другой документ",
            "en": "other document",
        },
    ),
    "tg_apply_document_bad": (
        "Telegram intake: the file was refused",
        {
            "mn": "Зөвхөн JPEG/PNG зураг эсвэл PDF, 10 МБ хүртэл хүлээн авна. Дахин илгээнэ үү.",
            "kk": "Тек JPEG/PNG сурет немесе PDF, 10 МБ дейін қабылданады. Қайта жіберіңіз.",
            "ru": "Принимаются только фото JPEG/PNG или PDF до 10 МБ. Отправьте ещё раз.",
            "en": "Only JPEG/PNG photos or PDFs up to 10 MB are accepted. Send it again.",
        },
    ),
    "tg_apply_done_missing": (
        "Telegram intake: finished, documents missing ({number}, {unit}, {documents})",
        {
            "mn": "Хүсэлт {number} {unit}-ийн нийгмийн ажилтанд очлоо. Дутуу баримт: "
            "{documents}. Тэдгээрийг энд илгээх эсвэл албанд авчирна уу.",
            "kk": "{number} өтінімі {unit} әлеуметтік қызметкеріне жіберілді. Жетіспейтін "
            "құжаттар: {documents}. Оларды осында жіберіңіз немесе бөлімге әкеліңіз.",
            "ru": "Заявка {number} передана социальному работнику: {unit}. Не хватает "
            "документов: {documents}. Отправьте их сюда или принесите в отдел.",
            "en": "Request {number} is with the social worker of {unit}. Documents still "
            "missing: {documents}. Send them here or bring them to the office.",
        },
    ),
    "tg_apply_done_complete": (
        "Telegram intake: finished with every document ({number}, {unit})",
        {
            "mn": "Хүсэлт {number} {unit}-ийн нийгмийн ажилтанд очлоо. Бүх баримт бүрдсэн.",
            "kk": "{number} өтінімі {unit} әлеуметтік қызметкеріне жіберілді. Барлық құжат бар.",
            "ru": "Заявка {number} передана социальному работнику: {unit}. Все документы есть.",
            "en": "Request {number} is with the social worker of {unit}. Every document is there.",
        },
    ),
    "tg_command_start": (
        "Telegram: /start in the bot's command list (language and menu)",
        {
            "mn": "Эхлэх: хэл ба цэс",
            "kk": "Бастау: тіл және мәзір",
            "ru": "Начать: язык и меню",
            "en": "Start: language and menu",
        },
    ),
    "tg_command_cancel": (
        "Telegram: /cancel in the bot's command list (leave an application half-way)",
        {
            "mn": "Эхэлсэн өргөдлөө зогсоох",
            "kk": "Басталған өтінішті тоқтату",
            "ru": "Прервать начатую заявку",
            "en": "Stop the application I started",
        },
    ),
    "tg_cancelled": (
        "Telegram: /cancel left the application",
        {
            "mn": "Зогсоолоо. Цэснээс сонгоно уу.",
            "kk": "Тоқтатылды. Мәзірден таңдаңыз.",
            "ru": "Остановлено. Выберите действие в меню.",
            "en": "Stopped. Choose from the menu.",
        },
    ),
    "tg_ticket_status": (
        "Telegram: status from a kiosk ticket link ({number}, {status})",
        {
            "mn": "Хүсэлт {number}: {status}. Бүх хүсэлтээ харахын тулд утасны дугаараа "
            "хуваалцана уу.",
            "kk": "{number} өтінімі: {status}. Барлық өтінімдеріңізді көру үшін телефон "
            "нөміріңізді бөлісіңіз.",
            "ru": "Заявка {number}: {status}. Чтобы видеть все свои заявки, поделитесь номером "
            "телефона.",
            "en": "Request {number}: {status}. To see all your requests, share your phone number.",
        },
    ),
    "tg_ticket_unknown": (
        "Telegram: a ticket link that is not valid",
        {
            "mn": "Энэ холбоос хүчингүй байна.",
            "kk": "Бұл сілтеме жарамсыз.",
            "ru": "Эта ссылка недействительна.",
            "en": "This link is not valid.",
        },
    ),
    "tg_button_see_case": (
        "Telegram button under a case notification",
        {
            "mn": "Хүсэлтийг харах",
            "kk": "Өтінімді көру",
            "ru": "Посмотреть заявку",
            "en": "See the request",
        },
    ),
    "tg_language_set": (
        "Telegram: the language was changed",
        {
            "mn": "Хэл: Монгол.",
            "kk": "Тіл: қазақша.",
            "ru": "Язык: русский.",
            "en": "Language: English.",
        },
    ),
    "tg_unsupported": (
        "Telegram: a sticker, voice note or other message the bot cannot read",
        {
            "mn": "Текст, зураг эсвэл PDF илгээнэ үү.",
            "kk": "Мәтін, сурет немесе PDF жіберіңіз.",
            "ru": "Отправьте текст, фото или PDF.",
            "en": "Please send text, a photo or a PDF.",
        },
    ),
}
