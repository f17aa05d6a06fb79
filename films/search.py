"""Site search over one index table, with SQLite FTS5 or PostgreSQL full-text search.

Text is folded in Python (accents stripped, case folded) before it is indexed and before
it is queried, so both databases see identical tokens. The database finds candidates
(any query word, as a prefix) through its full-text index; a portable ranking then orders
them (words matched, then title matches, then the kind's weight), so SQLite and
PostgreSQL return the same results for the same data.

What a spoiler says is indexed apart (`spoiler_text`): a query that matches only there
finds the item, marked "matches inside a spoiler", and shows nothing of the match.

Each app registers the kinds it owns (`register`); the films app never imports reviews.
"""

import bisect
import hashlib
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils.translation import get_language
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from leonsite.lib import caching
from leonsite.lib.db import bulk_load
from leonsite.lib.language import localized
from leonsite.lib.text import fold

MAX_TERMS = 12
MAX_TERM_LENGTH = 40
MIN_QUERY_LENGTH = 2
CANDIDATES = 400
_WORD = re.compile(r"\w+")


def query_terms(query: str) -> list[str]:
    terms = []
    for word in fold(query[:1000]).split():
        word = word[:MAX_TERM_LENGTH]
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


@dataclass
class Document:
    kind: str
    object_id: int
    title: str
    subtitle: str
    url: str
    text: str  # everything searchable; folded on save
    # What only a spoiler says (a spoiler quote's line, a review's hidden text): indexed
    # apart, and never shown in results. Title and subtitle must hold no spoiler.
    spoiler_text: str = ""


@dataclass
class Kind:
    name: str
    label: str
    weight: int
    build: Callable[[Iterable[int] | None], Iterable[Document]]
    # Many rows (reviews): kept in a separate text index, and not ranked over every
    # match — the newest matches are taken, then ranked with the rest.
    bulk: bool = False


KINDS: dict[str, Kind] = {}


def register(name: str, label: str, weight: int, build, *, bulk: bool = False) -> None:
    KINDS[name] = Kind(name, label, weight, build, bulk)


# -- keeping the index fresh ------------------------------------------------------------

_pending = threading.local()


def schedule(kind: str, object_id: int) -> None:
    """Reindex an object after the current transaction commits.

    Items collect per thread; every commit hook drains all of them, so an object saved
    many times in one transaction is reindexed once, and items left by a rolled-back
    transaction are picked up (from the database's real state) by the next commit.
    """
    items = getattr(_pending, "items", None)
    if items is None:
        items = _pending.items = set()
    items.add((kind, object_id))
    transaction.on_commit(_flush)


def _flush():
    items, _pending.items = getattr(_pending, "items", None) or set(), set()
    by_kind: dict[str, set[int]] = {}
    for kind, object_id in items:
        by_kind.setdefault(kind, set()).add(object_id)
    for kind, ids in by_kind.items():
        reindex(kind, ids)
    if any(not KINDS[kind].bulk for kind in by_kind):
        refresh_words()


REINDEX_BATCH = 5000
# Moves on once the index has changed and committed: pages built from the index (search,
# its suggestions) are cached under it, not under the writes that queued the change,
# since the index follows those writes only after they commit.
INDEX_VERSION = "search-index"


ENTRY_FIELDS = ["kind", "object_id", "title", "subtitle", "url", "text", "spoiler_text"]
ENTRY_FIELDS += ["weight", "bulk"]


def _entry_values(doc: Document, spec: Kind) -> tuple:
    """A document as the index stores it (ENTRY_FIELDS): text folded, titles cut."""
    return (
        doc.kind, doc.object_id, doc.title[:300], doc.subtitle[:300], doc.url,
        fold(doc.title + " " + doc.text), fold(doc.spoiler_text), spec.weight, spec.bulk,
    )  # fmt: skip


