import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leonsite.settings")
application = get_wsgi_application()

if not settings.DEBUG:  # templates are cached only then; each worker parses them now
    from leonsite.lib.warmup import compile_templates

    compile_templates()
