"""Letterboxd in and out: read a member's Letterboxd export (the ZIP or any one of its
CSV files), match its films to the catalogue, plan what it would create, apply that
plan; and write the member's film life back in Letterboxd's own files.

**Reading is refusing early.** A file is read whole into memory only after its size is
known to be at most MAX_UPLOAD_BYTES; a ZIP is judged by its directory first (at most
MAX_ZIP_ENTRIES entries, no path outside its folder, no encrypted entry, at most
MAX_UNCOMPRESSED_BYTES in all, no entry that grew more than MAX_RATIO times), then each
file it holds is read with a hard cap, since a directory can lie. Anything wrong with the
file as a whole (`BadFile`) stops everything, with a message naming what is wrong;
anything wrong with one row skips that row, with its reason.

**Cells.** Letterboxd writes no formula and no negative number: a date, year, rating,
rewatch or address cell starting with = + - @ (or a tab or carriage return) is a
spreadsheet formula someone planted, and its row is refused. A film's name is never
stored, only compared, so only "=" and "@" refuse it (real titles start with + or -).
Review text and tags are the member's words: a review may well start with "-" (a
Markdown list), so they are kept as text, screened like typed text, and escaped in every
CSV we write (`escape_cell`).

**Matching.** A row's film is the one its Letterboxd address was matched to before (the
member's own LetterboxdFilm rows), else the catalogue film whose title, original title or
any alternative title folds (leonsite.lib.text.fold) to the row's name and whose year is
the row's year.

**Never twice, never over the member's own.** A diary entry already there (same film,
date, rewatch and rating) is not logged again; a film already rated or reviewed here
keeps the member's rating and review (the import's is skipped with the reason); a film
already on the watchlist is not added again. Importing the same file twice creates
nothing the second time.

**Writes go through the services** (reviews/diary.py, reviews/services.py), so imported
reviews, tags and notes are screened exactly as typed ones; a refused one is reported as
skipped, a held one as held. `apply` runs in one transaction: all or nothing, and each
row in its own savepoint so one refused review does not undo the rest.

Queries: `plan` reads a fixed number (the catalogue's titles, the member's addresses,
reviews, diary and watchlist: 7 in all, whatever the rows); `apply` re-reads the same and
then runs each service once per created item (about 6–10 queries for a diary entry or a
review, 2 for a watchlist item).
"""

import csv
import io
import re
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from films.models import AlternativeTitle, Film
from leonsite.lib import screening
from leonsite.lib.text import fold, strip_control

from . import diary, services
from .models import REVIEW_BODY_MAX, DiaryEntry, LetterboxdFilm, Review, WatchlistItem
from .stars import stars

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_FILE_BYTES = 30 * 1024 * 1024  # one CSV inside a ZIP, uncompressed
MAX_RATIO = 100  # uncompressed / compressed, for entries over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_ROWS = 5_000  # in all the files together
MAX_SKIPPED_SHOWN = 200
URI_MAX = 200

DIARY, RATINGS, REVIEWS, WATCHLIST, LIKES = "diary", "ratings", "reviews", "watchlist", "likes"
KINDS = (DIARY, RATINGS, REVIEWS, WATCHLIST, LIKES)
BASE = ("Date", "Name", "Year", "Letterboxd URI")
COLUMNS: dict[str, tuple[str, ...]] = {
    DIARY: (*BASE, "Rating", "Rewatch", "Tags", "Watched Date"),
    RATINGS: (*BASE, "Rating"),
    REVIEWS: (*BASE, "Rating", "Rewatch", "Review", "Tags", "Watched Date"),
    WATCHLIST: BASE,
    LIKES: BASE,
}
FILE_NAMES = {
    DIARY: "diary.csv",
    RATINGS: "ratings.csv",
    REVIEWS: "reviews.csv",
    WATCHLIST: "watchlist.csv",
    LIKES: "likes/films.csv",
}
KIND_BY_PATH = {name: kind for kind, name in FILE_NAMES.items()}
# A film's own page is what ratings, the watchlist and likes point to; a diary entry or
# a review has its own address.
FILM_PAGE_KINDS = {RATINGS, WATCHLIST, LIKES}

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URI = re.compile(r"^https://(letterboxd\.com|boxd\.it)/[A-Za-z0-9_\-/.%]+$")
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