def reindex(kind: str, ids: Iterable[int] | None = None) -> int:
    """Rebuild the entries of one kind: all of them when ids is None (replaced in batches
    streamed into the table, so a million reviews take no more memory than a few
    thousand), else those objects' (upserted, so two commits reindexing the same object
    at once cannot both insert it; objects no longer shown lose their entry)."""
    from .models import SearchEntry

    spec = KINDS[kind]
    count = 0
    with transaction.atomic():
        if ids is None:
            SearchEntry.objects.filter(kind=kind).delete()
            documents = iter(spec.build(None))
            # A batch is read whole before it is written: the builder's own reads must
            # not interleave with PostgreSQL's COPY on the same connection.
            while batch := list(islice(documents, REINDEX_BATCH)):
                rows = (_entry_values(doc, spec) for doc in batch)
                count += bulk_load(SearchEntry, ENTRY_FIELDS, rows)
        else:
            wanted = set(ids)
            entries = [
                SearchEntry(**dict(zip(ENTRY_FIELDS, _entry_values(doc, spec), strict=True)))
                for doc in spec.build(wanted)
            ]
            gone = wanted - {entry.object_id for entry in entries}
            SearchEntry.objects.filter(kind=kind, object_id__in=gone).delete()
            SearchEntry.objects.bulk_create(
                entries,
                update_conflicts=True,
                unique_fields=["kind", "object_id"],
                update_fields=ENTRY_FIELDS[2:],
            )
            count = len(entries)
    if ids is None and connection.vendor == "sqlite":
        # Merge the text indexes' segments, dropping the tombstones of the rows replaced.
        table = "films_searchentry_bulk_fts" if spec.bulk else "films_searchentry_fts"
        with connection.cursor() as cursor:
            for name in (table, "films_searchentry_spoiler_fts"):
                cursor.execute(f"INSERT INTO {name}({name}) VALUES ('optimize')")  # noqa: S608
    caching.bump(INDEX_VERSION)
    return count


def rebuild() -> dict[str, int]:
    """Rebuild every kind; pending per-object reindexes become redundant."""
    counts = {kind: reindex(kind) for kind in KINDS}
    refresh_words()
    _pending.items = set()
    return counts


# -- forgiving typos ----------------------------------------------------------------------

WORDS_VERSION = "search-words"


def refresh_words() -> int:
    """Bring the table of the catalogue's words (SearchWord) in step with the open text
    of its entries: never a spoiler's words, which a suggestion would give away, nor
    members' posts, which are too many and too freely spelt. Returns the words kept."""
    from .models import SearchEntry, SearchWord

    counts: Counter[str] = Counter()
    for text in SearchEntry.objects.filter(bulk=False).values_list("text", flat=True):
        counts.update(word[:MAX_TERM_LENGTH] for word in text.split())
    with transaction.atomic():
        known = dict(SearchWord.objects.values_list("word", "occurrences"))
        gone = sorted(known.keys() - counts.keys())
        for at in range(0, len(gone), 500):
            SearchWord.objects.filter(word__in=gone[at : at + 500]).delete()
        # Another commit may add the same new word meanwhile: its row is as good as ours.
        SearchWord.objects.bulk_create(
            (SearchWord(word=w, occurrences=n) for w, n in counts.items() if w not in known),
            ignore_conflicts=True,
        )
        changed = {w: n for w, n in counts.items() if w in known and known[w] != n}
        SearchWord.objects.bulk_update(
            [
                SearchWord(id=id_, word=word, occurrences=changed[word])
                for id_, word in SearchWord.objects.filter(word__in=changed).values_list(
                    "id", "word"
                )
            ],
            ["occurrences"],
            batch_size=500,
        )
    caching.bump(WORDS_VERSION)
    return len(counts)


def _edits_allowed(term: str) -> int:
    """Longer words forgive more: none below four letters, one up to five, then two."""
    return 0 if len(term) < 4 else 1 if len(term) <= 5 else 2


SQLITE_NEAR_WORDS = (
    "SELECT w.word, w.occurrences FROM films_searchword_fts f "
    "JOIN films_searchword w ON w.id = f.rowid WHERE films_searchword_fts MATCH %s "
    "UNION SELECT word, occurrences FROM films_searchword WHERE {}"
)
SQLITE_NEAR_START = "(substr(word, 1, 1) IN (%s, %s) AND length(word) BETWEEN %s AND %s)"


