"""The guided application on Telegram, from the menu to a draft case with a document."""

import datetime as dt

import pytest

from cases.models import Case, CaseDocument, Status
from cases.selectors import worklist
from crm.models import Consent, RegistryPerson
from telegram_bot.models import TelegramChat

from .transport import PDF, callback_update, fixture, post_update, text_update

USER = 5120458830


@pytest.fixture
def grandmother(tree):
    return RegistryPerson.objects.create(
        national_id="УБ47051821",
        first_name="Батцэцэг",
        last_name="Мягмар",
        birth_date=dt.date(1947, 5, 18),
        sex="F",
        address_unit_path=tree.k7.path,
        address_text="7-р хороо, 15-р байр",
    )


def press(client, data: str):
    return post_update(client, callback_update(data, USER))


def say(client, text: str):
    return post_update(client, text_update(text, USER))


def chat() -> TelegramChat:
    return TelegramChat.objects.get(user_id=USER)


def test_start_asks_the_language_then_shows_the_menu(client, telegram):
    post_update(client, fixture("start"))
    question = telegram.sent()[-1]
    assert "Choose your language" in question["text"]
    buttons = [row[0]["callback_data"] for row in question["reply_markup"]["inline_keyboard"]]
    assert buttons == ["lang:mn", "lang:kk", "lang:ru", "lang:en"]

    post_update(client, fixture("callback_query"))  # taps "Монгол"
    welcome = telegram.sent()[-1]
    assert welcome["text"].startswith("Нийгмийн халамжийн үйлчилгээнд")
    keyboard = [button["text"] for row in welcome["reply_markup"]["keyboard"] for button in row]
    assert keyboard == [
        "Миний хүсэлтүүд",
        "Дараалал дахь байр",
        "Миний тэтгэмж",
        "Өргөдөл гаргах",
        "Над руу залгаарай",
        "Ажилтантай ярих",
        "Хэл",
    ]
    assert chat().language == "mn" and chat().contact.preferred_language == "mn"
    assert [c[0] for c in telegram.calls].count("answerCallbackQuery") == 1


def test_a_grandson_applies_for_his_grandmother_with_a_document(
    client, telegram, placement, grandmother, staff, tree
):
    say(client, "Өргөдөл гаргах")
    services = telegram.sent()[-1]
    assert services["text"].startswith("Ямар үйлчилгээ")
    assert chat().step == TelegramChat.Step.SERVICE

    press(client, f"svc:{placement.pk}")
    press(client, "for:other")
    relationships = telegram.sent()[-1]["reply_markup"]["inline_keyboard"]
    assert [r[0]["callback_data"] for r in relationships[:2]] == ["rel:spouse", "rel:child"]
    press(client, "rel:child")
    assert "зөвшөөрсөн үү" in telegram.sent()[-1]["text"]
    press(client, "consent:yes")
    assert chat().step == TelegramChat.Step.NATIONAL_ID

    say(client, "УБ4705")  # too short: explained, nothing changes
    assert telegram.sent()[-1]["text"].startswith("Дугаарыг хүлээн авсангүй")
    assert chat().step == TelegramChat.Step.NATIONAL_ID
    say(client, "уб47051821")
    confirm = telegram.sent()[-1]
    assert "М*** Б***" in confirm["text"] and "Мягмар" not in confirm["text"]
    press(client, "person:yes")
    say(client, "Ганцаараа амьдардаг, хөл муутай")

    case = Case.objects.get()
    assert (
        case.status == Status.DRAFT and case.unit == tree.k7 and case.origin_channel == "telegram"
    )
    assert case.beneficiary.last_name == "Мягмар" and case.applicant_relationship == "child"
    assert case in worklist(user=staff.local7, status=Status.DRAFT)
    consent = Consent.objects.get()
    assert consent.subject == case.beneficiary and consent.given_by == case.applicant
    assert consent.channel == "telegram" and consent.reference == case.number
    assert consent.evidence["answer"] and consent.evidence["question"]
    created = telegram.sent()[-1]
    assert case.number in created["text"]
    documents = created["reply_markup"]["inline_keyboard"]
    first_doc = documents[0][0]["callback_data"]

    press(client, first_doc)
    telegram.files["BQACAgIAAxkBAAIBomdMq3_pdf"] = PDF
    post_update(client, fixture("document", message__from__id=USER, message__chat__id=USER))
    assert telegram.sent("getFile")[-1]["file_id"] == "BQACAgIAAxkBAAIBomdMq3_pdf"
    document = CaseDocument.objects.get(case=case)
    assert document.content_type == "application/pdf"
    assert document.required_document_id == int(first_doc.split(":")[1])
    assert telegram.sent()[-1]["text"].startswith("Хүлээн авлаа")

    press(client, "done")
    final = telegram.sent()[-1]["text"]
    assert case.number in final and "Дутуу баримт" in final
    assert document.required_document.name_mn not in final.split("Дутуу баримт")[1]
    assert chat().step == TelegramChat.Step.IDLE


