import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("welfare_crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _fresh_database_pool(**kwargs) -> None:
    """A prefork child must not use the connection pool it inherited from the parent.

    psycopg_pool's maintenance threads do not survive fork(), and the parent's sockets are
    not the child's to share; each child starts its own pool on first use.
    """
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if hasattr(connection, "close_pool"):
            connection.close_pool()