def _near_words(terms: list[str]) -> dict[str, int]:
    """The candidates a term's correction is chosen from, with their counts: the
    catalogue's words that share a trigram with a term, and those of about its length
    that begin with its first or second letter (which trigrams miss in short words with
    an early slip: "jaen" and "jean", "elon" and "leon" share none). One query, through
    the trigram index of either database (pg_trgm's GIN index answers LIKE)."""
    from .models import SearchWord

    grams = sorted({term[i : i + 3] for term in terms for i in range(len(term) - 2)})
    starts = [
        (term[0], term[1], len(term) - _edits_allowed(term), len(term) + _edits_allowed(term))
        for term in terms
    ]
    if connection.vendor == "sqlite":
        # Folded terms hold word characters only, so they cannot break the MATCH syntax.
        match = " OR ".join(f'"{gram}"' for gram in grams)
        sql = SQLITE_NEAR_WORDS.format(" OR ".join([SQLITE_NEAR_START] * len(starts)))
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, *(value for start in starts for value in start)])
            return dict(cursor.fetchall())
    near = Q()
    for gram in grams:
        near |= Q(word__contains=gram)
    for first, second, shortest, longest in starts:
        begins = Q(word__startswith=first) | Q(word__startswith=second)
        near |= begins & Q(size__gte=shortest, size__lte=longest)
    words = SearchWord.objects.annotate(size=Length("word")).filter(near)
    return dict(words.values_list("word", "occurrences"))


def corrections(terms: list[str]) -> dict[str, str]:
    """For each term that is neither a word of the catalogue nor the start of one, the
    nearest word within its allowed edits (insertions, deletions, substitutions and
    swapped neighbours). On a tie, the word that begins most like the term (people get
    the start of a word right more often: "hart" is "heart", not "part"), then the
    commonest."""
    terms = [term for term in terms if _edits_allowed(term)]
    if not terms:
        return {}
    near = _near_words(terms)
    words = sorted(near)
    fixed = {}
    for term in terms:
        at = bisect.bisect_left(words, term)
        if at < len(words) and words[at].startswith(term):
            continue
        found = process.extract(
            term,
            words,
            scorer=DamerauLevenshtein.distance,
            score_cutoff=_edits_allowed(term),
            limit=None,
        )
        if found:
            best = min(
                found,
                key=lambda m: (m[1], -JaroWinkler.similarity(term, m[0]), -near[m[0]], m[0]),
            )
            fixed[term] = best[0]
    return fixed


# -- searching --------------------------------------------------------------------------


@dataclass
class Results:
    """Entries grouped by kind. An entry whose open text matches no query word was found
    only inside a spoiler: it carries `inside_spoiler` and is shown by its title alone."""

    query: str
    terms: list[str]
    groups: dict[str, list] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    # The query as the catalogue spells it, when some of its words matched nothing as
    # typed ("Did you mean …"); its words are searched along with the typed ones.
    suggestion: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


BULK_CANDIDATES = 200

PG_RANKED = (
    "SELECT e.id FROM films_searchentry e "
    "WHERE NOT e.bulk AND e.document @@ to_tsquery('simple', %(q)s) "
    "AND (%(kind)s = '' OR e.kind = %(kind)s) "
    "ORDER BY ts_rank(e.document, to_tsquery('simple', %(q)s)) DESC, "
    "e.weight DESC, e.id LIMIT %(limit)s"
)
# The newest matches of a bulk kind, in one statement whatever the data: first by walking
# the newest rows (cheap when the words are common), and only when those hold too few, by
# the GIN index over every row (cheap when the words are rare). The second part's guard
# is a constant for the statement, so PostgreSQL skips that part when it is false.
PG_NEWEST = (
    "WITH recent AS MATERIALIZED ("
    " SELECT e.id FROM films_searchentry e"
    " WHERE e.bulk AND e.kind = %(kind)s AND e.document @@ to_tsquery('simple', %(q)s)"
    " AND e.id > (SELECT max(id) FROM films_searchentry WHERE bulk) - %(window)s"
    " ORDER BY e.id DESC LIMIT %(limit)s),"
    " everything AS MATERIALIZED ("
    " SELECT e.id FROM films_searchentry e"
    " WHERE (SELECT count(*) FROM recent) < %(limit)s"
    " AND e.bulk AND e.kind = %(kind)s AND e.document @@ to_tsquery('simple', %(q)s))"
    " SELECT id FROM recent"
    " UNION SELECT id FROM (SELECT id FROM everything ORDER BY id DESC LIMIT %(limit)s) older"
)
BULK_WINDOW = 5000
SQLITE_RANKED = (
    "SELECT e.id FROM films_searchentry_fts f "
    "JOIN films_searchentry e ON e.id = f.rowid "
    "WHERE films_searchentry_fts MATCH %s AND (%s = '' OR e.kind = %s) "
    "ORDER BY bm25(films_searchentry_fts), e.weight DESC, e.id LIMIT %s"
)
SQLITE_NEWEST = (
    "SELECT e.id FROM films_searchentry_bulk_fts f "
    "JOIN films_searchentry e ON e.id = f.rowid "
    "WHERE films_searchentry_bulk_fts MATCH %s AND e.kind = %s "
    "ORDER BY f.rowid DESC LIMIT %s"
)


