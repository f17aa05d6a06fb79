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
