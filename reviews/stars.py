"""Half-star ratings (stored 1–10) written for people, in one place."""


def stars(rating: int | None, style: str = "text") -> str:
    """`text`: "3.5 stars", "1 star", "half a star"; `glyphs`: "★★★½"; `short`: "3.5★"."""
    if not rating:
        return ""
    value = int(rating) / 2
    if style == "glyphs":
        whole, half = divmod(int(rating), 2)
        return "★" * whole + ("½" if half else "")
    if style == "short":
        return f"{value:g}★"
    if value == 0.5:
        return "half a star"
    return f"{value:g} star{'' if value == 1 else 's'}"