class BadFile(ValueError):
    """The file as a whole cannot be read: nothing of it is imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SkipRow(ValueError):
    pass


ONE_REVIEW = gettext_lazy("one review per film here: the latest one is imported")
ONE_RATING = gettext_lazy("one rating per film: the latest one is imported")


# Reading the upload ---------------------------------------------------------------------


@dataclass
class Row:
    kind: str
    line: int
    cells: dict[str, str]

    @property
    def name(self) -> str:
        return self.cells.get("Name", "")


def read_upload(upload: Any, *, lone_kind: str = "") -> list[Row]:
    """The rows of an uploaded ZIP or CSV, or BadFile. `lone_kind` says which file a lone
    CSV with only Date, Name, Year and Letterboxd URI is: the watchlist and the liked
    films have the very same columns."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_UPLOAD_BYTES:
        raise BadFile(
            _("The file is over %(max)d MB: Letterboxd's exports are far smaller.")
            % {"max": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if size == 0:
        raise BadFile(_("The file is empty."))
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise BadFile(
            _("The file is over %(max)d MB: Letterboxd's exports are far smaller.")
            % {"max": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if data.startswith(_ZIP_MAGIC):
        return _rows_of_zip(data)
    text = _text(data, _("The file"))
    kind, rows = _rows_of_csv(text, name="", lone_kind=lone_kind)
    if not rows:
        raise BadFile(_("The file has its columns but no films in it."))
    _check_row_count(len(rows))
    return rows


def _check_row_count(count: int) -> None:
    if count > MAX_ROWS:
        raise BadFile(
            _(
                "The file has more than %(max)s rows: import it in parts (one CSV at a "
                "time), each of at most %(max)s."
            )
            % {"max": number_format(MAX_ROWS, force_grouping=True)}
        )


def _text(data: bytes, what: str) -> str:
    if b"\x00" in data[:8192]:
        raise BadFile(
            _(
                "This is not a CSV or ZIP file from Letterboxd: choose the export's ZIP or "
                "one of its CSV files."
            )
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadFile(
            _(
                "%(what)s is not in UTF-8, the encoding Letterboxd writes (it fails at "
                "byte %(at)d). Export it again from Letterboxd, or save it as UTF-8."
            )
            % {"what": what, "at": err.start}
        ) from err
    if not text.strip():
        raise BadFile(_("The file is empty."))
    return text


def _kind_of(header: list[str], name: str, lone_kind: str) -> str:
    """Which Letterboxd file a header is, or BadFile naming what is missing."""
    columns = set(header)
    if name:
        kind = KIND_BY_PATH[name]
    elif "Review" in columns:
        kind = REVIEWS
    elif columns & {"Rewatch", "Watched Date", "Tags"}:
        kind = DIARY
    elif "Rating" in columns:
        kind = RATINGS
    elif not columns & set(BASE):
        raise BadFile(
            _(
                "This is not one of Letterboxd's files: its first line should name the "
                "columns Date, Name, Year and Letterboxd URI."
            )
        )
    else:
        unknown = [c for c in header if c and c not in COLUMNS[REVIEWS]]
        if unknown:
            raise BadFile(
                _(
                    "The column “%(column)s” is not one of Letterboxd's: is this a "
                    "Letterboxd export?"
                )
                % {"column": unknown[0]}
            )
        kind = lone_kind
        if kind not in (WATCHLIST, LIKES):
            raise BadFile(
                _(
                    "This file could be your watchlist or your liked films (they have the "
                    "same columns): say which it is."
                )
            )
    missing = [column for column in COLUMNS[kind] if column not in columns]
    if missing:
        raise BadFile(
            ngettext(
                "%(file)s: the column “%(columns)s” is missing (was it renamed?).",
                "%(file)s: the columns “%(columns)s” are missing (were they renamed?).",
                len(missing),
            )
            % {"file": FILE_NAMES[kind], "columns": "”, “".join(missing)}
        )
    return kind


def _rows_of_csv(text: str, *, name: str, lone_kind: str = "") -> tuple[str, list[Row]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    label = name or "CSV"
    try:
        header = [cell.strip() for cell in next(reader, [])]
        kind = _kind_of(header, name, lone_kind)
        rows: list[Row] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                _check_row_count(MAX_ROWS + 1)
            line = reader.line_num
            if len(cells) != len(header):
                cells = [*cells, *[""] * (len(header) - len(cells))][: len(header)]
                values = dict(zip(header, cells, strict=True))
                values["__width__"] = "bad"
            else:
                values = dict(zip(header, cells, strict=True))
            rows.append(Row(kind, line, values))
    except csv.Error as err:
        raise BadFile(
            _("%(file)s can't be read as CSV (line %(line)d): %(error)s")
            % {"file": label, "line": reader.line_num, "error": err}
        ) from err
    return kind, rows


def _safe_path(name: str) -> bool:
    if name.startswith(("/", "\\")) or "\\" in name or re.match(r"^[A-Za-z]:", name):
        return False
    return ".." not in name.split("/")


def _rows_of_zip(data: bytes) -> list[Row]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        raise BadFile(_("The ZIP file is damaged: export it again from Letterboxd.")) from err
    if len(infos) > MAX_ZIP_ENTRIES:
        raise BadFile(
            _("The ZIP holds more than %(max)d files: it is not a Letterboxd export.")
            % {"max": MAX_ZIP_ENTRIES}
        )
    for info in infos:
        if not _safe_path(info.filename):
            raise BadFile(
                _("The ZIP holds a file outside its folder (“%(path)s”): it is refused.")
                % {"path": info.filename[:100]}
            )
        if info.flag_bits & 0x1:
            raise BadFile(_("The ZIP is protected by a password: export it again from Letterboxd."))
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
        raise BadFile(
            _("Unpacked, the ZIP would be over %(max)d MB: it is not a Letterboxd export.")
            % {"max": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
        )
    # Letterboxd puts its files at the ZIP's root; a re-zipped folder puts them in one.
    names = [info.filename for info in infos if not info.is_dir()]
    tops = {name.split("/", 1)[0] for name in names}
    prefix = f"{tops.pop()}/" if len(tops) == 1 and all("/" in n for n in names) else ""
    rows: list[Row] = []
    found = False
    for info in infos:
        relative = info.filename[len(prefix) :] if info.filename.startswith(prefix) else ""
        if relative not in KIND_BY_PATH:
            continue
        found = True
        if info.file_size > MAX_FILE_BYTES or (
            info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        ):
            raise BadFile(
                _("%(file)s in the ZIP unpacks to far more than a Letterboxd export holds.")
                % {"file": relative}
            )
        try:
            with archive.open(info) as member:
                content = member.read(MAX_FILE_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError) as err:
            raise BadFile(_("The ZIP file is damaged: export it again from Letterboxd.")) from err
        if len(content) > MAX_FILE_BYTES:
            raise BadFile(
                _("%(file)s in the ZIP unpacks to far more than a Letterboxd export holds.")
                % {"file": relative}
            )
        if not content.strip():
            continue
        _kind, file_rows = _rows_of_csv(_text(content, relative), name=relative)
        rows.extend(file_rows)
        _check_row_count(len(rows))
    if not found:
        raise BadFile(
            _(
                "The ZIP holds none of Letterboxd's files (diary.csv, ratings.csv, "
                "reviews.csv, watchlist.csv, likes/films.csv)."
            )
        )
    if not rows:
        raise BadFile(_("The ZIP's files have their columns but no films in them."))
    return rows


# Reading one row ------------------------------------------------------------------------


def unescape(text: str) -> str:
    """Undo `escape_cell`: our own export's "'-" is the member's "-"."""
    return text[1:] if text.startswith("'") and text[1:2].startswith(FORMULA_START) else text


def _cell(row: Row, column: str) -> str:
    value = row.cells.get(column, "").strip()
    if value.startswith(FORMULA_START):
        raise SkipRow(_("the cell “%(column)s” holds a spreadsheet formula") % {"column": column})
    return value


def _date(row: Row, column: str) -> date | None:
    value = _cell(row, column)
    if not value:
        return None
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError as err:
        raise SkipRow(
            _("the date “%(value)s” is not a real date (YYYY-MM-DD)") % {"value": value[:20]}
        ) from err


def _rating(row: Row) -> int | None:
    value = _cell(row, "Rating")
    if not value:
        return None
    try:
        half_stars = Decimal(value) * 2
    except ArithmeticError as err:  # InvalidOperation, or an Overflow such as 9e999999
        raise SkipRow(_("the rating “%(value)s” is not a number") % {"value": value[:20]}) from err
    if half_stars != half_stars.to_integral_value() or not 1 <= half_stars <= 10:
        raise SkipRow(
            _("the rating “%(value)s” is not between half a star and five stars, by halves")
            % {"value": value[:20]}
        )
    return int(half_stars)


def _year(row: Row) -> int | None:
    value = _cell(row, "Year")
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or not 1888 <= int(value) <= 2100:
        raise SkipRow(_("the year “%(value)s” is not a year") % {"value": value[:20]})
    return int(value)


def _rewatch(row: Row) -> bool:
    value = _cell(row, "Rewatch").lower()
    if value not in ("", "yes", "no"):
        raise SkipRow(
            _("“Rewatch” should be Yes or empty, not “%(value)s”") % {"value": value[:20]}
        )
    return value == "yes"


def _uri(row: Row) -> str:
    value = _cell(row, "Letterboxd URI")
    if value and (len(value) > URI_MAX or not _URI.match(value)):
        raise SkipRow(_("“%(value)s” is not a Letterboxd address") % {"value": value[:60]})
    return value


# Matching -------------------------------------------------------------------------------


@dataclass
class Catalogue:
    titles: dict[str, list[int]]
    films: dict[int, tuple[str, int]]  # id → (title, year)
    known: dict[str, int]  # the member's Letterboxd addresses → film id

    @classmethod
    def load(cls, user: Any) -> "Catalogue":
        titles: dict[str, list[int]] = defaultdict(list)
        films: dict[int, tuple[str, int]] = {}
        for pk, title, original, year in Film.objects.values_list(
            "pk", "title", "original_title", "year"
        ):
            films[pk] = (title, year)
            for name in {fold(title), fold(original)} - {""}:
                titles[name].append(pk)
        for film_id, title in AlternativeTitle.objects.values_list("film_id", "title"):
            name = fold(title)
            if name and film_id not in titles[name]:
                titles[name].append(film_id)
        known = dict(LetterboxdFilm.objects.filter(user=user).values_list("uri", "film_id"))
        return cls(dict(titles), films, known)

    def label(self, film_id: int) -> str:
        title, year = self.films[film_id]
        return f"{title} ({year})"

    def match(self, name: str, year: int | None, uri: str) -> int:
        if uri and self.known.get(uri) in self.films:
            return self.known[uri]
        shown = f"{name[:100]} ({year})" if year else name[:100]
        candidates = self.titles.get(fold(name), [])
        if not candidates:
            raise SkipRow(_("not in the catalogue: %(film)s") % {"film": shown})
        same_year = [pk for pk in candidates if year is None or self.films[pk][1] == year]
        if not same_year:
            raise SkipRow(
                _("the year does not match: the file says %(film)s, the catalogue has %(ours)s")
                % {"film": shown, "ours": ", ".join(self.label(pk) for pk in candidates[:3])}
            )
        if len(same_year) > 1:
            raise SkipRow(
                _("more than one film in the catalogue is called %(film)s") % {"film": shown}
            )
        return same_year[0]


# The plan -------------------------------------------------------------------------------


@dataclass
class Plan:
    """What an import would do: plain data, stored between the preview and the confirm
    (`as_data`/`from_data`)."""

    diary: list[dict[str, Any]] = field(default_factory=list)
    ratings: dict[int, int] = field(default_factory=dict)
    reviews: dict[int, dict[str, Any]] = field(default_factory=dict)
    watchlist: list[int] = field(default_factory=list)
    likes: list[int] = field(default_factory=list)  # films whose latest existing entry gets ♥
    uris: dict[str, tuple[int, bool]] = field(default_factory=dict)
    skipped: list[tuple[str, int, str, str]] = field(default_factory=list)
    skipped_count: int = 0
    labels: dict[int, str] = field(default_factory=dict)

    def skip(self, row: Row, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < MAX_SKIPPED_SHOWN:
            self.skipped.append((FILE_NAMES[row.kind], row.line, row.name[:100], reason))

    @property
    def is_empty(self) -> bool:
        return not (self.diary or self.ratings or self.reviews or self.watchlist or self.likes)

    @property
    def liked_count(self) -> int:
        return len(self.likes) + sum(1 for entry in self.diary if entry["liked"])

    def as_data(self) -> dict[str, Any]:
        return {
            "v": 1,
            "diary": self.diary,
            "ratings": [[k, v] for k, v in self.ratings.items()],
            "reviews": [[k, v] for k, v in self.reviews.items()],
            "watchlist": self.watchlist,
            "likes": self.likes,
            "uris": [[uri, film, page] for uri, (film, page) in self.uris.items()],
            "skipped": self.skipped,
            "skipped_count": self.skipped_count,
            "labels": [[k, v] for k, v in self.labels.items()],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Plan":
        if data.get("v") != 1:
            raise ValueError("unknown plan")
        return cls(
            diary=list(data["diary"]),
            ratings={int(k): int(v) for k, v in data["ratings"]},
            reviews={int(k): dict(v) for k, v in data["reviews"]},
            watchlist=[int(k) for k in data["watchlist"]],
            likes=[int(k) for k in data["likes"]],
            uris={str(u): (int(f), bool(p)) for u, f, p in data["uris"]},
            skipped=[(str(f), int(n), str(m), str(r)) for f, n, m, r in data["skipped"]],
            skipped_count=int(data["skipped_count"]),
            labels={int(k): str(v) for k, v in data["labels"]},
        )

    def films(self) -> list[dict[str, Any]]:
        """One line per film for the preview: what each would get."""
        by_film: dict[int, dict[str, Any]] = {}

        def line(film_id: int) -> dict[str, Any]:
            return by_film.setdefault(
                film_id,
                {
                    "label": self.labels.get(film_id, ""),
                    "entries": 0,
                    "rating": None,
                    "review": False,
                    "watchlist": False,
                    "liked": False,
                },
            )

        for entry in self.diary:
            line(entry["film"])["entries"] += 1
            if entry["liked"]:
                line(entry["film"])["liked"] = True
        for film_id, rating in self.ratings.items():
            line(film_id)["rating"] = stars(rating)
        for film_id, review in self.reviews.items():
            line(film_id)["review"] = True
            line(film_id)["rating"] = stars(review["rating"])
        for film_id in self.watchlist:
            line(film_id)["watchlist"] = True
        for film_id in self.likes:
            line(film_id)["liked"] = True
        for item in by_film.values():
            item["what"] = [
                part
                for part in (
                    ngettext("%(count)d viewing", "%(count)d viewings", item["entries"])
                    % {"count": item["entries"]}
                    if item["entries"]
                    else "",
                    _("rated %(stars)s") % {"stars": item["rating"]} if item["rating"] else "",
                    _("your review") if item["review"] else "",
                    _("on your watchlist") if item["watchlist"] else "",
                    _("♥ liked") if item["liked"] else "",
                )
                if part
            ]
        return sorted(by_film.values(), key=lambda item: item["label"])


@dataclass
class Existing:
    """What the member already has, read in a fixed number of queries."""

    diary_keys: set[tuple[int, str, bool, int | None]]
    latest_entry: dict[int, tuple[int, bool]]  # film → (entry id, liked)
    reviews: dict[int, tuple[int, bool, bool]]  # film → (rating, has text, hidden)
    watchlist: set[int]

    @classmethod
    def load(cls, user: Any) -> "Existing":
        keys = set()
        latest: dict[int, tuple[int, bool]] = {}
        entries = DiaryEntry.objects.filter(user=user).order_by("watched_on", "pk")
        for pk, film_id, watched_on, rewatch, rating, liked in entries.values_list(
            "pk", "film_id", "watched_on", "rewatch", "rating", "liked"
        ):
            keys.add((film_id, watched_on.isoformat(), rewatch, rating))
            latest[film_id] = (pk, liked)
        reviews = {
            film_id: (rating, bool(title or body), hidden_at is not None)
            for film_id, rating, title, body, hidden_at in Review.objects.alive()
            .filter(author=user)
            .values_list("film_id", "rating", "title", "body", "hidden_at")
        }
        watchlist = set(WatchlistItem.objects.filter(user=user).values_list("film_id", flat=True))
        return cls(keys, latest, reviews, watchlist)


class _Screen:
    """Refuse now what the screening would refuse at the write, so the preview says so.
    All the file's words are screened at once first: only a file with a refused word in
    it is then screened row by row (one query a row)."""

    def __init__(self, rows: list[Row]) -> None:
        texts = [
            text
            for row in rows
            for text in (row.cells.get("Tags", ""), row.cells.get("Review", ""))
            if text
        ]
        try:
            screening.check(*texts)
        except ValidationError:
            self.all_clear = False
        else:
            self.all_clear = True

    def __call__(self, text: str) -> None:
        if text and not self.all_clear:
            screening.check(text)


def plan(user: Any, rows: Iterable[Row]) -> Plan:
    """What importing `rows` would do for `user`, saving nothing."""
    rows = list(rows)
    catalogue = Catalogue.load(user)
    _screened = _Screen(rows)
    existing = Existing.load(user)
    result = Plan()
    rating_rows: dict[int, tuple[str, int, Row]] = {}  # film → (date, rating, row)
    diary_ratings: dict[int, tuple[str, int]] = {}  # film → the latest viewing's rating
    review_rows: dict[int, tuple[str, Row, dict[str, Any]]] = {}
    seen_keys: set[tuple[int, str, bool, int | None]] = set()
    watch_rows: list[tuple[int, Row]] = []
    like_rows: list[tuple[int, Row]] = []
    today = diary.latest_possible_day()
    for row in rows:
        try:
            if row.cells.get("__width__"):
                raise SkipRow(_("the row does not have as many cells as the header"))
            name = unescape(row.name.strip())
            if not name:
                raise SkipRow(_("the film's name is empty"))
            if name.startswith(("=", "@")):
                raise SkipRow(_("the cell “Name” holds a spreadsheet formula"))
            year, uri, logged = _year(row), _uri(row), _date(row, "Date")
            film_id = catalogue.match(name, year, uri)
            film_year = catalogue.films[film_id][1]
            result.labels[film_id] = catalogue.label(film_id)
            logged_on = logged.isoformat() if logged else ""
            if row.kind in (DIARY, REVIEWS):
                rating = _rating(row)
                rewatch = _rewatch(row)
                watched = _date(row, "Watched Date") or logged
                if watched is None:
                    raise SkipRow(_("the row says neither when it was watched nor logged"))
                watched_on = watched.isoformat()
                if watched > today:
                    raise SkipRow(
                        _("the date watched, %(date)s, is in the future") % {"date": watched}
                    )
                if watched.year < film_year - 1:
                    raise SkipRow(
                        _("the date watched, %(date)s, is before the film was made")
                        % {"date": watched}
                    )
                try:
                    tags = diary.normalise_tags(unescape(strip_control(row.cells.get("Tags", ""))))
                except ValidationError as err:
                    raise SkipRow(" ".join(err.messages)) from err
            if row.kind == DIARY:
                key = (film_id, watched_on, rewatch, rating)
                if key in existing.diary_keys:
                    raise SkipRow(_("this viewing is already in your diary"))
                if key in seen_keys:
                    raise SkipRow(_("the same viewing is twice in the file"))
                try:
                    _screened(tags.replace(",", ", "))
                except ValidationError as err:
                    raise SkipRow(" ".join(err.messages)) from err
                seen_keys.add(key)
                result.diary.append(
                    {
                        "film": film_id,
                        "watched_on": watched_on,
                        "rewatch": rewatch,
                        "rating": rating,
                        "tags": tags,
                        "liked": False,
                    }
                )
                if rating is not None and diary_ratings.get(film_id, ("",))[0] <= key[1]:
                    diary_ratings[film_id] = (key[1], rating)
            elif row.kind == RATINGS:
                rating = _rating(row)
                if rating is None:
                    raise SkipRow(_("the row has no rating"))
                earlier_rating = rating_rows.get(film_id)
                if earlier_rating is not None and earlier_rating[0] > logged_on:
                    raise SkipRow(ONE_RATING)
                if earlier_rating is not None:
                    result.skip(earlier_rating[2], str(ONE_RATING))
                rating_rows[film_id] = (logged_on, rating, row)
            elif row.kind == REVIEWS:
                body = unescape(strip_control(row.cells.get("Review", "")).strip())
                if not body:
                    raise SkipRow(_("the review has no text"))
                if len(body) > REVIEW_BODY_MAX:
                    raise SkipRow(
                        _("the review is longer than %(max)s characters") % {"max": REVIEW_BODY_MAX}
                    )
                try:
                    _screened(body)
                except ValidationError as err:
                    raise SkipRow(" ".join(err.messages)) from err
                when = watched_on
                earlier = review_rows.get(film_id)
                if earlier is not None and earlier[0] > when:
                    raise SkipRow(ONE_REVIEW)
                if earlier is not None:
                    result.skip(earlier[1], str(ONE_REVIEW))
                review_rows[film_id] = (when, row, {"body": body, "rating": rating})
            elif row.kind == WATCHLIST:
                watch_rows.append((film_id, row))
            elif row.kind == LIKES:
                like_rows.append((film_id, row))
            if uri:
                result.uris.setdefault(uri, (film_id, row.kind in FILM_PAGE_KINDS))
        except SkipRow as reason:
            result.skip(row, str(reason))
    _plan_ratings(result, existing, rating_rows, diary_ratings, review_rows)
    planned_films = {entry["film"] for entry in result.diary}
    for film_id, row in watch_rows:
        if film_id in existing.watchlist or film_id in result.watchlist:
            result.skip(row, _("already on your watchlist"))
        elif film_id in planned_films:
            result.skip(row, _("you have watched it: its viewings are in this import"))
        else:
            result.watchlist.append(film_id)
    for film_id, row in like_rows:
        _plan_like(result, existing, film_id, row)
    return result


def _plan_ratings(
    result: Plan,
    existing: Existing,
    rating_rows: dict[int, tuple[str, int, Row]],
    diary_ratings: dict[int, tuple[str, int]],
    review_rows: dict[int, tuple[str, Row, dict[str, Any]]],
) -> None:
    """One rating per film, and it is the review's: the ratings file's if there is one,
    else the latest viewing's, else the review's own."""
    for film_id in set(rating_rows) | set(diary_ratings) | set(review_rows):
        review = review_rows.get(film_id)
        rated = rating_rows.get(film_id)
        viewed = diary_ratings.get(film_id)
        rating = (
            (rated[1] if rated else None)
            or (viewed[1] if viewed else None)
            or (review[2]["rating"] if review else None)
        )
        own = existing.reviews.get(film_id)
        if review is not None:
            if own is not None and own[1]:
                result.skip(review[1], _("you already have a review of it here: yours is kept"))
            elif own is not None:
                result.skip(
                    review[1],
                    _("you already rated it here: add your text on the film's review page"),
                )
            elif rating is None:
                result.skip(review[1], _("a review here needs a rating, and the file gives none"))
            else:
                result.reviews[film_id] = {"body": review[2]["body"], "rating": rating}
                continue
        if rating is None or own is not None and rated is None:
            continue
        if own is not None and rated is not None:
            # Said only for a ratings.csv row: a viewing's rating stays the viewing's.
            if own[0] == rating:
                result.skip(rated[2], _("already rated %(stars)s here") % {"stars": stars(rating)})
            else:
                result.skip(
                    rated[2],
                    _("you rated it %(yours)s here: yours is kept (the file says %(theirs)s)")
                    % {"yours": stars(own[0]), "theirs": stars(rating)},
                )
            continue
        if review is None:
            result.ratings[film_id] = rating


def _plan_like(result: Plan, existing: Existing, film_id: int, row: Row) -> None:
    planned = [entry for entry in result.diary if entry["film"] == film_id]
    if planned:
        latest = max(planned, key=lambda entry: entry["watched_on"])
        latest["liked"] = True
        return
    if film_id in existing.latest_entry:
        _pk, liked = existing.latest_entry[film_id]
        if liked or film_id in result.likes:
            result.skip(row, _("already liked in your diary"))
        else:
            result.likes.append(film_id)
        return
    result.skip(
        row, _("a heart here belongs to a viewing: log one in your diary first, then like it")
    )


# Applying it ----------------------------------------------------------------------------


@dataclass
class Outcome:
    diary: int = 0
    ratings: int = 0
    reviews: int = 0
    watchlist: int = 0
    liked: int = 0
    held: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)

    @property
    def created(self) -> int:
        return self.diary + self.ratings + self.reviews + self.watchlist + self.liked

    def as_data(self) -> dict[str, Any]:
        return {
            "diary": self.diary,
            "ratings": self.ratings,
            "reviews": self.reviews,
            "watchlist": self.watchlist,
            "liked": self.liked,
            "held": self.held,
            "refused": self.refused,
        }


HELD_REVIEW = gettext_lazy("your review of %(film)s waits for a moderator")


def apply(*, user: Any, planned: Plan) -> Outcome:
    """Carry out a previewed plan: all of it or nothing. What changed since the preview
    (a film gone, a viewing logged meanwhile, a second confirm) is checked again."""
    outcome = Outcome()
    with transaction.atomic():
        ids = (
            {e["film"] for e in planned.diary}
            | set(planned.ratings)
            | set(planned.reviews)
            | set(planned.watchlist)
            | set(planned.likes)
            | {film_id for film_id, _page in planned.uris.values()}
        )
        films = Film.objects.in_bulk(ids)
        existing = Existing.load(user)

        def label(film_id: int) -> str:
            return str(films[film_id]) if film_id in films else planned.labels.get(film_id, "")

        for film_id, wanted in planned.reviews.items():
            film = films.get(film_id)
            if film is None or film_id in existing.reviews:
                continue
            try:
                with transaction.atomic():
                    # Past reviews, viewings and ratings: imported, not announced in the
                    # followers' feeds (reviews/activity.py).
                    review = services.review_create(
                        author=user,
                        film=film,
                        rating=wanted["rating"],
                        body=wanted["body"],
                        announce=False,
                    )
            except ValidationError as err:
                outcome.refused.append((label(film_id), " ".join(err.messages)))
                continue
            outcome.reviews += 1
            if review.is_hidden:
                outcome.held.append(str(HELD_REVIEW % {"film": label(film_id)}))
        for film_id, rating in planned.ratings.items():
            film = films.get(film_id)
            if film is None or film_id in existing.reviews:
                continue
            try:
                with transaction.atomic():
                    diary.rate(user=user, film=film, rating=rating, announce=False)
            except ValidationError as err:
                outcome.refused.append((label(film_id), " ".join(err.messages)))
                continue
            outcome.ratings += 1
        for film_id in planned.watchlist:
            film = films.get(film_id)
            if film is not None and diary.watchlist_add(user=user, film=film):
                outcome.watchlist += 1
        for wanted in sorted(planned.diary, key=lambda entry: entry["watched_on"]):
            film = films.get(wanted["film"])
            key = (wanted["film"], wanted["watched_on"], wanted["rewatch"], wanted["rating"])
            if film is None or key in existing.diary_keys:
                continue
            try:
                # Its own savepoint already: screening.publishing() writes in one.
                entry = diary.entry_create(
                    user=user,
                    film=film,
                    watched_on=date.fromisoformat(wanted["watched_on"]),
                    rewatch=wanted["rewatch"],
                    rating=wanted["rating"],
                    liked=wanted["liked"],
                    tags=wanted["tags"],
                    rate_film=False,
                    announce=False,
                )
            except ValidationError as err:
                outcome.refused.append((label(wanted["film"]), " ".join(err.messages)))
                continue
            existing.diary_keys.add(key)
            outcome.diary += 1
            outcome.liked += int(entry.liked)
            if entry.is_hidden:
                outcome.held.append(
                    _("your viewing of %(film)s on %(date)s waits for a moderator")
                    % {"film": label(wanted["film"]), "date": wanted["watched_on"]}
                )
        for film_id in planned.likes:
            latest = existing.latest_entry.get(film_id)
            if latest is not None and not latest[1]:
                outcome.liked += _like_entry(latest[0])
        LetterboxdFilm.objects.bulk_create(
            [
                LetterboxdFilm(user=user, uri=uri, film_id=film_id, is_film_page=page)
                for uri, (film_id, page) in planned.uris.items()
                if film_id in films
            ],
            ignore_conflicts=True,
        )
    return outcome


def _like_entry(entry_id: int) -> int:
    """The heart on a viewing already in the diary: no text changes, nothing to screen."""
    return DiaryEntry.objects.filter(pk=entry_id, liked=False).update(liked=True)


# Writing Letterboxd's files -------------------------------------------------------------


def escape_cell(value: str) -> str:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP's
    rule for CSV injection)."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def _stars_text(rating: int | None) -> str:
    if rating is None:
        return ""
    return f"{rating / 2:g}"


def export_zip(user: Any) -> bytes:
    """The member's diary, ratings, reviews, watchlist and liked films as Letterboxd's
    own files, in a ZIP."""
    uris = dict(
        LetterboxdFilm.objects.filter(user=user, is_film_page=True)
        .order_by("created_at")
        .values_list("film_id", "uri")
    )
    entries = list(
        DiaryEntry.objects.filter(user=user).select_related("film").order_by("watched_on", "pk")
    )
    reviews = list(
        Review.objects.alive().filter(author=user).select_related("film").order_by("created_at")
    )
    watchlist = WatchlistItem.objects.filter(user=user).select_related("film").order_by("added_at")

    def base(when: Any, film: Film) -> list[str]:
        return [
            when.isoformat() if when else "",
            escape_cell(film.title),
            str(film.year),
            uris.get(film.pk, ""),
        ]

    files: dict[str, list[list[str]]] = {kind: [list(COLUMNS[kind])] for kind in KINDS}
    liked: dict[int, Any] = {}
    for entry in entries:
        files[DIARY].append(
            [
                *base(entry.created_at.date(), entry.film),
                _stars_text(entry.rating),
                "Yes" if entry.rewatch else "",
                escape_cell(", ".join(entry.tag_list)),
                entry.watched_on.isoformat(),
            ]
        )
        if entry.liked:
            liked[entry.film.pk] = entry
    last_viewing = {entry.film_id: entry for entry in entries}
    for review in reviews:
        files[RATINGS].append(
            [*base(review.created_at.date(), review.film), _stars_text(review.rating)]
        )
        if review.body or review.title:
            viewing = last_viewing.get(review.film_id)
            text = f"{review.title}\n\n{review.body}" if review.title else review.body
            files[REVIEWS].append(
                [
                    *base(review.created_at.date(), review.film),
                    _stars_text(review.rating),
                    "Yes" if viewing and viewing.rewatch else "",
                    escape_cell(text),
                    "",
                    viewing.watched_on.isoformat() if viewing else "",
                ]
            )
    for item in watchlist:
        files[WATCHLIST].append(base(item.added_at.date(), item.film))
    for entry in liked.values():
        files[LIKES].append(base(entry.created_at.date(), entry.film))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in KINDS:
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(files[kind])
            archive.writestr(FILE_NAMES[kind], out.getvalue())
    return buffer.getvalue()


# The member's part of their data export and deletion -------------------------------------


def member_export(user: Any) -> dict[str, Any]:
    return {
        "letterboxd_addresses": [
            {"uri": uri, "film": slug}
            for uri, slug in LetterboxdFilm.objects.filter(user=user)
            .order_by("uri")
            .values_list("uri", "film__slug")
        ]
    }


def member_erase(user: Any) -> None:
    LetterboxdFilm.objects.filter(user=user).delete()
