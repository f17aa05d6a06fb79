"""Letterboxd import and export: good files, bad files, the rules of a safe import, the
export's columns and a round trip."""

import csv
import html
import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from films.models import AlternativeTitle
from leonsite.accounts import services as accounts
from reviews import diary, letterboxd
from reviews.models import DiaryEntry, LetterboxdFilm, Review, WatchlistItem
from tests.factories import make_film, make_moderator, make_review, make_user, make_watched_word
from tests.reviews.letterboxd import corpus
from tests.reviews.letterboxd.corpus import csv_bytes, film_row, full_export, upload, zip_bytes

pytestmark = pytest.mark.django_db

IMPORT = "/diary/import/"
CONFIRM = "/diary/import/confirm/"
EXPORT = "/diary/export.zip"


@pytest.fixture
def leon(db):
    film = make_film(title="Léon: The Professional", original_title="Léon", year=1994, slug="leon")
    for title in ("Leon", "The Professional"):
        AlternativeTitle.objects.create(film=film, title=title)
    return film


@pytest.fixture
def nikita(db):
    return make_film(title="Nikita", original_title="Nikita", year=1990, slug="nikita")


def counts():
    return (
        DiaryEntry.objects.count(),
        Review.objects.count(),
        WatchlistItem.objects.count(),
        LetterboxdFilm.objects.count(),
    )


def page(response):
    return html.unescape(response.content.decode())


def preview(client, data, name="letterboxd.zip", **extra):
    return client.post(IMPORT, {"upload": upload(data, name), **extra})


def token_of(response):
    return response.context["confirm"].initial["token"]


def import_file(client, data, name="letterboxd.zip", **extra):
    shown = preview(client, data, name, **extra)
    assert shown.status_code == 200, shown.context["form"].errors
    done = client.post(CONFIRM, {"token": token_of(shown)})
    assert done.status_code == 302, done.status_code
    return shown, client.get(done["Location"])


# Good files -----------------------------------------------------------------------------


def test_the_preview_of_a_full_export_says_what_it_adds_and_skips_and_saves_nothing(
    alice_client, leon, nikita
):
    response = preview(alice_client, full_export())
    assert response.status_code == 200
    page = response.content.decode()
    planned = response.context["plan"]
    assert len(planned.diary) == 2
    assert list(planned.reviews) == [leon.pk]  # the review takes the film's rating
    assert planned.watchlist == [nikita.pk]
    assert planned.liked_count == 1
    assert "2 diary entries" in page and "1 review" in page and "Import it" in page
    assert "Not in the catalogue: Taxi Driver (1976)" in page
    assert counts() == (0, 0, 0, 0)


def test_confirming_the_full_export_creates_it_all(alice, alice_client, leon, nikita):
    _shown, done = import_file(alice_client, full_export())
    entries = list(DiaryEntry.objects.filter(user=alice).order_by("watched_on"))
    assert [(str(e.watched_on), e.rewatch, e.rating, e.tags, e.liked) for e in entries] == [
        ("2023-12-30", False, 8, "cinema,with friends", False),
        ("2024-01-04", True, 9, "", True),  # the heart goes on the latest viewing
    ]
    review = Review.objects.get(author=alice)
    assert (review.film, review.rating, review.body) == (
        leon,
        9,
        "The plant scene still gets me.",
    )
    assert list(WatchlistItem.objects.filter(user=alice).values_list("film", flat=True)) == [
        nikita.pk
    ]
    film_pages = dict(
        LetterboxdFilm.objects.filter(user=alice, is_film_page=True).values_list("uri", "film")
    )
    assert film_pages == {corpus.LEON_URI: leon.pk, corpus.NIKITA_URI: nikita.pk}
    assert "2 diary entries added" in done.content.decode()


@pytest.mark.parametrize(
    ("kind", "rows", "created"),
    [
        ("diary", corpus.diary_rows(), (2, 1, 0)),  # the latest viewing's rating is the film's
        ("ratings", corpus.ratings_rows(), (0, 1, 0)),
        ("reviews", corpus.reviews_rows(), (0, 1, 0)),
        ("watchlist", corpus.watchlist_rows(), (0, 0, 1)),
    ],
)
def test_each_file_alone_is_recognised_by_its_columns(
    alice_client, leon, nikita, kind, rows, created
):
    extra = {"lone_kind": "watchlist"} if kind == "watchlist" else {}
    import_file(alice_client, csv_bytes(kind, rows), name="export.csv", **extra)
    assert counts()[:3] == created


