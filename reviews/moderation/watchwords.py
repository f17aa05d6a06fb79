"""Watched words: find the admin's watched words in a post, whatever its case, accents
or punctuation.

Posts and words are folded the same way (leonsite.lib.text.fold). Words match on word
boundaries (`ass` never matches “classic”); `*` stands for any run of letters or digits
(`spam*` matches “spammer”). No regular expression typed in the admin ever runs, so a
watched word cannot make matching slow.
"""

import re
from dataclasses import dataclass

from leonsite.lib.text import fold

from .models import WatchedWord

# Strongest first: a post with a blocked word and a held word is blocked.
STRENGTH = [WatchedWord.Action.BLOCK, WatchedWord.Action.HOLD, WatchedWord.Action.REPORT]


def _pattern(folded_word: str) -> str:
    parts = [re.escape(part) for part in folded_word.split("*")]
    body = r"\w*".join(parts).replace(r"\ ", " ")
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
    text = fold("\n".join(t for t in texts if t))
    if not text:
        return None
    words = list(WatchedWord.objects.values_list("word", "normalized", "action"))
    for action in STRENGTH:
        for word, folded, word_action in words:
            if word_action == action and re.search(_pattern(folded), text):
                return Match(action=action, word=word)
    return None
