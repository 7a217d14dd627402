from django.db import migrations, models

# Kazakh units place people in Kazakh care homes under Kazakh rules: their own catalogue entry,
# with the same list of papers as the Mongolian one until the Kazakh list is agreed.
KZ_PLACEMENT = {
    "code": "kz-care-home-placement",
    "name_mn": "Ахмад настан, хөгжлийн бэрхшээлтэй хүнийг асрамжийн газарт байршуулах (Казахстан)",
    "name_kk": "Қарттар мен мүгедектігі бар адамдарға арналған медициналық-әлеуметтік мекемеге "
    "орналастыру",
    "name_ru": "Помещение в медико-социальное учреждение для престарелых и лиц с инвалидностью",
    "name_en": "Placement in a medical and social care home for the elderly and persons with "
    "disability (Kazakhstan)",
    "legal_basis": "",
    "eligibility_mn": "Байнгын асаргаа шаардлагатай ахмад настан, хөгжлийн бэрхшээлтэй иргэн",
    "eligibility_en": "Elderly people and persons with disability who need permanent care",
    "payment_frequency": "none",
    "amount": None,
    "currency": "",
    "country": "KZ",
    "workflow": "placement",
}
DOCUMENT_FIELDS = (
    "code",
    "name_mn",
    "name_kk",
    "name_ru",
    "name_en",
    "requirement",
    "condition",
    "is_health_document",
    "valid_months",
    "position",
)


def load(apps, schema_editor):
    Service = apps.get_model("cases", "Service")
    RequiredDocument = apps.get_model("cases", "RequiredDocument")
    row = dict(KZ_PLACEMENT)
    service, _ = Service.objects.update_or_create(code=row.pop("code"), defaults=row)
    template = Service.objects.filter(code="care-home-placement").first()
    if template is None:
        return
    for doc in RequiredDocument.objects.filter(service=template):
        values = {name: getattr(doc, name) for name in DOCUMENT_FIELDS}
        RequiredDocument.objects.update_or_create(
            service=service, code=values.pop("code"), defaults=values
        )


def unload(apps, schema_editor):
    Service = apps.get_model("cases", "Service")
    Service.objects.filter(code=KZ_PLACEMENT["code"], cases__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_province_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="country",
            field=models.CharField(
                choices=[("MN", "Mongolia"), ("KZ", "Kazakhstan")],
                db_index=True,
                default="MN",
                max_length=2,
                verbose_name="country",
            ),
        ),
        migrations.RunPython(load, unload),
    ]