def test_a_diary_alone_rates_the_film_with_its_latest_viewing(alice, alice_client, leon):
    import_file(alice_client, csv_bytes("diary", corpus.diary_rows()), name="d.csv")
    assert Review.objects.get(author=alice).rating == 9


def test_liked_films_alone_put_a_heart_on_the_latest_viewing_already_logged(
    alice, alice_client, leon
):
    diary.entry_create(user=alice, film=leon, watched_on=corpus_date("2020-05-01"))
    latest = diary.entry_create(user=alice, film=leon, watched_on=corpus_date("2021-05-01"))
    shown, _done = import_file(
        alice_client, csv_bytes("likes", corpus.likes_rows()), name="films.csv", lone_kind="likes"
    )
    latest.refresh_from_db()
    assert latest.liked
    assert DiaryEntry.objects.filter(liked=True).count() == 1


def test_a_liked_film_never_logged_is_skipped_with_its_reason(alice_client, leon):
    response = preview(
        alice_client, csv_bytes("likes", corpus.likes_rows()), "films.csv", lone_kind="likes"
    )
    assert "A heart here belongs to a viewing" in response.content.decode()


def corpus_date(text):
    from datetime import date

    return date.fromisoformat(text)


@pytest.mark.parametrize(
    "name",
    ["Léon", "Leon", "LEON", "The Professional", "Léon: The Professional", "leon the professional"],
)
def test_every_title_of_the_film_matches(alice_client, leon, name):
    response = preview(
        alice_client, csv_bytes("ratings", [film_row(name=name, Rating="5")]), "r.csv"
    )
    assert response.context["plan"].ratings == {leon.pk: 10}


def test_a_second_import_matches_by_the_letterboxd_address(alice, alice_client, leon):
    import_file(alice_client, csv_bytes("ratings", [film_row(Rating="4")]), name="r.csv")
    renamed = [film_row(name="Professional, The (Director's Cut)", year="1996", Rating="4")]
    shown = preview(alice_client, csv_bytes("ratings", renamed), "r.csv")
    # Matched by its address despite the name and year: already rated the same.
    assert "Already rated" in shown.content.decode()
    bob = Client()
    bob.force_login(make_user("bob"))
    # Another member's addresses are their own: the same row is unknown to them.
    other = preview(bob, csv_bytes("ratings", renamed), "r.csv")
    assert "Not in the catalogue" in other.content.decode()


def test_a_utf8_bom_is_read(alice_client, leon):
    response = preview(
        alice_client, csv_bytes("ratings", [film_row(Rating="3")], bom=True), "r.csv"
    )
    assert response.context["plan"].ratings == {leon.pk: 6}


def test_a_zip_of_the_export_folder_is_read_too(alice_client, leon):
    data = zip_bytes(
        {"letterboxd-alice-2024/ratings.csv": csv_bytes("ratings", [film_row(Rating="3")])}
    )
    assert preview(alice_client, data).context["plan"].ratings == {leon.pk: 6}


# Bad files: each refused with its message, nothing saved -------------------------------

