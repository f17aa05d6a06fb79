"""Avatar checks and re-encoding with Pillow.

An upload is trusted for nothing: the format is sniffed from its bytes, its size and
dimensions are bounded before decoding, and the stored file is a fresh WebP drawn from
the decoded pixels, so no metadata (EXIF, GPS, ICC, comments) survives.
"""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

AVATAR_MAX_BYTES = 5 * 1024 * 1024
AVATAR_MAX_SIDE = 4096
AVATAR_SIZE = 512
AVATAR_FORMATS = {"JPEG", "PNG", "WEBP"}


def process_avatar(upload) -> ContentFile:
    """Return a 512×512 WebP ContentFile made from `upload`, or raise ValidationError."""
    if upload.size is not None and upload.size > AVATAR_MAX_BYTES:
        raise ValidationError(
            "That file is %(size)s MB; an avatar can be at most 5 MB.",
            code="too_large",
            params={"size": f"{upload.size / 1024 / 1024:.1f}"},
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: treat it as fatal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format not in AVATAR_FORMATS:
                    raise ValidationError(
                        "Upload a JPEG, PNG or WebP image.", code="unsupported_format"
                    )
                width, height = image.size
                if width > AVATAR_MAX_SIDE or height > AVATAR_MAX_SIDE:
                    raise ValidationError(
                        "That image is %(w)s×%(h)s pixels; at most 4096 pixels a side, please.",
                        code="too_many_pixels",
                        params={"w": width, "h": height},
                    )
                if image.format == "JPEG":
                    # Decode at a reduced scale when the file is much larger than needed.
                    image.draft("RGB", (AVATAR_SIZE * 2, AVATAR_SIZE * 2))
                image.load()
                upright = ImageOps.exif_transpose(image)
                has_alpha = upright.mode in ("RGBA", "LA") or (
                    upright.mode == "P" and "transparency" in upright.info
                )
                square = ImageOps.fit(
                    upright.convert("RGBA" if has_alpha else "RGB"),
                    (AVATAR_SIZE, AVATAR_SIZE),
                    Image.Resampling.LANCZOS,
                    centering=(0.5, 0.5),
                )
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise ValidationError(
            "That image has too many pixels to be an avatar.", code="too_many_pixels"
        ) from err
    except Image.UnidentifiedImageError as err:
        raise ValidationError(
            "That file is not an image we can read. Upload a JPEG, PNG or WebP image.",
            code="not_an_image",
        ) from err
    except (OSError, SyntaxError, ValueError, EOFError) as err:
        # Truncated or corrupt data ("image file is truncated", broken chunks...).
        raise ValidationError(
            "That image file is damaged or incomplete. Try exporting it again.",
            code="broken_image",
        ) from err

    out = io.BytesIO()
    square.save(out, format="WEBP", quality=82, method=4)
    return ContentFile(out.getvalue(), name="avatar.webp")
