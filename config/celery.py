import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("welfare_crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# A prefork child does not reuse the connection pool it inherited: Celery's Django fixup
# closes it on worker_process_init (celery/fixups/django.py), and each child opens its own.