MISSING = csv_bytes(
    "diary",
    [],
    header=["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "WatchedDate"],
)
BAD_FILES = {
    "png-renamed-csv": (corpus.png_as_csv(), "poster.csv", "This is not a CSV or ZIP file"),
    "binary-garbage": (bytes(range(256)) * 40, "x.csv", "This is not a CSV or ZIP file"),
    "missing-column": (MISSING, "diary.csv", "the column “Watched Date” is missing"),
    "unknown-column": (
        b"Date,Name,Year,Letterboxd URI,Stars\n2024-01-01,Leon,1994,,5\n",
        "x.csv",
        "The column “Stars” is not one of Letterboxd",
    ),
    "not-letterboxd-csv": (b"foo,bar\n1,2\n", "x.csv", "This is not one of Letterboxd"),
    "ambiguous": (csv_bytes("watchlist", corpus.watchlist_rows()), "x.csv", "say which it is"),
    "latin-1": (
        csv_bytes("ratings", [film_row(Rating="4")], encoding="latin-1"),
        "r.csv",
        "is not in UTF-8",
    ),
    "empty": (b"", "x.csv", "The file is empty."),
    "blank": (b"\n\n  \n", "x.csv", "The file is empty."),
    "header-only": (csv_bytes("ratings", []), "r.csv", "no films in it"),
    "too-many-rows": (
        csv_bytes("ratings", [film_row(Rating="4")] * 5001),
        "r.csv",
        "more than 5,000 rows",
    ),
    "zip-bomb": (corpus.zip_bomb(), "a.zip", "Unpacked, the ZIP would be over 60 MB"),
    "zip-ratio": (
        zip_bytes({"diary.csv": csv_bytes("diary", []) + b"\n" * (25 * 1024 * 1024)}),
        "a.zip",
        "diary.csv in the ZIP unpacks to far more",
    ),
    "zip-too-many-entries": (
        zip_bytes({f"lists/{n}.csv": b"x" for n in range(501)}),
        "a.zip",
        "more than 500 files",
    ),
    "zip-dot-dot": (
        zip_bytes({"../diary.csv": csv_bytes("diary", corpus.diary_rows())}),
        "a.zip",
        "a file outside its folder (“../diary.csv”)",
    ),
    "zip-absolute": (
        zip_bytes({"/etc/diary.csv": csv_bytes("diary", corpus.diary_rows())}),
        "a.zip",
        "a file outside its folder (“/etc/diary.csv”)",
    ),
    "zip-password": (corpus.password_zip(), "a.zip", "The ZIP is protected by a password"),
    "zip-damaged": (full_export()[:200], "a.zip", "The ZIP file is damaged"),
    "zip-without-letterboxd-files": (
        zip_bytes({"notes.txt": b"hi"}),
        "a.zip",
        "none of Letterboxd",
    ),
    "zip-missing-column": (
        zip_bytes({"diary.csv": MISSING}),
        "a.zip",
        "diary.csv: the column “Watched Date” is missing",
    ),
    "unclosed-quote": (
        b'Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,"Leon,1994,,4\n' + b"x" * 200_000,
        "r.csv",
        "can't be read as CSV",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_with_its_message_and_nothing_saved(alice_client, leon, case):
    data, name, message = BAD_FILES[case]
    response = preview(alice_client, data, name)
    assert response.status_code == 400
    assert message in page(response)
    assert counts() == (0, 0, 0, 0)
    assert "letterboxd_plan" not in alice_client.session


def test_a_21_mb_upload_gets_the_forms_message_not_a_bare_413(alice_client, leon):
    response = preview(alice_client, b"a" * (21 * 1024 * 1024), "big.csv")
    assert response.status_code == 400
    assert "The file is over 20 MB" in response.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_a_body_far_over_the_import_cap_gets_the_413_page(alice_client, settings):
    response = alice_client.post(
        IMPORT,
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(settings.IMPORT_MAX_REQUEST_BYTES + 1),
    )
    assert response.status_code == 413


# Bad rows: skipped with their reason -----------------------------------------------------

BAD_ROWS = [
    (film_row(Rating="7"), "the rating “7” is not between half a star and five stars"),
    (film_row(Rating="0.3"), "the rating “0.3” is not between"),
    (film_row(Rating="abc"), "the rating “abc” is not a number"),
    (film_row(Rating="=1+1"), "the cell “Rating” holds a spreadsheet formula"),
    (film_row(Rating="-4"), "the cell “Rating” holds a spreadsheet formula"),
    (film_row(date="@SUM(A1)", Rating="4"), "the cell “Date” holds a spreadsheet formula"),
    (film_row(name='=HYPERLINK("x")', Rating="4"), "the cell “Name” holds a spreadsheet formula"),
    (film_row(uri="+cmd|' /C calc'!A0", Rating="4"), "the cell “Letterboxd URI” holds"),
    (film_row(uri="https://evil.example/x", Rating="4"), "is not a Letterboxd address"),
    (film_row(date="2026-13-45", Rating="4"), "the date “2026-13-45” is not a real date"),
    (film_row(year="1984", Rating="4"), "the year does not match: the file says Léon (1984)"),
    (film_row(year="19x4", Rating="4"), "the year “19x4” is not a year"),
    (film_row(year="¹⁹⁹⁴", Rating="4"), "the year “¹⁹⁹⁴” is not a year"),  # digits, not ASCII
    (film_row(Rating="9e999999"), "the rating “9e999999” is not a number"),  # overflows
    (
        film_row(name="Taxi Driver", year="1976", Rating="4"),
        "not in the catalogue: Taxi Driver (1976)",
    ),
    (film_row(name="", Rating="4"), "the film's name is empty"),
    (film_row(Rating=""), "the row has no rating"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS)
def test_a_bad_row_is_skipped_with_its_reason(alice_client, leon, row, reason):
    good = film_row(name="Nikita", year="1990", uri="", Rating="3")
    make_film(title="Nikita", year=1990)
    response = preview(alice_client, csv_bytes("ratings", [row, good]), "r.csv")
    assert response.status_code == 200
    planned = response.context["plan"]
    assert len(planned.skipped) == 1 and reason in planned.skipped[0][3]
    assert len(planned.ratings) == 1  # the good row still comes in
    shown = planned.skipped[0][3]
    assert shown[0].upper() + shown[1:] in page(response)


def test_a_future_or_impossible_viewing_is_skipped(alice_client, leon):
    tomorrow = (diary.latest_possible_day() + timedelta(days=1)).isoformat()
    rows = [
        film_row(**{"Watched Date": tomorrow}),
        film_row(**{"Watched Date": "1950-01-01"}),
        film_row(Tags=",".join(f"t{n}" for n in range(11)), **{"Watched Date": "2020-01-01"}),
    ]
    planned = preview(alice_client, csv_bytes("diary", rows), "d.csv").context["plan"]
    reasons = [skip[3] for skip in planned.skipped]
    assert "is in the future" in reasons[0]
    assert "before the film was made" in reasons[1]
    assert "at most 10 tags" in reasons[2]
    assert planned.diary == []


def test_a_row_with_missing_cells_is_skipped(alice_client, leon):
    data = b"Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Leon\n"
    planned = preview(alice_client, data, "r.csv").context["plan"]
    assert planned.skipped[0][3] == "the row does not have as many cells as the header"


def test_review_text_starting_with_a_dash_is_kept_as_text(alice, alice_client, leon):
    text = "- the plant\n- the milk\n=== and Gary Oldman"
    import_file(alice_client, csv_bytes("reviews", corpus.reviews_rows(text)), name="r.csv")
    assert Review.objects.get(author=alice).body == text


# Never twice, never over the member's own ----------------------------------------------


def test_importing_the_same_file_twice_creates_nothing_the_second_time(alice_client, leon, nikita):
    import_file(alice_client, full_export())
    before = counts()
    shown, _done = import_file(alice_client, full_export())
    assert shown.context["plan"].is_empty
    assert counts() == before
    assert "This viewing is already in your diary" in shown.content.decode()


def test_an_import_never_replaces_the_members_own_review_or_rating(alice, alice_client, leon):
    mine = make_review(author=alice, film=leon, rating=2, body="Not for me.")
    shown, _done = import_file(alice_client, full_export())
    page = shown.content.decode()
    assert "You already have a review of it here: yours is kept" in page
    assert "yours is kept (the file says" in page
    mine.refresh_from_db()
    assert (mine.rating, mine.body) == (2, "Not for me.")
    # The viewings still come in, each with its own rating, leaving the film's alone.
    assert DiaryEntry.objects.filter(user=alice).count() == 2


def test_past_viewings_leave_the_watchlist_and_the_feeds_alone(alice, alice_client, leon):
    from reviews.models import Activity

    diary.watchlist_add(user=alice, film=leon)  # back on it, for another rewatch
    import_file(alice_client, full_export())
    assert WatchlistItem.objects.filter(user=alice, film=leon).exists()
    imported = Review.objects.get(author=alice, film=leon)
    assert imported.body and not Activity.objects.exists()
    # A later change of the rating does not announce the imported review as new.
    diary.rate(user=alice, film=leon, rating=4)
    assert not Activity.objects.filter(verb="reviewed").exists()


def test_a_second_confirm_of_the_same_preview_is_refused(alice_client, leon):
    shown = preview(alice_client, full_export())
    token = token_of(shown)
    assert alice_client.post(CONFIRM, {"token": token}).status_code == 302
    again = alice_client.post(CONFIRM, {"token": token})
    assert again.status_code == 400
    assert "This preview has expired or was already imported" in again.content.decode()
    assert DiaryEntry.objects.count() == 2


def test_a_forged_token_applies_nothing(alice_client, leon):
    preview(alice_client, full_export())
    response = alice_client.post(CONFIRM, {"token": "forged"})
    assert response.status_code == 400
    assert counts() == (0, 0, 0, 0)


# Screening ------------------------------------------------------------------------------


def test_a_held_word_holds_the_imported_review_and_says_so(alice, alice_client, leon):
    make_watched_word("dubious", action="hold")
    rows = corpus.reviews_rows("A dubious ending.")
    _shown, done = import_file(alice_client, csv_bytes("reviews", rows), name="r.csv")
    review = Review.objects.get(author=alice)
    assert review.is_hidden and review.is_held
    assert "your review of Léon: The Professional (1994) waits for a moderator" in (
        done.content.decode().replace("Your review", "your review")
    )


def test_a_blocked_word_skips_the_review_in_the_preview(alice_client, leon):
    make_watched_word("grotesquerie", action="block")
    rows = corpus.reviews_rows("Such grotesquerie.")
    response = preview(alice_client, csv_bytes("reviews", rows), "r.csv")
    assert response.context["plan"].reviews == {}
    assert response.context["plan"].skipped_count == 1


def test_a_word_blocked_between_preview_and_confirm_is_reported_not_a_500(
    alice, alice_client, leon
):
    rows = corpus.reviews_rows("Such grotesquerie.")
    shown = preview(alice_client, csv_bytes("reviews", rows), "r.csv")
    make_watched_word("grotesquerie", action="block")
    done = alice_client.post(CONFIRM, {"token": token_of(shown)}, follow=True)
    assert done.status_code == 200
    assert "Not imported" in done.content.decode()
    assert not Review.objects.filter(author=alice).exists()


def test_a_blocked_tag_skips_the_viewing(alice_client, leon):
    make_watched_word("grotesquerie", action="block")
    rows = [film_row(Tags="grotesquerie", **{"Watched Date": "2020-01-01"})]
    planned = preview(alice_client, csv_bytes("diary", rows), "d.csv").context["plan"]
    assert planned.diary == [] and planned.skipped_count == 1


# Who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [IMPORT, EXPORT, "/diary/import/done/"])
def test_a_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_visitor_cannot_confirm(client):
    response = client.post(CONFIRM, {"token": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["member", "moderator"])
def test_members_and_moderators_import_and_export_their_own(who, leon):
    user = make_user() if who == "member" else make_moderator()
    client = Client()
    client.force_login(user)
    assert client.get(IMPORT).status_code == 200
    import_file(client, csv_bytes("ratings", [film_row(Rating="4")]), name="r.csv")
    assert Review.objects.get().author == user
    assert client.get(EXPORT).status_code == 200


def test_the_export_holds_only_the_members_own_data(alice, bob, leon):
    make_review(author=bob, film=leon, rating=3, body="Bob's words.")
    client = Client()
    client.force_login(alice)
    files = unzip(client.get(EXPORT).content)
    assert len(files["ratings.csv"]) == 1  # the header only
    assert "Bob's words." not in json.dumps(files)


def test_a_silenced_member_cannot_import(alice, alice_client, leon):
    from django.utils import timezone

    from leonsite.accounts.models import Profile

    shown = preview(alice_client, csv_bytes("ratings", [film_row(Rating="4")]), "r.csv")
    Profile.objects.filter(user=alice).update(silenced_until=timezone.now() + timedelta(days=3))
    again = preview(alice_client, csv_bytes("ratings", [film_row(Rating="4")]), "r.csv")
    assert again.status_code == 403
    assert alice_client.post(CONFIRM, {"token": token_of(shown)}).status_code == 403
    assert counts() == (0, 0, 0, 0)
    assert alice_client.get(EXPORT).status_code == 200  # their data stays theirs to take


def test_the_import_is_rate_limited(alice_client, leon, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "letterboxd-preview": {"user": ["2/h"]}}
    data = csv_bytes("ratings", [film_row(Rating="4")])
    assert preview(alice_client, data, "r.csv").status_code == 200
    assert preview(alice_client, b"", "r.csv").status_code == 400  # a bad file counts too
    assert preview(alice_client, data, "r.csv").status_code == 429


def test_the_confirm_is_rate_limited(alice_client, leon, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "letterboxd-import": {"user": ["1/h"]}}
    import_file(alice_client, csv_bytes("ratings", [film_row(Rating="4")]), name="r.csv")
    shown = preview(alice_client, csv_bytes("diary", corpus.diary_rows()), "d.csv")
    assert alice_client.post(CONFIRM, {"token": token_of(shown)}).status_code == 429
    assert DiaryEntry.objects.count() == 0


def test_pages_link_to_import_and_export(alice, alice_client):
    for url in ("/accounts/settings/", f"/u/{alice.username}/diary/"):
        page = alice_client.get(url).content.decode()
        assert IMPORT in page and EXPORT in page, url


# Export ---------------------------------------------------------------------------------


def unzip(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"))))
            for name in archive.namelist()
        }


def test_the_export_is_letterboxds_own_files_and_columns(alice, alice_client, leon, nikita):
    import_file(alice_client, full_export())
    response = alice_client.get(EXPORT)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="leonsite-letterboxd-')
    files = unzip(response.content)
    for kind, name in letterboxd.FILE_NAMES.items():
        assert files[name][0] == list(letterboxd.COLUMNS[kind])
    diary_rows = files["diary.csv"][1:]
    assert [row[1:] for row in diary_rows] == [
        [
            "Léon: The Professional",
            "1994",
            corpus.LEON_URI,
            "4",
            "",
            "cinema, with friends",
            "2023-12-30",
        ],
        ["Léon: The Professional", "1994", corpus.LEON_URI, "4.5", "Yes", "", "2024-01-04"],
    ]
    assert files["ratings.csv"][1][1:] == ["Léon: The Professional", "1994", corpus.LEON_URI, "4.5"]
    assert files["reviews.csv"][1][6] == "The plant scene still gets me."
    assert files["watchlist.csv"][1][1:] == ["Nikita", "1990", corpus.NIKITA_URI]
    assert files["likes/films.csv"][1][1] == "Léon: The Professional"


def test_export_cells_that_a_spreadsheet_would_run_are_escaped(alice, leon):
    make_review(author=alice, film=leon, rating=6, body='=HYPERLINK("http://x")')
    diary.entry_create(user=alice, film=leon, watched_on=corpus_date("2020-01-01"), tags="+1, @me")
    client = Client()
    client.force_login(alice)
    files = unzip(client.get(EXPORT).content)
    assert files["reviews.csv"][1][6] == '\'=HYPERLINK("http://x")'
    assert files["diary.csv"][1][6] == "'+1, @me"


def test_a_round_trip_into_a_fresh_account_brings_the_same_film_life(alice, leon, nikita):
    make_review(author=alice, film=leon, rating=9, body="- a list\n- of things")
    diary.entry_create(
        user=alice, film=leon, watched_on=corpus_date("2019-03-01"), rating=7, tags="cinema"
    )
    diary.entry_create(
        user=alice,
        film=leon,
        watched_on=corpus_date("2021-06-02"),
        rewatch=True,
        rating=9,
        liked=True,
    )
    diary.watchlist_add(user=alice, film=nikita)
    client = Client()
    client.force_login(alice)
    exported = client.get(EXPORT).content

    fresh = make_user("fresh")
    other = Client()
    other.force_login(fresh)
    import_file(other, exported)

    def life(user):
        return (
            sorted(
                DiaryEntry.objects.filter(user=user).values_list(
                    "film", "watched_on", "rewatch", "rating", "tags", "liked"
                )
            ),
            sorted(Review.objects.filter(author=user).values_list("film", "rating", "body")),
            sorted(WatchlistItem.objects.filter(user=user).values_list("film", flat=True)),
        )

    assert life(fresh) == life(alice)


# Queries ------------------------------------------------------------------------------


def _rows(n, films):
    return [
        film_row(
            name=films[i % len(films)].title,
            year=str(films[i % len(films)].year),
            uri=f"https://boxd.it/e{i}",
            Rating="3.5",
            Tags="cinema",
            **{"Watched Date": (date(2000, 1, 1) + timedelta(days=i)).isoformat()},
        )
        for i in range(n)
    ]


def _queries(client, method, *args, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(*args, **kwargs)
    return response, len(captured)


def test_the_preview_runs_the_same_queries_for_10_and_500_rows(alice_client, leon, nikita):
    films = [leon, nikita, *(make_film(title=f"Other {n}", year=2000) for n in range(5))]
    small = csv_bytes("diary", _rows(10, films))
    large = csv_bytes("diary", _rows(500, films))
    preview(alice_client, small, "d.csv")  # warm the session
    _r, at_10 = _queries(alice_client, "post", IMPORT, {"upload": upload(small, "d.csv")})
    response, at_500 = _queries(alice_client, "post", IMPORT, {"upload": upload(large, "d.csv")})
    assert len(response.context["plan"].diary) == 500
    assert at_10 == at_500
    print("preview queries:", at_10, at_500)
    assert at_500 <= 20


def test_the_confirm_runs_a_bounded_number_of_queries_per_row(alice_client, leon, nikita):
    films = [leon, nikita]
    counts_seen = []
    for n in (10, 50):
        user = make_user()
        client = Client()
        client.force_login(user)
        shown = preview(client, csv_bytes("diary", _rows(n, films)), "d.csv")
        _r, count = _queries(client, "post", CONFIRM, {"token": token_of(shown)})
        counts_seen.append(count)
    per_row = (counts_seen[1] - counts_seen[0]) / 40
    print("confirm queries at 10 and 50 rows:", counts_seen)
    assert per_row <= 10, counts_seen


# The JSON export ----------------------------------------------------------------------


def test_the_json_export_holds_the_whole_film_life_and_follows(alice, bob, leon, nikita):
    from reviews import follows

    diary.entry_create(user=alice, film=leon, watched_on=corpus_date("2020-01-01"), rating=8)
    make_review(author=alice, film=nikita, rating=6, body="Fine.")
    diary.watchlist_add(user=alice, film=nikita)
    follows.follow(follower=alice, followed=bob)
    follows.block(blocker=alice, blocked=make_user("pest"))
    LetterboxdFilm.objects.create(user=alice, uri=corpus.LEON_URI, film=leon)
    exported = accounts.account_export(user=alice)
    for key in ("diary", "watchlist", "ratings", "reviews", "following", "blocking"):
        assert exported[key], key
    assert {r["film"] for r in exported["ratings"]} == {leon.slug, nikita.slug}
    assert exported["letterboxd_addresses"] == [{"uri": corpus.LEON_URI, "film": leon.slug}]
    accounts.account_delete(user=alice)
    assert not LetterboxdFilm.objects.filter(user=alice).exists()


def test_the_settings_page_says_what_the_json_export_holds(alice_client):
    page = alice_client.get("/accounts/settings/").content.decode()
    assert "diary, watchlist, follows and blocks" in page


def test_the_preview_speaks_french(alice_client, leon):
    rows = [film_row(name="Taxi Driver", year="1976", Rating="4"), film_row(Rating="4")]
    response = alice_client.post(
        "/fr" + IMPORT, {"upload": upload(csv_bytes("ratings", rows), "r.csv")}
    )
    text = page(response)
    assert "Vérifiez votre import Letterboxd" in text
    assert "Absent du catalogue\u00a0: Taxi Driver (1976)" in text


def test_a_bad_file_is_explained_in_french(alice_client):
    response = alice_client.post("/fr" + IMPORT, {"upload": upload(b"", "r.csv")})
    assert response.status_code == 400
    assert "Le fichier est vide." in page(response)


def test_a_21_mb_upload_in_french_gets_the_forms_message_too(alice_client):
    response = alice_client.post("/fr" + IMPORT, {"upload": upload(b"a" * (21 << 20), "b.csv")})
    assert response.status_code == 400
    assert "Le fichier dépasse 20 Mo" in page(response)
