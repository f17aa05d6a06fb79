"""The catalogue's pictures: what curators upload, the renditions pages serve.

Every picture field of the catalogue is named once, in `KINDS`, with the widths its
renditions are made at and the `sizes` a page gives the browser. An upload is checked
and re-encoded by `prepare()` (through the site's one image path), stored by the model's
ImageField, then `publish()` makes its renditions once, under MEDIA_ROOT (or the object
store), named after the stored original so a page needs no query to find them:
`posters/ab12.jpg` has `renditions/posters/ab12/480.webp` and its siblings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile

from leonsite.lib.images import (
    MIME_TYPES,
    RENDITION_FORMATS,
    SUFFIXES,
    Limits,
    encode,
    open_upload,
    resized,
)

UPLOAD_LIMITS = Limits(max_bytes=10 * 1024 * 1024, max_pixels=40_000_000, label="a picture")
# The stored original is only as large as the largest rendition could need.
MASTER_MAX_SIDE = 2400
RENDITIONS_ROOT = "renditions"


@dataclass(frozen=True)
class PictureKind:
    model: str  # app_label.ModelName
    field: str
    widths: tuple[int, ...]
    sizes: str
    label: str


KINDS: dict[str, PictureKind] = {
    "poster": PictureKind(
        "films.Film",
        "poster",
        (160, 240, 320, 480, 640, 960),
        "(min-width: 992px) 240px, (min-width: 768px) 208px, 38vw",
        "Poster",
    ),
    "portrait": PictureKind(
        "films.Person", "photo", (96, 192, 320, 480, 640), "(min-width: 768px) 240px, 40vw", "Photo"
    ),
    "character": PictureKind(
        "films.Character",
        "image",
        (96, 192, 320, 480, 640),
        "(min-width: 768px) 240px, 40vw",
        "Image",
    ),
    "cover": PictureKind(
        "films.Album", "cover", (160, 320, 480, 640, 960), "(min-width: 768px) 240px, 50vw", "Cover"
    ),
    "location": PictureKind(
        "films.FilmingLocation",
        "photo",
        (320, 480, 640, 960, 1280),
        "(min-width: 992px) 400px, 100vw",
        "Photo",
    ),
    "still": PictureKind(
        "films.Still",
        "image",
        (320, 480, 640, 960, 1280, 1920),
        "(min-width: 992px) 240px, (min-width: 576px) 45vw, 100vw",
        "Picture",
    ),
}
_BY_FIELD = {(kind.model, kind.field): kind for kind in KINDS.values()}


def kind_of(image: FieldFile) -> PictureKind:
    return _BY_FIELD[(image.instance._meta.label, image.field.name)]


def picture_fields(model: Any) -> list[str]:
    label = model._meta.label
    return [kind.field for kind in KINDS.values() if kind.model == label]


def prepare(upload: Any) -> ContentFile[bytes]:
    """The upload checked, turned upright and re-encoded as a metadata-free JPEG original
    (raises ValidationError with a reason a curator can act on)."""
    image = open_upload(upload, UPLOAD_LIMITS, draft=(MASTER_MAX_SIDE, MASTER_MAX_SIDE))
    if max(image.size) > MASTER_MAX_SIDE:
        image.thumbnail((MASTER_MAX_SIDE, MASTER_MAX_SIDE))
    return ContentFile(encode(image, "JPEG"), name="picture.jpg")


@dataclass(frozen=True)
class Rendition:
    format: str
    width: int
    height: int
    name: str

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self.format]


def _folder(name: str) -> str:
    path = PurePosixPath(name)
    return str(PurePosixPath(RENDITIONS_ROOT) / path.parent / path.stem)


def rendition_widths(widths: tuple[int, ...], original_width: int) -> list[int]:
    """The widths made for an original this wide: never wider than it."""
    return sorted({w for w in widths if w < original_width} | {min(original_width, widths[-1])})


def renditions(image: FieldFile) -> list[Rendition]:
    """What `publish()` made for `image`, computed from its name and stored size."""
    instance, kind, field = image.instance, kind_of(image), image.field
    width = getattr(instance, getattr(field, "width_field", None) or "", None)
    height = getattr(instance, getattr(field, "height_field", None) or "", None)
    if not image.name or not width or not height:
        return []
    folder = _folder(image.name)
    return [
        Rendition(fmt, w, max(1, round(height * w / width)), f"{folder}/{w}.{SUFFIXES[fmt]}")
        for fmt in RENDITION_FORMATS
        for w in rendition_widths(kind.widths, width)
    ]


def publish(image: FieldFile) -> list[Rendition]:
    """Make and store every rendition of a stored original."""
    if not image.name:
        return []
    storage = image.storage
    with storage.open(image.name, "rb") as handle:
        original = open_upload(handle, UPLOAD_LIMITS)
    made = renditions(image)
    for rendition in made:
        data = encode(resized(original, rendition.width), rendition.format)
        if storage.exists(rendition.name):
            storage.delete(rendition.name)
        storage.save(rendition.name, ContentFile(data))
    return made


def after_save(form: Any) -> None:
    """After a ModelForm saved: renditions for each new picture. A replaced picture and
    its renditions stay stored, so reverting the change in the admin's history brings
    it back whole."""
    instance = form.instance
    for field in picture_fields(type(instance)):
        if field in form.changed_data:
            publish(getattr(instance, field))
