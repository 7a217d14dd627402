import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A web server process: its requests run under the statement timeout (config/settings.py).
os.environ.setdefault("CRM_WEB_PROCESS", "1")
application = get_wsgi_application()
