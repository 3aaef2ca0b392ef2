"""WSGI entry point: gunicorn leicester_perf.wsgi."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leicester_perf.settings")

application = get_wsgi_application()