def test_a_file_that_is_not_a_pdf_or_image_is_refused(
    client, telegram, placement, grandmother, tree
):
    for step in (f"svc:{placement.pk}", "for:self", "consent:yes"):
        if step.startswith("svc"):
            say(client, "Өргөдөл гаргах")
        press(client, step)
    say(client, "УБ47051821")
    press(client, "person:yes")
    say(client, "Асаргаа хэрэгтэй")
    case = Case.objects.get()
    assert case.applicant is None and case.beneficiary.identities.filter(scheme="telegram")
    telegram.files["BQACAgIAAxkBAAIBomdMq3_pdf"] = b"MZ\x90\x00 an exe renamed"
    post_update(client, fixture("document", message__from__id=USER, message__chat__id=USER))
    assert not CaseDocument.objects.exists()
    assert "PDF" in telegram.sent()[-1]["text"]


def test_no_consent_no_application_and_cancel_leaves_the_dialogue(
    client, telegram, placement, grandmother
):
    say(client, "Өргөдөл гаргах")
    press(client, f"svc:{placement.pk}")
    press(client, "for:self")
    press(client, "consent:no")
    assert chat().step == TelegramChat.Step.IDLE and not Case.objects.exists()
    assert not Consent.objects.exists()

    say(client, "Өргөдөл гаргах")
    press(client, f"svc:{placement.pk}")
    assert chat().step == TelegramChat.Step.FOR_WHOM
    say(client, "/cancel")
    assert chat().step == TelegramChat.Step.IDLE and chat().data == {}
    # A button of the abandoned dialogue does nothing.
    press(client, "for:self")
    assert chat().step == TelegramChat.Step.IDLE


def test_a_ticket_link_shows_that_cases_status_and_nothing_personal(
    client, telegram, placement, tree
):
    status_links = pytest.importorskip("cases.status_links")
    from cases.services import case_create
    from tests.factories import ContactFactory

    person = ContactFactory(first_name="Айгерим", last_name="Сейтова", address_unit=tree.k7)
    case = case_create(beneficiary=person, service=placement, actor=None, origin_channel="kiosk")
    link = status_links.case_status_link_issue(case=case)
    start = fixture("start_deeplink")
    start["message"]["text"] = f"/start {link.token}"
    start["message"]["from"]["language_code"] = "ru"
    post_update(client, start)  # no language chosen yet: asked first
    post_update(client, callback_update("lang:ru", 6034417721))
    answer = telegram.sent()[-1]
    assert case.number in answer["text"] and "Черновик" not in person.last_name
    assert "Сейтова" not in answer["text"] and "Айгерим" not in answer["text"]
    assert answer["reply_markup"]["keyboard"][0][0]["request_contact"] is True

    status_links.case_status_link_revoke(case=case)
    again = fixture("start_deeplink")
    again["message"]["text"] = f"/start {link.token}"
    post_update(client, again)
    assert telegram.sent()[-1]["text"] == "Эта ссылка недействительна."


def test_a_made_up_ticket_link_shows_nothing(client, telegram):
    start = fixture("start_deeplink")  # a token no case has
    post_update(client, start)
    post_update(client, callback_update("lang:ru", 6034417721))
    assert telegram.sent()[-1]["text"] == "Эта ссылка недействительна."


def test_a_kazakh_speaker_applies_for_her_mother_in_kazakhstan(client, telegram):
    """Kazakh menu, Kazakh catalogue, an IIN: the draft lands in the rural okrug."""
    from tests.cases.kz import kz_office

    office = kz_office()
    RegistryPerson.objects.create(
        national_id="760212350620",
        first_name="Гүлнар",
        last_name="Сейітова",
        birth_date=dt.date(1946, 2, 12),
        sex="F",
        address_unit_path=office.okrug.path,
        address_text="Зеренді ауылы",
    )
    daughter = 6034417721
    post_update(client, text_update("/start", daughter, language="kk"))
    post_update(client, callback_update("lang:kk", daughter))
    post_update(client, text_update("Өтініш беру", daughter, language="kk"))
    services = telegram.sent()[-1]["reply_markup"]["inline_keyboard"]
    first = services[0][0]["callback_data"]
    from cases.models import Service

    assert Service.objects.get(pk=int(first.split(":")[1])).country == "KZ"
    for data in (first, "for:other", "rel:child", "consent:yes"):
        post_update(client, callback_update(data, daughter))
    post_update(client, text_update("760212350620", daughter, language="kk"))
    assert "С*** Г***" in telegram.sent()[-1]["text"]
    post_update(client, callback_update("person:yes", daughter))
    post_update(client, text_update("Жалғыз тұрады, күтім қажет", daughter, language="kk"))
    case = Case.objects.get()
    assert case.unit == office.okrug and case.service.country == "KZ"
    assert telegram.sent()[-1]["text"].startswith(f"{case.number} өтінімі")
