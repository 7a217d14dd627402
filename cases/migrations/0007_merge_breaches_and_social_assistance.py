from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_breaches_and_step_times"),
        ("cases", "0006_social_assistance"),
    ]

    operations = []
