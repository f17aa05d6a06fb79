"""Letterboxd exports, good and bad, built in code: no binary fixture is committed."""

import csv
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.letterboxd import COLUMNS, FILE_NAMES
from tests.factories import image_bytes

LEON_URI = "https://boxd.it/2bg8"
NIKITA_URI = "https://boxd.it/1bZk"


def csv_bytes(kind, rows, *, header=None, bom=False, encoding="utf-8"):
    """A CSV in Letterboxd's columns for `kind`; each row a dict of the cells it has."""
    columns = list(header or COLUMNS[kind])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    data = out.getvalue().encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def zip_bytes(files, *, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return buffer.getvalue()


def upload(data, name="letterboxd.zip"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def film_row(name="Léon", year="1994", uri=LEON_URI, date="2024-01-05", **cells):
    return {"Date": date, "Name": name, "Year": year, "Letterboxd URI": uri, **cells}


def diary_rows():
    return [
        film_row(
            uri="https://boxd.it/aaa1",
            Rating="4",
            Rewatch="",
            Tags="cinema, with friends",
            **{"Watched Date": "2023-12-30"},
        ),
        film_row(
            uri="https://boxd.it/aaa2",
            Rating="4.5",
            Rewatch="Yes",
            Tags="",
            **{"Watched Date": "2024-01-04"},
        ),
        film_row(
            name="Taxi Driver",
            year="1976",
            uri="https://boxd.it/aaa3",
            Rating="5",
            **{"Watched Date": "2024-01-02"},
        ),
    ]


def ratings_rows():
    return [
        film_row(Rating="4.5"),
        film_row(name="Taxi Driver", year="1976", uri="https://boxd.it/td", Rating="5"),
    ]


def reviews_rows(text="The plant scene still gets me."):
    return [
        film_row(
            uri="https://boxd.it/rev1",
            Rating="4.5",
            Rewatch="Yes",
            Review=text,
            Tags="",
            **{"Watched Date": "2024-01-04"},
        )
    ]


def watchlist_rows():
    return [film_row(name="Nikita", year="1990", uri=NIKITA_URI)]


def likes_rows():
    return [film_row()]


def full_export(**overrides):
    """The ZIP Letterboxd gives: its five files at the root, and some it has that we
    don't read (profile.csv, a deleted diary)."""
    files = {
        FILE_NAMES["diary"]: csv_bytes("diary", diary_rows()),
        FILE_NAMES["ratings"]: csv_bytes("ratings", ratings_rows()),
        FILE_NAMES["reviews"]: csv_bytes("reviews", reviews_rows()),
        FILE_NAMES["watchlist"]: csv_bytes("watchlist", watchlist_rows()),
        FILE_NAMES["likes"]: csv_bytes("likes", likes_rows()),
        "profile.csv": b"Date Joined,Username\n2020-01-01,alice\n",
        "deleted/diary.csv": csv_bytes("diary", diary_rows()),
    }
    files.update(overrides)
    return zip_bytes({path: data for path, data in files.items() if data is not None})


def zip_bomb():
    """A small ZIP whose diary unpacks to far more than any export."""
    header = csv_bytes("diary", [])
    return zip_bytes({"diary.csv": header + b"\n" * (70 * 1024 * 1024)})


def png_as_csv():
    return image_bytes()


def password_zip():
    """A ZIP whose entry says it is encrypted (zipfile cannot write one: the flag is set
    in the central directory by hand)."""
    data = bytearray(zip_bytes({"diary.csv": csv_bytes("diary", diary_rows())}))
    at = data.find(b"PK\x01\x02")
    data[at + 8] |= 0x1
    return bytes(data)
