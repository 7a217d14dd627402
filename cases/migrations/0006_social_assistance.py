import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Seed 004: the Kazakh social-assistance service, in tenge; the amount is the special
# commission's, per case.
SERVICE = {
    "code": "kz-social-assistance",
    "name_mn": "Орон нутгийн төлөөллийн байгууллагын шийдвэрээр тусламж хэрэгтэй иргэдийн "
    "тодорхой бүлэгт нийгмийн тусламж олгох",
    "name_kk": "Жергілікті өкілді органдардың шешімдері бойынша мұқтаж азаматтардың жекелеген "
    "санаттарына әлеуметтік көмек тағайындау",
    "name_ru": "Назначение социальной помощи отдельным категориям нуждающихся граждан по "
    "решениям местных представительных органов",
    "name_en": "Social assistance to certain categories of citizens in need, by decision of "
    "local representative bodies",
    "legal_basis": "Стандарт государственной услуги, приказ Министра здравоохранения и "
    "социального развития РК от 28.04.2015 № 279",
    "eligibility_mn": "Орон нутгийн төлөөллийн байгууллагын шийдвэрт заасан, тусламж "
    "хэрэгтэй иргэд (өрхийн нэг гишүүнд ногдох орлогоор тогтооно)",
    "eligibility_en": "Citizens in need of the categories the local representative body "
    "decided, judged on the family's average per-capita income",
    "payment_frequency": "once",
    "amount": None,
    "currency": "KZT",
    "country": "KZ",
    "workflow": "social_assistance",
}
DOCUMENTS = [
    # code, mn, kk, ru, en
    ("application", "Өргөдөл", "Өтініш", "Заявление", "Application"),
    (
        "identity",
        "Иргэний үнэмлэх",
        "Жеке басын куәландыратын құжат",
        "Документ, удостоверяющий личность",
        "Identity document",
    ),
    (
        "family-composition",
        "Өрхийн бүрэлдэхүүний тодорхойлолт",
        "Отбасы құрамы туралы мәліметтер",
        "Сведения о составе семьи",
        "Information on the family's composition",
    ),
    (
        "family-income",
        "Өрхийн гишүүдийн орлогын тодорхойлолт",
        "Отбасы мүшелерінің табысы туралы мәліметтер",
        "Сведения о доходах членов семьи",
        "Information on the family members' income",
    ),
]


def load(apps, schema_editor):
    Service = apps.get_model("cases", "Service")
    RequiredDocument = apps.get_model("cases", "RequiredDocument")
    row = dict(SERVICE)
    service, _ = Service.objects.update_or_create(code=row.pop("code"), defaults=row)
    for position, (code, mn, kk, ru, en) in enumerate(DOCUMENTS):
        RequiredDocument.objects.update_or_create(
            service=service,
            code=code,
            defaults={
                "name_mn": mn,
                "name_kk": kk,
                "name_ru": ru,
                "name_en": en,
                "requirement": "mandatory",
                "position": position,
            },
        )


