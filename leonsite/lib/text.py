"""Text folding shared by search and the watched words, so both see the same words."""

import re
import unicodedata

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower-case, accent-free words separated by single spaces: 'Éric  Serra!' -> 'eric serra'.

    Compatibility forms are unfolded too ('ﬁ' -> 'fi', full-width letters -> ASCII), so
    a look-alike spelling cannot slip past a watched word or miss a search.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(stripped.casefold().replace("_", " ")))


# C0 and C1 control characters, except tab, line feed and carriage return: they have no
# place in a post, and XML (the Atom feed) cannot carry them at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Characters XML 1.0 refuses outright (besides the controls above).
_NOT_XML = re.compile(r"[\ud800-\udfff\ufffe\uffff]")


def strip_control(text: str) -> str:
    return _CONTROL.sub("", text or "")


def xml_safe(text: str) -> str:
    """Text an XML document (a feed) can carry, whatever was stored."""
    return _NOT_XML.sub("", strip_control(text))


def invisible_characters(text: str) -> list[str]:
    """Characters that do not show or that reorder what does: direction overrides
    (U+202A–U+202E, U+2066–U+2069), zero-width and other format characters, controls,
    private-use and unassigned code points, line and paragraph separators. A name
    holding one can pass for another."""
    found = []
    for char in text or "":
        if unicodedata.category(char) in ("Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp"):
            found.append(f"U+{ord(char):04X}")
    return found


# Letters from other scripts that look like Latin ones, and Latin pairs easily mistaken.
_LOOKALIKES = str.maketrans(
    {
        **dict.fromkeys("аαа", "a"),
        **dict.fromkeys("вβ", "b"),
        **dict.fromkeys("сϲ", "c"),
        **dict.fromkeys("еε", "e"),
        **dict.fromkeys("һ", "h"),
        **dict.fromkeys("іιӏ1|", "l"),
        "ј": "j",
        **dict.fromkeys("кκ", "k"),
        **dict.fromkeys("мμ", "m"),
        **dict.fromkeys("ηп", "n"),
        **dict.fromkeys("оο0σ", "o"),
        **dict.fromkeys("рρ", "p"),
        "ԛ": "q",
        **dict.fromkeys("ѕ5", "s"),
        **dict.fromkeys("тτ", "t"),
        **dict.fromkeys("υս", "u"),
        **dict.fromkeys("νѵ", "v"),
        **dict.fromkeys("ѡω", "w"),
        **dict.fromkeys("хχ", "x"),
        **dict.fromkeys("уγ", "y"),
        "ᴢ": "z",
        "i": "l",
        "_": "-",
        ".": "-",
    }
)


def skeleton(text: str) -> str:
    """What a name looks like, for telling look-alikes apart: compatibility forms
    unfolded (NFKC), accents and case dropped, look-alike letters merged, so "alíce",
    "ALICE", "аlice" (Cyrillic a) and "a1ice" share one skeleton."""
    folded = unicodedata.normalize("NFKC", text or "")
    decomposed = unicodedata.normalize("NFKD", folded.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.translate(_LOOKALIKES).replace("rn", "m").replace("vv", "w")
