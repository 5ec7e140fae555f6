"""``{% may_open "outreach:posts" as shown %}``: whether the signed-in user may open a page,
asked of the page's own view, so a template links only to pages that will not answer 404."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, resolve, reverse

from safeward.core.views.generic import ScopedView

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context: Any, name: str, *args: Any) -> bool:
    request = context.get("request")
    if request is None or not getattr(request.user, "is_authenticated", False):
        return False
    try:
        match = resolve(reverse(name, args=args or None))
    except NoReverseMatch:
        return False
    cache: dict[str, bool] = request.__dict__.setdefault("_may_open", {})
    key = match.view_name
    if key not in cache:
        view_class = getattr(match.func, "view_class", None)
        if view_class is None or not issubclass(view_class, ScopedView):
            cache[key] = True
        else:
            view = view_class(**getattr(match.func, "view_initkwargs", {}))
            cache[key] = not view.require_permission or view.has_permission(request)
    return cache[key]
