import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leonsite.settings")
application = get_wsgi_application()

if not settings.DEBUG:  # templates are cached only then; each worker parses them now
    from leonsite.lib.warmup import busiest_pages, compile_templates, warm_pages

    compile_templates()
    # Each worker imports this module after the fork (never preload the app: the
    # connection opened here is the worker's own).
    warm_pages(busiest_pages())
