from django.urls import path

from .views import (
    auth,
    callbacks,
    case_documents,
    cases,
    consents,
    contacts,
    conversations,
    inbox,
    marks,
    outbox,
    supervisor,
    voice,
    walkin,
)

app_name = "console"

urlpatterns = [
    path("", auth.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("language/", auth.language_set, name="language"),
    path("availability/", auth.availability_set, name="availability"),
    # the agents' desk
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/list/", inbox.inbox_list, name="inbox_list"),
    path("inbox/bulk/", inbox.inbox_bulk, name="inbox_bulk"),
    path("inbox/<int:pk>/take/", conversations.inbox_take, name="inbox_take"),
    path("conversations/<int:pk>/", conversations.conversation_detail, name="conversation"),
    path(
        "conversations/<int:pk>/timeline/",
        conversations.conversation_timeline,
        name="conversation_timeline",
    ),
    path("conversations/<int:pk>/reply/", conversations.conversation_reply, name="reply"),
    path("conversations/<int:pk>/note/", conversations.conversation_note, name="note"),
    path("conversations/<int:pk>/manage/", conversations.conversation_manage, name="manage"),
    path("conversations/<int:pk>/labels/", conversations.conversation_label, name="labels"),
    path("conversations/<int:pk>/identify/", contacts.conversation_identify, name="identify"),
    path("conversations/<int:pk>/link/", contacts.conversation_link, name="link"),
    path("conversations/<int:conversation_pk>/case/", cases.case_new, name="case_new"),
    path("callbacks/", callbacks.callbacks, name="callbacks"),
    path("outbox/", outbox.outbox, name="outbox"),
    path("callbacks/<int:pk>/", callbacks.callback_update, name="callback_update"),
    # the phone line
    path("calls/<int:pk>/take/", voice.call_take, name="call_take"),
    path("voicemail/<int:pk>/", voice.voicemail_audio, name="voicemail_audio"),
    path("callbacks/<int:pk>/dial/", voice.callback_dial, name="callback_dial"),
    path("callbacks/<int:pk>/outcome/", voice.callback_outcome, name="callback_outcome"),
    # citizens
    path("citizens/", contacts.contact_search, name="contacts"),
    path("citizens/registry/", contacts.contact_registry, name="contact_registry"),
    path("citizens/pick/", contacts.contact_pick, name="contact_pick"),
    path("citizens/pick/registry/", contacts.contact_pick_registry, name="contact_pick_registry"),
    path("citizens/<int:pk>/", contacts.contact_detail, name="contact"),
    path("citizens/<int:pk>/merge/", contacts.contact_merge, name="contact_merge"),
    path("citizens/<int:pk>/consents/", consents.consent_add, name="consent_add"),
    path(
        "citizens/<int:pk>/consents/no-messages/",
        consents.consent_messages_stop,
        name="consent_messages_stop",
    ),
    path("consents/<int:pk>/withdraw/", consents.consent_withdraw_confirm, name="consent_withdraw"),
    # walk-in registration at the local office
    path("register/", walkin.walkin_start, name="walkin"),
    path("register/<int:pk>/", walkin.walkin_person, name="walkin_person"),
    path("register/<int:pk>/household/", walkin.walkin_household, name="walkin_household"),
    path("register/cases/<int:pk>/", walkin.walkin_documents, name="walkin_documents"),
    # cases
    path("cases/", cases.worklist, name="worklist"),
    path("cases/<int:pk>/", cases.case_detail, name="case"),
    path("cases/<int:pk>/decide/", cases.case_decide, name="case_decide"),
    path("cases/<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<int:pk>/upload/", case_documents.case_upload, name="case_upload"),
    path("cases/<int:pk>/actions/<slug:action>/", cases.case_action, name="case_action"),
    path("cases/<int:pk>/notes/", cases.case_note_add, name="case_note_add"),
    path("cases/<int:pk>/tasks/", cases.case_task_add, name="case_task_add"),
    path("cases/<int:pk>/tasks/<int:task_pk>/done/", cases.case_task_done, name="case_task_done"),
    path(
        "cases/<int:pk>/documents/<int:document_pk>/",
        case_documents.case_document,
        name="case_document",
    ),
    path("cases/<int:pk>/papers/<slug:paper>.pdf", cases.case_paper, name="case_paper"),
    # organisations' mark applications and the allowance payment list
    path("organisations/", marks.organisations, name="organisations"),
    path("organisations/<int:pk>/", marks.organisation, name="organisation"),
    path("organisations/<int:pk>/copy/", marks.organisation_copy, name="organisation_copy"),
    path("payments/", marks.payment_list, name="payments"),
    # the supervisor's desk
    path("supervisor/", supervisor.wallboard_page, name="supervisor"),
    path("supervisor/wallboard/", supervisor.wallboard_panel, name="wallboard_panel"),
    path("supervisor/casework/", supervisor.casework, name="casework"),
    path("supervisor/callcentre/", supervisor.callcentre, name="callcentre"),
    path(
        "supervisor/<slug:page>/export/<slug:table>.<str:fmt>",
        supervisor.export,
        name="supervisor_export",
    ),
]
