"""Template tags for the admin index: the review queue's size (two COUNT queries)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def review_queue_size() -> int:
    from claims.workspace import queue_size  # leaf: keeps template loading free of views

    return queue_size()
