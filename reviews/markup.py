"""Markdown to safe HTML for members' writing.

Markdown renders first (raw HTML included), then nh3 keeps only a small set of tags and
attributes: whatever the Markdown held, the stored HTML is the sanitiser's output, so
`nh3.clean(html) == html`.
"""

import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "ul",
}
ATTRIBUTES = {"a": {"href", "title"}}
# A spoiler span is focusable so that it can be revealed without JavaScript (CSS :focus).
TAG_ATTRIBUTE_VALUES = {"span": {"tabindex": {"0"}}}
ALLOWED_CLASSES = {"span": {"spoiler"}}
LINK_REL = "nofollow ugc noopener noreferrer"
URL_SCHEMES = {"http", "https", "mailto"}

SPOILER_RE = r"\|\|(?=\S)(.+?)(?<=\S)\|\|"


class _SpoilerProcessor(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 - Markdown's API name
        element = etree.Element("span")
        element.set("class", "spoiler")
        element.set("tabindex", "0")
        element.text = m.group(1)
        return element, m.start(0), m.end(0)


class MemberMarkdownExtension(Extension):
    """Escapes raw HTML; `||text||` becomes <span class="spoiler" tabindex="0">text</span>."""

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API name
        # Raw HTML is shown as the text it is, not interpreted: a member who writes
        # "<script>" or "<3" sees exactly that.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # Above emphasis (60) so **bold** inside a spoiler still renders.
        md.inlinePatterns.register(_SpoilerProcessor(SPOILER_RE, md), "spoiler", 65)


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ATTRIBUTES,
        tag_attribute_values=TAG_ATTRIBUTE_VALUES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel=LINK_REL,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style"},
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    if not text or not text.strip():
        return ""
    html = markdown.markdown(text, extensions=[MemberMarkdownExtension()], output_format="html")
    return sanitise(html)
