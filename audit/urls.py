from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("privacy/audit/", views.audit_log, name="log"),
    path("privacy/audit/export.csv", views.audit_log_csv, name="log_csv"),
    path("privacy/citizens/<int:pk>/", views.citizen_page, name="citizen"),
    path("privacy/citizens/<int:pk>/export.json", views.citizen_export_json, name="export_json"),
    path("privacy/citizens/<int:pk>/export.pdf", views.citizen_export_pdf, name="export_pdf"),
    path("privacy/citizens/<int:pk>/correct/", views.citizen_correct, name="correct"),
    path("privacy/citizens/<int:pk>/consent/", views.citizen_consent_withdraw, name="consent"),
    path("privacy/citizens/<int:pk>/erase/", views.citizen_erase, name="erase"),
    path("privacy/staff/", views.staff_list, name="staff_list"),
    path("privacy/staff/<int:pk>/", views.staff_page, name="staff"),
    path(
        "privacy/staff/<int:pk>/<slug:what>/",
        views.staff_manage,
        name="staff_manage",
    ),
    path("privacy/password/", views.password_change, name="password"),
]