def move_kazakh_placements(apps, schema_editor):
    """Placements opened in Kazakh units before services had a country follow the Kazakh
    catalogue entry, their uploaded papers re-pointed to its document of the same code."""
    Service = apps.get_model("cases", "Service")
    Case = apps.get_model("cases", "Case")
    CaseDocument = apps.get_model("cases", "CaseDocument")
    RequiredDocument = apps.get_model("cases", "RequiredDocument")
    mongolian = Service.objects.filter(code="care-home-placement").first()
    kazakh = Service.objects.filter(code="kz-care-home-placement").first()
    if mongolian is None or kazakh is None:
        return
    cases = Case.objects.filter(service=mongolian, unit__path__startswith="KZ/")
    targets = {d.code: d for d in RequiredDocument.objects.filter(service=kazakh)}
    for document in CaseDocument.objects.filter(
        case__in=cases, required_document__service=mongolian
    ).select_related("required_document"):
        target = targets.get(document.required_document.code)
        if target is not None:
            CaseDocument.objects.filter(pk=document.pk).update(required_document=target)
    cases.update(service=kazakh)


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("cases", "0005_case_status_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="assistance_amount",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="amount of assistance",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="decision",
            field=models.CharField(
                blank=True,
                choices=[("assigned", "Assistance assigned"), ("refused", "Assistance refused")],
                max_length=10,
                verbose_name="decision",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="executor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="executed_cases",
                to=settings.AUTH_USER_MODEL,
                verbose_name="responsible executor",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="extended_until",
            field=models.DateField(blank=True, null=True, verbose_name="term extended until"),
        ),
        migrations.AddField(
            model_name="case",
            name="household_income",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="family's monthly income",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="household_size",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="family members"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="per_capita_income",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="average monthly income per person",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="route",
            field=models.CharField(
                blank=True,
                choices=[("office", "At the district office"), ("akim", "Through the rural akim")],
                help_text="Set by the first step: received at the office or by a rural akim.",
                max_length=10,
                verbose_name="route",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="signed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="signed at"),
        ),
        migrations.AddField(
            model_name="case",
            name="signed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="signed_cases",
                to=settings.AUTH_USER_MODEL,
                verbose_name="signed by",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Saved (draft)"),
                    ("submitted", "Submitted"),
                    ("returned", "Returned"),
                    ("allocated", "Allocated"),
                    ("waitlisted", "Waitlisted"),
                    ("in_service", "In service"),
                    ("discharged", "Discharged"),
                    ("cancelled", "Cancelled"),
                    ("registered", "Registered"),
                    ("assigned", "Executor appointed"),
                    ("in_survey", "In survey (local commission)"),
                    ("surveyed", "Surveyed"),
                    ("forwarded", "Forwarded to the office"),
                    ("in_review", "In review (special commission)"),
                    ("decided", "Decided"),
                    ("prepared", "Result prepared"),
                    ("signed", "Signed"),
                    ("sent_to_akim", "Sent to the akim"),
                    ("issued", "Issued"),
                    ("suspended", "Suspended (documents missing)"),
                ],
                db_index=True,
                default="draft",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("draft", "Saved (draft)"),
                    ("submitted", "Submitted"),
                    ("returned", "Returned"),
                    ("allocated", "Allocated"),
                    ("waitlisted", "Waitlisted"),
                    ("in_service", "In service"),
                    ("discharged", "Discharged"),
                    ("cancelled", "Cancelled"),
                    ("registered", "Registered"),
                    ("assigned", "Executor appointed"),
                    ("in_survey", "In survey (local commission)"),
                    ("surveyed", "Surveyed"),
                    ("forwarded", "Forwarded to the office"),
                    ("in_review", "In review (special commission)"),
                    ("decided", "Decided"),
                    ("prepared", "Result prepared"),
                    ("signed", "Signed"),
                    ("sent_to_akim", "Sent to the akim"),
                    ("issued", "Issued"),
                    ("suspended", "Suspended (documents missing)"),
                ],
                max_length=20,
                verbose_name="from",
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("draft", "Saved (draft)"),
                    ("submitted", "Submitted"),
                    ("returned", "Returned"),
                    ("allocated", "Allocated"),
                    ("waitlisted", "Waitlisted"),
                    ("in_service", "In service"),
                    ("discharged", "Discharged"),
                    ("cancelled", "Cancelled"),
                    ("registered", "Registered"),
                    ("assigned", "Executor appointed"),
                    ("in_survey", "In survey (local commission)"),
                    ("surveyed", "Surveyed"),
                    ("forwarded", "Forwarded to the office"),
                    ("in_review", "In review (special commission)"),
                    ("decided", "Decided"),
                    ("prepared", "Result prepared"),
                    ("signed", "Signed"),
                    ("sent_to_akim", "Sent to the akim"),
                    ("issued", "Issued"),
                    ("suspended", "Suspended (documents missing)"),
                ],
                max_length=20,
                verbose_name="to",
            ),
        ),
        migrations.AlterField(
            model_name="service",
            name="workflow",
            field=models.CharField(
                choices=[
                    ("placement", "Care-home placement"),
                    ("allowance", "Allowance (approve and pay)"),
                    (
                        "social_assistance",
                        "Social assistance (decision of local representative bodies)",
                    ),
                ],
                default="placement",
                max_length=20,
                verbose_name="workflow",
            ),
        ),
        # Unapplied, the catalogue rows stay: cases may point at them.
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(move_kazakh_placements, migrations.RunPython.noop),
    ]
