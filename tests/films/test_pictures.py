"""Catalogue pictures: the upload corpus, the renditions, and how pages serve them."""

import io
import re
import struct
import zlib
from html import unescape
from pathlib import Path

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from films import artwork, pictures
from films.models import Character, Film, Person, Still
from leonsite.lib.images import RENDITION_FORMATS
from tests.factories import image_bytes, make_film

pytestmark = pytest.mark.django_db


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def png_claiming(width, height):
    """A small real PNG whose header claims another size: how a decompression bomb or an
    oversized picture arrives without the test allocating its pixels."""
    data = bytearray(image_bytes((16, 16)))
    # IHDR's data starts at byte 16: width, height, then five one-byte fields.
    data[16:24] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF
    data[29:33] = struct.pack(">I", crc)
    return bytes(data)


def text_chunk(key, value):
    info = PngInfo()
    info.add_text(key, value)
    return info


def animated_png():
    frames = [Image.new("RGB", (40, 40), c) for c in ((200, 0, 0), (0, 200, 0))]
    out = io.BytesIO()
    frames[0].save(out, format="PNG", save_all=True, append_images=frames[1:])
    return out.getvalue()


def truncated_jpeg():
    data = image_bytes((400, 600), fmt="JPEG")
    return data[: len(data) // 2]


BAD_UPLOADS = [
    ("notes.png", b"plain words, not a picture at all", "not an image we can read"),
    (
        "logo.svg",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "SVG files are not accepted",
    ),
    (
        "polyglot.png",
        image_bytes((32, 32)) + b"<html><script>alert(document.cookie)</script></html>",
        "web-page markup",
    ),
    (
        "chunk.png",
        # The markup hidden in the image itself, where trailing-data checks would not look.
        image_bytes((32, 32), pnginfo=text_chunk("Comment", "<script>alert(1)</script>")),
        "web-page markup",
    ),
    ("bomb.png", png_claiming(30000, 30000), "far too many pixels"),
    ("big.png", image_bytes((64, 64)) + bytes(10 * 1024 * 1024), "at most 10 MB"),
    ("huge.png", png_claiming(8000, 6000), "at most 40 megapixels"),
    ("moving.png", animated_png(), "Animated images are not accepted"),
    ("half.jpg", truncated_jpeg(), "damaged or incomplete"),
    ("scan.tiff", image_bytes((40, 40), fmt="TIFF"), "Upload a JPEG, PNG or WebP image"),
]


class Curator:
    is_active = is_staff = True

    def has_perm(self, permission, obj=None):
        return permission.startswith("films.")


def admin_request():
    request = RequestFactory().post("/admin/")
    request.user = Curator()
    return request


def poster_form(film, upload):
    request = admin_request()
    model_admin = admin_site._registry[Film]
    form_class = model_admin.get_form(request, film, change=True, fields=["poster"])
    return form_class(data={}, files={"poster": upload}, instance=film)


@pytest.mark.parametrize(("name", "data", "message"), BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_each_bad_upload_gets_its_error_and_nothing_is_stored(settings, name, data, message):
    film = make_film()
    form = poster_form(film, SimpleUploadedFile(name, data))
    assert not form.is_valid()
    assert message in " ".join(form.errors["poster"])
    assert stored_files(settings) == []
    film.refresh_from_db()
    assert not film.poster


def test_a_detailed_photograph_is_not_mistaken_for_markup():
    """Compressed pixel data holds every short byte pattern somewhere: this one holds
    '<a' and a tab, the start of a link, which is not looked for there."""
    import random

    noise = random.Random(0).randbytes(900 * 900 * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (900, 900), noise).save(out, format="JPEG", quality=90)
    data = out.getvalue()
    assert b"<a\t" in data
    master = pictures.prepare(SimpleUploadedFile("grain.jpg", data))
    assert Image.open(master).size == (900, 900)


def jpeg_with_metadata(size=(1200, 1800)):
    """A camera-like JPEG: rotated by its EXIF orientation, with GPS and a comment."""
    image = Image.new("RGB", size, (180, 60, 40))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x010F] = "SecretCam"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"shot at home")
    return out.getvalue()


def test_an_upload_is_oriented_stripped_and_rendered_at_each_width(settings):
    film = make_film()
    form = poster_form(film, SimpleUploadedFile("cam.jpg", jpeg_with_metadata()))
    assert form.is_valid(), form.errors
    form.save()
    pictures.after_save(form)
    film.refresh_from_db()
    # The orientation is applied: the 1200×1800 sensor image stands as 1800×1200.
    assert (film.poster_width, film.poster_height) == (1800, 1200)
    made = pictures.renditions(film.poster)
    widths = sorted({r.width for r in made})
    assert widths == [160, 240, 320, 480, 640, 960]
    assert {r.format for r in made} == set(RENDITION_FORMATS)
    for name in [film.poster.name] + [r.name for r in made]:
        with film.poster.storage.open(name) as handle:
            raw = handle.read()
        image = Image.open(io.BytesIO(raw))
        assert not image.getexif(), name
        assert b"SecretCam" not in raw and b"shot at home" not in raw, name
        assert "icc_profile" not in image.info and "exif" not in image.info, name
    for rendition in made:
        with film.poster.storage.open(rendition.name) as handle:
            image = Image.open(handle)
            assert image.size == (rendition.width, rendition.height)
            assert image.format == rendition.format
    # Nothing is ever served larger than the stored original.
    assert max(widths) <= film.poster_width


