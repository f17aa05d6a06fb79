"""What a reader can read on a page without asking for a spoiler.

A page is read as a browser shows it before any click: text, attribute values (meta
tags, alt text, aria labels, links) and script data (JSON-LD) all count, except what
sits inside a closed spoiler guard: the body of a `<details class="spoiler-box">`
without `open` (its summary is read), and the `.spoiler-text` of an inline guard whose
checkbox is not checked.
"""

from html.parser import HTMLParser

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, opens a guard)
        self.guarded = 0  # open guard elements around the current point
        self.summary = 0  # inside the <summary> of the innermost closed <details>
        self.visible: list[str] = []
        self.hidden: list[str] = []
        self.open_guard_without_checkbox = False
        self._inline_checked: list[bool] = []

    def _sink(self):
        return self.hidden if self.guarded and not self.summary else self.visible

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        self._sink().extend(v for _, v in attrs if v)
        if tag in VOID:
            if tag == "input" and "spoiler-toggle" in classes and self._inline_checked:
                self._inline_checked[-1] = "checked" in values
            return
        guard = False
        if tag == "details" and "spoiler-box" in classes and "open" not in values:
            guard = True
        elif tag == "span" and "spoiler-text" in classes:
            guard = not (self._inline_checked and self._inline_checked[-1])
        if tag == "label" and "spoiler-inline" in classes:
            self._inline_checked.append(False)
        if tag == "summary" and self.stack and self.stack[-1] == ("details", True):
            self.summary += 1
        self.stack.append((tag, guard))
        self.guarded += guard

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, guard = self.stack.pop()
            self.guarded -= guard
            if open_tag == "summary" and self.summary and self.stack[-1:] == [("details", True)]:
                self.summary -= 1
            if open_tag == "label" and self._inline_checked:
                self._inline_checked.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        self._sink().append(data)


def read(html: str) -> tuple[str, str]:
    """(what the reader sees at once, what waits behind closed guards)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return " ".join(reader.visible), " ".join(reader.hidden)
