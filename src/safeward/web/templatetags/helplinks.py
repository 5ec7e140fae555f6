"""``{% help_link "anchor" %}``: a page's link to its task in the in-app help."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def help_link(anchor: str) -> SafeString:
    return format_html(
        '<a class="helplink" href="{}#{}"><span aria-hidden="true">?</span> {}</a>',
        reverse("web:help"),
        anchor,
        gettext("Help"),
    )