def test_a_small_original_is_never_scaled_up():
    assert pictures.rendition_widths((160, 320, 640), 500) == [160, 320, 500]
    assert pictures.rendition_widths((160, 320, 640), 100) == [100]
    assert pictures.rendition_widths((160, 320, 640), 4000) == [160, 320, 640]


def publish_poster(film, size=(600, 900)):
    form = poster_form(film, SimpleUploadedFile("p.png", image_bytes(size)))
    assert form.is_valid(), form.errors
    form.save()
    pictures.after_save(form)
    film.refresh_from_db()
    return film


def test_the_film_page_serves_the_poster_eagerly_in_every_format(client, settings):
    film = publish_poster(make_film())
    html = client.get(film.get_absolute_url()).content.decode()
    tag = re.search(r'<picture class="poster[^"]*">.*?</picture>', html, re.S).group(0)
    assert 'fetchpriority="high"' in tag and 'loading="eager"' in tag
    assert 'width="600" height="900"' in tag
    for fmt in RENDITION_FORMATS:
        if fmt != "JPEG":
            assert f'type="image/{fmt.lower()}"' in tag
    srcset = re.search(r'<img [^>]*srcset="([^"]+)"', tag).group(1)
    assert [part.split()[-1] for part in srcset.split(", ")] == [
        "160w",
        "240w",
        "320w",
        "480w",
        "600w",
    ]
    assert 'sizes="' in tag and 'alt="Poster of' in tag


def test_the_film_list_serves_posters_lazily(client):
    film = publish_poster(make_film())
    html = client.get("/films/").content.decode()
    tag = re.search(r'<picture class="poster[^"]*">.*?</picture>', html, re.S).group(0)
    assert 'loading="lazy"' in tag and str(film.poster_width) in tag


def test_without_a_poster_each_film_gets_its_own_drawn_one(client):
    films = [make_film(title=f"Film number {i}", year=1990 + i) for i in range(8)]
    html = client.get("/films/").content.decode()
    drawn = re.findall(r'<svg class="poster[^"]*".*?</svg>', html, re.S)
    assert len(drawn) == len(films)
    assert len(set(drawn)) == len(films)
    # Each names its film for assistive technology, and shows title and year.
    for film in films:
        assert f'aria-label="Poster: {film.title}, {film.year}' in html


def test_drawn_posters_differ_in_motif_and_colour_for_consecutive_films():
    palettes = [artwork.palette("One title", motif=n) for n in range(len(artwork.MOTIFS))]
    assert len({p.motif for p in palettes}) == len(artwork.MOTIFS)
    assert len({p.ground for p in palettes}) == len(palettes)


def test_drawn_text_is_light_on_a_dark_ground():
    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for seed in ("Léon", "Nikita", "Lucy", "Angel-A", "Jean Reno", "Mathilda"):
        p = artwork.palette(seed)
        for ground in (p.ground, p.deep):
            ratio = (luminance(artwork.INK) + 0.05) / (luminance(ground) + 0.05)
            assert ratio >= 4.5, (seed, ground, ratio)


def test_every_motif_draws(monkeypatch):
    for motif in range(len(artwork.MOTIFS)):
        monkeypatch.setattr(
            artwork,
            "palette",
            lambda seed, motif=None, m=motif: artwork.Palette(
                ground="#202020", deep="#101010", accent="#c08040", soft="#d0d0d0", motif=m, x=40
            ),
        )
        assert "<svg" in artwork.monogram_svg("Jean Reno")
        assert "<svg" in artwork.poster_svg(title="Léon", year=1994, director="Luc Besson")


def test_monograms_use_initials_and_hide_beside_a_name():
    assert artwork.initials("Jean Reno") == "JR"
    assert artwork.initials("Éric Serra") == "ÉS"
    assert artwork.initials("Sting") == "S"
    assert 'aria-hidden="true"' in artwork.monogram_svg("Jean Reno")
    labelled = artwork.monogram_svg("Jean Reno", label="Jean Reno")
    assert 'role="img" aria-label="Jean Reno"' in labelled