# Matches inside spoilers, newest first, apart from the open text's indexes: as for the
# reviews, first among the newest entries that have spoiler text (a partial index walks
# them), and only when those hold too few, through the spoiler text's GIN index.
PG_SPOILERS = (
    "WITH recent AS MATERIALIZED ("
    " SELECT w.id FROM (SELECT e.id, e.kind, e.spoiler_document FROM films_searchentry e"
    " WHERE e.spoiler_text <> '' ORDER BY e.id DESC LIMIT %(window)s) w"
    " WHERE w.spoiler_document @@ to_tsquery('simple', %(q)s)"
    " AND (%(kind)s = '' OR w.kind = %(kind)s) ORDER BY w.id DESC LIMIT %(limit)s),"
    " everything AS MATERIALIZED ("
    " SELECT e.id FROM films_searchentry e"
    " WHERE (SELECT count(*) FROM recent) < %(limit)s"
    " AND e.spoiler_text <> '' AND e.spoiler_document @@ to_tsquery('simple', %(q)s)"
    " AND (%(kind)s = '' OR e.kind = %(kind)s))"
    " SELECT id FROM recent"
    " UNION SELECT id FROM (SELECT id FROM everything ORDER BY id DESC LIMIT %(limit)s) older"
)
SPOILER_WINDOW = 1000
SQLITE_SPOILERS = (
    "SELECT e.id FROM films_searchentry_spoiler_fts f "
    "JOIN films_searchentry e ON e.id = f.rowid "
    "WHERE films_searchentry_spoiler_fts MATCH %s AND (%s = '' OR e.kind = %s) "
    "ORDER BY f.rowid DESC LIMIT %s"
)
SPOILER_CANDIDATES = 50


def _candidate_ids(terms: list[str], kind: str | None, *, catalogue_only=False) -> list[int]:
    """Ids of the entries holding any term (as a word's start). `catalogue_only` leaves
    out members' posts and matches inside spoilers (for suggestions as one types)."""
    # Terms are folded to word characters only, so they cannot break the query syntax.
    wanted = kind or ""
    bulk = [
        name
        for name, spec in KINDS.items()
        if spec.bulk and wanted in ("", name) and not catalogue_only
    ]
    ranked = wanted == "" or not KINDS[wanted].bulk
    pg = connection.vendor == "postgresql"
    expression = (
        " | ".join(f"{t}:*" for t in terms) if pg else " OR ".join(f'"{t}"*' for t in terms)
    )
    steps: list[tuple[str, Any]] = []
    if ranked:
        if pg:
            steps.append((PG_RANKED, {"q": expression, "kind": wanted, "limit": CANDIDATES}))
        else:
            steps.append((SQLITE_RANKED, [expression, wanted, wanted, CANDIDATES]))
    for name in bulk:
        if pg:
            params = {"q": expression, "kind": name, "limit": BULK_CANDIDATES}
            steps.append((PG_NEWEST, params | {"window": BULK_WINDOW}))
        else:
            steps.append((SQLITE_NEWEST, [expression, name, BULK_CANDIDATES]))
    if catalogue_only:
        pass
    elif pg:
        params = {"q": expression, "kind": wanted, "limit": SPOILER_CANDIDATES}
        steps.append((PG_SPOILERS, params | {"window": SPOILER_WINDOW}))
    else:
        steps.append((SQLITE_SPOILERS, [expression, wanted, wanted, SPOILER_CANDIDATES]))
    ids = []
    with connection.cursor() as cursor:
        for sql, params in steps:
            cursor.execute(sql, params)
            ids += [row[0] for row in cursor.fetchall()]
    return ids


