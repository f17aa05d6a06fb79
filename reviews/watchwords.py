"""Watched words: find the admin's watched words in a post, whatever its case or accents.

Words match on word boundaries (`ass` never matches “classic”); `*` stands for any run of
letters or digits (`spam*` matches “spammer”). No regular expression typed in the admin
ever runs, so a watched word cannot make matching slow.
"""

import re
import unicodedata
from dataclasses import dataclass

from .models import WatchedWord

# Strongest first: a post with a blocked word and a held word is blocked.
STRENGTH = [WatchedWord.Action.BLOCK, WatchedWord.Action.HOLD, WatchedWord.Action.REPORT]


def normalize(text: str) -> str:
    """Case-folded, accents removed (é → e, Ł stays Ł's base where Unicode has one)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFKC", stripped).casefold()


def _pattern(normalized_word: str) -> str:
    parts = [re.escape(part) for part in normalized_word.split("*")]
    body = r"\w*".join(parts)
    body = re.sub(r"(\\ )+", r"\\s+", body)  # any spacing between the words of a phrase
    return rf"(?<!\w){body}(?!\w)"


@dataclass(frozen=True)
class Match:
    action: str
    word: str

    @property
    def blocks(self) -> bool:
        return self.action == WatchedWord.Action.BLOCK

    @property
    def holds(self) -> bool:
        return self.action == WatchedWord.Action.HOLD

    @property
    def reports(self) -> bool:
        return self.action == WatchedWord.Action.REPORT


def screen(*texts: str) -> Match | None:
    """The strongest watched word found in the texts, or None. One query."""
    text = normalize("\n".join(t for t in texts if t))
    if not text.strip():
        return None
    words = list(WatchedWord.objects.values_list("word", "normalized", "action"))
    for action in STRENGTH:
        for word, normalized, word_action in words:
            if word_action == action and re.search(_pattern(normalized), text):
                return Match(action=action, word=word)
    return None
