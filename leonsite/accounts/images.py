"""Avatars: an upload checked by the site's one image path, cropped square, re-encoded."""

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from leonsite.lib.images import Limits, encode, fit_square, open_upload

AVATAR_SIZE = 512
AVATAR_LIMITS = Limits(
    max_bytes=5 * 1024 * 1024, max_pixels=4096 * 4096, label=_("an avatar"), max_side=4096
)
AVATAR_MAX_BYTES = AVATAR_LIMITS.max_bytes


def process_avatar(upload) -> ContentFile:
    """Return a 512×512 WebP ContentFile made from `upload`, or raise ValidationError."""
    image = open_upload(upload, AVATAR_LIMITS, draft=(AVATAR_SIZE * 2, AVATAR_SIZE * 2))
    return ContentFile(encode(fit_square(image, AVATAR_SIZE), "WEBP"), name="avatar.webp")
