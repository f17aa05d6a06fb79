"""Blocks and links that one app plugs into another app's pages.

A template names a slot (`{% slot "film.aside" film=film %}`); apps fill it from their
AppConfig.ready() with `plug()`. The catalogue's templates thereby show the community's
ratings and "add to collection" forms without loading, importing or naming anything of
the community. Registered in TEMPLATES as the `slots` tag library.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import template
from django.http import HttpRequest
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

BlockContext = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Block:
    template: str
    context: BlockContext | None
    order: int


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    order: int


_blocks: dict[str, list[Block]] = {}
_links: dict[str, list[Link]] = {}


def plug(
    slot: str, template_name: str, context: BlockContext | None = None, *, order: int = 50
) -> None:
    """Render `template_name` wherever `slot` appears, with the page's context plus the
    slot's arguments and, when given, `context(request, **arguments)`."""
    blocks = [b for b in _blocks.get(slot, []) if b.template != template_name]
    blocks.append(Block(template_name, context, order))
    _blocks[slot] = sorted(blocks, key=lambda b: b.order)


def plug_link(slot: str, label: str, url_name: str, *, order: int = 50) -> None:
    """A link in a slot's list (a page's tabs, say), placed by `order`."""
    links = [link for link in _links.get(slot, []) if link.url_name != url_name]
    links.append(Link(label, url_name, order))
    _links[slot] = sorted(links, key=lambda link: link.order)


def links(slot: str) -> list[Link]:
    return list(_links.get(slot, []))


register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context: Context, name: str, **arguments: Any) -> SafeString:
    request: HttpRequest | None = context.get("request")
    parts = []
    for block in _blocks.get(name, []):
        values = dict(arguments)
        if block.context is not None:
            values.update(block.context(request, **arguments))
        assert context.template is not None  # a slot is always rendered inside a template
        block_template = context.template.engine.get_template(block.template)
        with context.push(values):
            parts.append(block_template.render(context))
    return mark_safe("".join(parts))  # noqa: S308 - rendered templates, escaped there


@register.simple_tag(name="slot_links")
def slot_links_tag(name: str) -> list[Link]:
    return links(name)
