from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0003_kazakh_office_roles"),
        ("crm", "0003_user_phone"),
    ]

    operations = []
