"""Uploaded images, checked and re-encoded with Pillow: the one path every upload takes.

An upload is trusted for nothing. Its size is bounded before it is read, its format is
sniffed from its bytes (never its name), its pixel count is bounded before decoding,
and anything that could carry markup (SVG, a file that is also an HTML page) or play
(an animation) is refused. What is stored is drawn afresh from the decoded pixels, so
no metadata block (EXIF, GPS, XMP, ICC, comments) survives.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, features

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"

# Markup that makes a file readable as a web page or a script as well as an image (a
# polyglot). It is looked for where a crafted file puts it (the first bytes a browser
# sniffs, text and metadata blocks, data after the image's end), never in compressed
# pixel data, where any short byte pattern turns up by chance in large photographs.
_MARKUP = re.compile(
    rb"<(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta\s)|javascript:",
    re.IGNORECASE,
)
_SNIFFED = 1024
# Data after the image's own end marker is where a polyglot hides its second format.
_PNG_END = b"IEND\xaeB`\x82"

# AVIF when this Pillow was built with it; WebP and JPEG always.
RENDITION_FORMATS: tuple[str, ...] = (
    ("AVIF", "WEBP", "JPEG") if features.check("avif") else ("WEBP", "JPEG")
)
SUFFIXES = {"AVIF": "avif", "WEBP": "webp", "JPEG": "jpg"}
MIME_TYPES = {"AVIF": "image/avif", "WEBP": "image/webp", "JPEG": "image/jpeg"}
_QUALITY = {"AVIF": 55, "WEBP": 80, "JPEG": 82}


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_pixels: int
    # Names the upload in the size error ("an avatar can be at most 5 MB"): lazy, so it
    # is read in the page's language.
    label: str | Promise = _("an image")
    max_side: int | None = None

    @property
    def max_megabytes(self) -> int:
        return self.max_bytes // (1024 * 1024)

    @property
    def max_megapixels(self) -> int:
        return self.max_pixels // 1_000_000


def _refuse(message: str, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _read_bounded(upload: IO[bytes], limits: Limits) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limits.max_bytes:
        raise _too_large(size, limits)
    upload.seek(0)
    data = upload.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise _too_large(len(data), limits)
    if not data:
        raise _refuse(gettext("That file is empty."), "empty")
    return data


def _too_large(size: int, limits: Limits) -> ValidationError:
    return _refuse(
        gettext("That file is %(size)s MB; %(label)s can be at most %(max)s MB."),
        "too_large",
        size=number_format(size / 1024 / 1024, 1),
        label=limits.label,
        max=limits.max_megabytes,
    )


def _markup() -> ValidationError:
    return _refuse(
        gettext(
            "That file holds web-page markup as well as an image. Upload a plain "
            "JPEG, PNG or WebP image."
        ),
        "markup",
    )


def _check_bytes(data: bytes) -> None:
    if _MARKUP.search(data[:_SNIFFED]):
        raise _markup()
    if data.startswith(b"\x89PNG"):
        end = data.find(_PNG_END)
        trailing = data[end + len(_PNG_END) :] if end != -1 else b""
        if _MARKUP.search(trailing):
            raise _markup()
        if trailing.strip(b"\x00"):
            raise _refuse(
                gettext("That PNG has data after its end. Export it again as a plain image."),
                "trailing_data",
            )
    elif data.startswith(b"\xff\xd8"):
        end = data.rfind(b"\xff\xd9")
        if end != -1 and _MARKUP.search(data[end:]):
            raise _markup()


def _check_blocks(image: Image.Image) -> None:
    """Text and metadata blocks (PNG text chunks, a JPEG's comment and APP segments,
    EXIF, XMP) may not carry markup either."""
    blocks: list[Any] = list(image.info.values())
    blocks += [segment for _, segment in getattr(image, "applist", [])]
    for block in blocks:
        raw = block.encode("utf-8", "replace") if isinstance(block, str) else block
        if isinstance(raw, bytes | bytearray) and _MARKUP.search(raw):
            raise _markup()


def open_upload(
    upload: IO[bytes], limits: Limits, *, draft: tuple[int, int] | None = None
) -> Image.Image:
    """Decode `upload` into an upright RGB or RGBA image, or raise ValidationError.

    `draft` lets a large JPEG decode at a reduced scale when only a small image is made.
    """
    data = _read_bounded(upload, limits)
    if data.lstrip()[:5].lower() in (b"<?xml", b"<svg ") or b"<svg" in data[:1024].lower():
        raise _refuse(
            gettext("SVG files are not accepted. Upload a JPEG, PNG or WebP image."), "svg"
        )
    _check_bytes(data)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: treat it as fatal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the accepted formats' decoders ever see the bytes.
            with Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS)) as image:
                if image.format not in ACCEPTED_FORMATS:
                    raise _refuse(
                        gettext("Upload a JPEG, PNG or WebP image."), "unsupported_format"
                    )
                _check_blocks(image)
                width, height = image.size
                if limits.max_side and max(width, height) > limits.max_side:
                    raise _refuse(
                        gettext(
                            "That image is %(w)s×%(h)s pixels; at most %(max)s pixels a side, "
                            "please."
                        ),
                        "too_many_pixels",
                        w=width,
                        h=height,
                        max=limits.max_side,
                    )
                if width * height > limits.max_pixels:
                    raise _refuse(
                        gettext(
                            "That image is %(w)s×%(h)s pixels (%(mp)s megapixels); at most "
                            "%(max)s megapixels, please."
                        ),
                        "too_many_pixels",
                        w=width,
                        h=height,
                        mp=number_format(width * height / 1_000_000, 1),
                        max=limits.max_megapixels,
                    )
                if getattr(image, "is_animated", False) or getattr(image, "n_frames", 1) > 1:
                    raise _refuse(
                        gettext("Animated images are not accepted. Upload a still image."),
                        "animated",
                    )
                if draft is not None and image.format == "JPEG":
                    image.draft("RGB", draft)
                image.load()
                upright = ImageOps.exif_transpose(image)
                has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
                    upright.mode == "P" and "transparency" in upright.info
                )
                pixels = upright.convert("RGBA" if has_alpha else "RGB")
                # Encoders copy some blocks from `info` (a JPEG's comment): keep none.
                pixels.info = {}
                return pixels
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise _refuse(
            gettext("That image unpacks to far too many pixels; at most %(max)s megapixels."),
            "too_many_pixels",
            max=limits.max_megapixels,
        ) from err
    except Image.UnidentifiedImageError as err:
        raise _refuse(
            gettext("That file is not an image we can read. Upload a JPEG, PNG or WebP image."),
            "not_an_image",
        ) from err
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as err:
        # Truncated or corrupt data ("image file is truncated", broken chunks...).
        raise _refuse(
            gettext("That image file is damaged or incomplete. Try exporting it again."),
            "broken_image",
        ) from err


def flatten(image: Image.Image, background: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    """The image without transparency, for formats that have none (JPEG)."""
    if image.mode != "RGBA":
        return image.convert("RGB")
    base = Image.new("RGB", image.size, background)
    base.paste(image, mask=image.getchannel("A"))
    return base


def encode(image: Image.Image, fmt: str) -> bytes:
    """`image` in `fmt`, with no metadata: only pixels are handed to the encoder."""
    out = io.BytesIO()
    if fmt == "JPEG":
        flatten(image).save(out, format="JPEG", quality=_QUALITY[fmt], optimize=True,
                            progressive=True)  # fmt: skip
    elif fmt == "WEBP":
        image.save(out, format="WEBP", quality=_QUALITY[fmt], method=4)
    else:
        image.save(out, format=fmt, quality=_QUALITY.get(fmt, 80))
    return out.getvalue()


def resized(image: Image.Image, width: int) -> Image.Image:
    """`image` scaled to `width` (never up), its proportions kept."""
    if image.width <= width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def fit_square(image: Image.Image, side: int) -> Image.Image:
    return ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS, centering=(0.5, 0.5))