def _score(entry, terms: list[str]) -> tuple:
    """Ranked on the open text only (a spoiler's words must not move anything up);
    matches found only inside spoilers come after every open match."""
    # Folded text is words between single spaces: a word starting with t is " t" in it.
    # (A substring search in C: splitting a long review into words cost more than the
    # database's part of a search.)
    padded = " " + entry.text
    title_words = fold(entry.title).split()
    matched = sum(1 for t in terms if " " + t in padded)
    entry.inside_spoiler = matched == 0
    in_title = sum(1 for t in terms if any(w.startswith(t) for w in title_words))
    whole_words = sum(1 for t in terms if t in title_words)
    exact_title = fold(entry.title) == " ".join(terms)
    # Of two titles holding the words, the one they fill more of names the thing itself:
    # "Mathilda Lando" before "Mathilda's Mother", "Jean Reno" before a longer title.
    coverage = in_title / len(title_words) if title_words else 0
    return (
        -matched, -int(exact_title), -in_title, -whole_words, -coverage, -entry.weight,
        padded.count(" "), entry.id,
    )  # fmt: skip


def _terms_and_suggestion(query: str) -> tuple[list[str], list[str], str]:
    """The query's terms; the terms to search for (with the corrections of any the
    catalogue does not know); and the query as the catalogue spells it, if it differs."""
    terms = query_terms(query)
    if len(" ".join(terms)) < MIN_QUERY_LENGTH:
        return [], [], ""
    fixed = corrections(terms)
    if not fixed:
        return terms, terms, ""
    wanted = list(dict.fromkeys(terms + list(fixed.values())))
    return terms, wanted, " ".join(fixed.get(t, t) for t in terms)


def _ranked(ids: list[int], terms: list[str]) -> list[tuple[tuple, Any]]:
    """The entries with their scores, best first (scores end with the id: no ties)."""
    from .models import SearchEntry

    scored = [(_score(entry, terms), entry) for entry in SearchEntry.objects.filter(id__in=ids)]
    return sorted(scored, key=lambda pair: pair[0])


def search(query: str, kind: str | None = None, per_kind: int = 5) -> Results:
    """Ranked results grouped by kind; `kind` asks for one kind only (then paginate)."""
    typed, terms, suggestion = _terms_and_suggestion(query)
    results = Results(query=query, terms=typed, suggestion=suggestion)
    if not terms:
        return results
    ids = _candidate_ids(terms, kind)
    # Best first, so each kind's group comes in the order of its best entry.
    for _, entry in _ranked(ids, terms):
        results.groups.setdefault(entry.kind, []).append(entry)
    results.counts = {k: len(v) for k, v in results.groups.items()}
    if kind is None:
        results.groups = {k: v[:per_kind] for k, v in results.groups.items()}
    return results


SUGGESTIONS = 8


def suggest(query: str, limit: int = SUGGESTIONS) -> list[dict[str, str]]:
    """What the search box offers as one types: the catalogue's best matches (members'
    posts and matches inside spoilers left out), typos forgiven. Kept in the cache per
    query until the catalogue's words change."""
    typed = query_terms(query)
    key = "search-suggest:{}:{}:{}".format(
        caching.version(WORDS_VERSION),
        get_language(),
        hashlib.sha256(" ".join(typed).encode()).hexdigest(),
    )
    found = cache.get(key)
    if found is None:
        _, terms, _ = _terms_and_suggestion(query)
        found = []
        if terms:
            ids = _candidate_ids(terms, None, catalogue_only=True)
            found = [
                {"title": e.title, "subtitle": e.subtitle, "url": localized(e.url), "kind": e.kind}
                for score, e in _ranked(ids, terms)
                if score[0]  # some word matched the open text, not only a spoiler
            ][:limit]
        cache.set(key, found, 3600)
    return found
