"""Citizen notifications of one workflow's steps, in mn, kk, ru and en.

A workflow names these codes per status it reaches (``WorkflowDefinition.notifications``);
``texts.DEFAULTS`` takes them in, so an operator rewords them like any other text.
"""

from __future__ import annotations

WORKFLOW_TEXTS: dict[str, tuple[str, dict[str, str]]] = {
    "case_allowance_in_service": (
        "Allowance notification: granted, payments start",
        {
            "mn": "Таны хүсэлт {number}: тэтгэмж олгохоор шийдвэрлэгдлээ, олголт эхэлнэ.",
            "kk": "Өтінім {number}: жәрдемақы тағайындалды, төлем басталады.",
            "ru": "Заявка {number}: пособие назначено, выплаты начнутся.",
            "en": "Your request {number}: the allowance was granted; payments start.",
        },
    ),
    "case_allowance_discharged": (
        "Allowance notification: payments stopped",
        {
            "mn": "Таны хүсэлт {number}: тэтгэмжийн олголт зогслоо.",
            "kk": "Өтінім {number}: жәрдемақы төлеу тоқтатылды.",
            "ru": "Заявка {number}: выплата пособия прекращена.",
            "en": "Your request {number}: payment of the allowance was stopped.",
        },
    ),
    "case_social_assistance_registered": (
        "Social assistance: application registered",
        {
            "mn": "Нийгмийн тусламж хүссэн таны өргөдөл {number} бүртгэгдлээ. Хариу гарахад "
            "мэдэгдэнэ.",
            "kk": "Әлеуметтік көмекке өтініміңіз {number} тіркелді. Нәтиже дайын болғанда "
            "хабарлаймыз.",
            "ru": "Ваше заявление {number} на социальную помощь зарегистрировано. Мы сообщим, "
            "когда результат будет готов.",
            "en": "Your application {number} for social assistance was registered. We will tell "
            "you when the result is ready.",
        },
    ),
    "case_social_assistance_progress": (
        "Social assistance: the application moved to its next step ({status})",
        {
            "mn": "Нийгмийн тусламжийн өргөдөл {number}: {status}.",
            "kk": "Әлеуметтік көмекке өтінім {number}: {status}.",
            "ru": "Заявление {number} на социальную помощь: {status}.",
            "en": "Your application {number} for social assistance: {status}.",
        },
    ),
    "case_social_assistance_in_survey": (
        "Social assistance: the local commission will survey the family",
        {
            "mn": "Өргөдөл {number}: орон нутгийн комисс танай гэр бүлийн амьжиргааны байдлыг "
            "судлахаар ирнэ.",
            "kk": "Өтінім {number}: учаскелік комиссия отбасыңыздың материалдық жағдайын "
            "тексеруге келеді.",
            "ru": "Заявление {number}: участковая комиссия проведёт обследование материального "
            "положения вашей семьи.",
            "en": "Application {number}: the local commission will visit your family to survey "
            "its material situation.",
        },
    ),
    "case_social_assistance_suspended": (
        "Social assistance: documents missing, term extended to 20 working days",
        {
            "mn": "Өргөдөл {number}: зарим бичиг баримт дутуу байна. Авчирч өгнө үү; "
            "үйлчилгээний хугацаа 20 ажлын өдөр хүртэл сунгагдлаа.",
            "kk": "Өтінім {number}: кейбір құжаттар жетіспейді. Оларды әкеліңіз; қызмет көрсету "
            "мерзімі 20 жұмыс күніне дейін ұзартылды.",
            "ru": "Заявление {number}: не хватает документов. Пожалуйста, принесите их; срок "
            "оказания услуги продлён до 20 рабочих дней.",
            "en": "Application {number}: some documents are missing. Please bring them; the "
            "service may now take up to 20 working days.",
        },
    ),
    "case_social_assistance_sent_to_akim": (
        "Social assistance: the result is at the rural akim's office",
        {
            "mn": "Өргөдөл {number}: хариуг тосгоны акимын ажлын албанд илгээлээ, тэндээс авна уу.",
            "kk": "Өтінім {number}: нәтиже ауылдық округ әкіміне жіберілді, оны сол жерден алуға "
            "болады.",
            "ru": "Заявление {number}: результат направлен акиму сельского округа, его можно "
            "получить там.",
            "en": "Application {number}: the result was sent to your rural akim's office; you "
            "can collect it there.",
        },
    ),
    "case_social_assistance_issued_assigned": (
        "Social assistance: assigned ({amount}), decision notice issued",
        {
            "mn": "Өргөдөл {number}: танд {amount} нийгмийн тусламж олгохоор шийдвэрлэлээ. "
            "Мэдэгдэх хуудас олгогдлоо.",
            "kk": "Өтінім {number}: сізге {amount} мөлшерінде әлеуметтік көмек тағайындалды. "
            "Хабарлама берілді.",
            "ru": "Заявление {number}: вам назначена социальная помощь в размере {amount}. "
            "Уведомление выдано.",
            "en": "Application {number}: social assistance of {amount} was assigned to you. The "
            "decision notice was issued.",
        },
    ),
    "case_social_assistance_issued_refused": (
        "Social assistance: refused, decision notice issued",
        {
            "mn": "Өргөдөл {number}: нийгмийн тусламж олгохоос татгалзлаа. Мэдэгдэх хуудас "
            "олгогдлоо; асуух зүйл байвал ЗАЛГА гэж илгээнэ үү.",
            "kk": "Өтінім {number}: әлеуметтік көмек тағайындаудан бас тартылды. Хабарлама "
            "берілді; сұрақтарыңыз болса, ҚОҢЫРАУ деп жіберіңіз.",
            "ru": "Заявление {number}: в назначении социальной помощи отказано. Уведомление "
            "выдано; если есть вопросы, отправьте ПОЗВОНИТЬ.",
            "en": "Application {number}: social assistance was refused. The decision notice was "
            "issued; send CALL if you have questions.",
        },
    ),
    "case_social_assistance_cancelled": (
        "Social assistance: application stopped",
        {
            "mn": "Нийгмийн тусламжийн өргөдөл {number} зогслоо. ЗАЛГА гэж илгээвэл тайлбарлана.",
            "kk": "Әлеуметтік көмекке өтінім {number} тоқтатылды. Түсіндіру үшін ҚОҢЫРАУ деп "
            "жіберіңіз.",
            "ru": "Заявление {number} на социальную помощь прекращено. Отправьте ПОЗВОНИТЬ, и мы "
            "объясним.",
            "en": "Application {number} for social assistance was stopped. Send CALL and we will "
            "explain.",
        },
    ),
}
