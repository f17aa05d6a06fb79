"""Members' uploads served by the site itself, from whatever storage holds them.

WhiteNoise serves the static files; uploads (avatars) come through this view, which
reads them from the default storage (the filesystem, or object storage when
configured), so `make serve` shows them with no other server. A proxy or CDN in front
can serve /media/ itself and set SERVE_MEDIA=false (README: Production).
"""

from csp.constants import NONE
from csp.decorators import csp
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

# Only what the site itself writes: re-encoded images with random names.
TYPES = {".webp": "image/webp", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
         ".png": "image/png", ".avif": "image/avif"}  # fmt: skip


# An image opened on its own can run nothing and embed nothing.
@csp({"default-src": [NONE], "sandbox": True})  # type: ignore[arg-type]
@require_safe
def serve(request: HttpRequest, path: str) -> FileResponse:
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    content_type = TYPES.get(suffix)
    if content_type is None or path.startswith("/") or "\\" in path:
        raise Http404("No such file.")
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation) as err:
        raise Http404("No such file.") from err
    response = FileResponse(handle, content_type=content_type)
    # Names are random and never reused: a file never changes under its URL.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
