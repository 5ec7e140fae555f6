from __future__ import annotations

from typing import Any

from django import template

from safeward.community.models import Group, Membership

register = template.Library()


@register.simple_tag
def groups_led_by(user: Any) -> list[Group]:
    """The active groups ``user`` leads or deputises (for the home panel)."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = Membership.objects.leading(user).values("group_id")
    return list(Group.objects.filter(pk__in=ids, status="active").select_related("unit"))
