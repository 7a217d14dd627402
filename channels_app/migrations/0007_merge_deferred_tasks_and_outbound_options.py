from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("channels_app", "0006_deferred_tasks_and_notified_events"),
        ("channels_app", "0006_outbound_options"),
    ]

    operations = []