def test_a_curator_uploads_a_portrait_through_the_admin(curator_client, settings):
    person = Person.objects.create(name="Jean Reno", slug="jean-reno")
    response = curator_client.post(
        f"/admin/films/person/{person.pk}/change/",
        {
            "name": "Jean Reno",
            "slug": "jean-reno",
            "known_for": "Actor",
            "biography": "",
            "photo": SimpleUploadedFile("reno.jpg", jpeg_with_metadata((900, 1200))),
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "credits-TOTAL_FORMS": "0",
            "credits-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.photo.name.startswith("people/") and person.photo.name.endswith(".jpg")
    assert all(person.photo.storage.exists(r.name) for r in pictures.renditions(person.photo))
    page = curator_client.get(person.get_absolute_url()).content.decode()
    assert "<picture" in page and 'alt="Jean Reno"' in page


def test_a_bad_upload_in_the_admin_keeps_the_picture_already_there(curator_client, settings):
    person = Person.objects.create(name="Jean Reno", slug="jean-reno")
    data = {
        "name": "Jean Reno",
        "slug": "jean-reno",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
    }
    url = f"/admin/films/person/{person.pk}/change/"
    curator_client.post(url, {**data, "photo": SimpleUploadedFile("a.png", image_bytes())})
    person.refresh_from_db()
    before, files = person.photo.name, stored_files(settings)
    response = curator_client.post(
        url, {**data, "photo": SimpleUploadedFile("x.svg", b"<svg xmlns='x'/>")}
    )
    assert response.status_code == 200
    assert "SVG files are not accepted" in unescape(response.content.decode())
    person.refresh_from_db()
    assert person.photo.name == before and stored_files(settings) == files


def still_upload(film, **fields):
    form_data = {"film": film.pk, "kind": "still", "order": 0, **fields}
    request = admin_request()
    form_class = admin_site._registry[Still].get_form(request, None)
    form = form_class(
        data=form_data,
        files={"image": SimpleUploadedFile("s.png", image_bytes((1600, 900)))},
    )
    return form


def test_a_still_needs_alt_text():
    film = make_film()
    form = still_upload(film, alt="")
    assert not form.is_valid() and "alt" in form.errors


def test_stills_show_on_the_film_page_with_caption_credit_and_licence(
    client, django_assert_max_num_queries
):
    film = make_film()
    for n in range(6):
        form = still_upload(
            film,
            alt=f"Picture {n} of a plant on a windowsill",
            caption=f"Caption {n}",
            credit="Gaumont",
            licence="All rights reserved",
            order=n,
        )
        assert form.is_valid(), form.errors
        form.save()
        pictures.after_save(form)
    html = client.get(film.get_absolute_url()).content.decode()
    assert html.count('class="gallery-item"') == 6
    assert "Caption 5" in html and "Gaumont · All rights reserved" in html
    assert 'alt="Picture 0 of a plant on a windowsill"' in html
    # One query for all of them, however many there are.
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    with django_assert_max_num_queries(20):
        client.get(film.get_absolute_url())


def test_a_spoiler_still_is_guarded(client):
    film = make_film()
    form = still_upload(film, alt="The last moment", is_spoiler="on")
    assert form.is_valid(), form.errors
    form.save()
    pictures.after_save(form)
    html = client.get(film.get_absolute_url()).content.decode()
    guarded = re.search(r'<details class="spoiler-box".*?</details>', html, re.S)
    assert guarded and "The last moment" in guarded.group(0)


def test_a_still_shows_a_scene_of_its_own_film():
    from django.core.exceptions import ValidationError

    from tests.factories import make_scene

    film, other = make_film(), make_film()
    still = Still(film=film, alt="A window", scene=make_scene(other))
    with pytest.raises(ValidationError) as error:
        still.clean()
    assert "scene" in error.value.message_dict


def test_rebuild_renditions_keeps_the_sizes_of_pictures_stored_without_them(settings):
    from django.core.management import call_command

    film = publish_poster(make_film())
    Film.objects.filter(pk=film.pk).update(poster_width=None, poster_height=None)
    call_command("rebuild_renditions", stdout=io.StringIO())
    assert Film.objects.filter(pk=film.pk, poster_width=600, poster_height=900).exists()


def test_rebuild_renditions_remakes_them(settings):
    from django.core.management import call_command

    film = publish_poster(make_film())
    character = Character.objects.create(film=film, name="Tony", slug="tony")
    made = pictures.renditions(film.poster)
    for rendition in made:
        film.poster.storage.delete(rendition.name)
    out = io.StringIO()
    call_command("rebuild_renditions", stdout=out)
    assert all(film.poster.storage.exists(r.name) for r in made)
    assert "1 picture" in out.getvalue()
    assert not character.image


def test_naming_a_bucket_moves_uploads_to_object_storage():
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json; from leonsite import settings as s; print(json.dumps(s.STORAGES['default']))"
    )
    env = {
        **os.environ,
        "MEDIA_BUCKET": "leonsite-media",
        "MEDIA_ENDPOINT_URL": "https://s3.example",
    }
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    storage = json.loads(out.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "leonsite-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example"
    assert storage["OPTIONS"]["querystring_auth"] is False
