"""WSGI entry point (granian serves ``config.wsgi:application``)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from ansinh.core.deploy import secret_key_require  # noqa: E402  (after Django is set up)

secret_key_require()  # without DEBUG and without SECRET_KEY: refuse to serve

# Garbage collection in a request-serving process: the objects loaded at start (Django, the app, the rules'
# parameter files) live as long as the process, so they are kept out of every collection (gc.freeze), and
# the youngest generation is collected after 10,000 new objects instead of 700 (a request makes thousands;
# a few ms of CPU per payment went to collections).
gc.freeze()
gc.set_threshold(10_000, 10, 10)
