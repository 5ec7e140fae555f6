"""Helpers every app's services use: permission checks that look like domain errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from safeward.core.scoping import has_perm_at

if TYPE_CHECKING:
    from safeward.accounts.models import User
    from safeward.core.scoping import Viewer
    from safeward.core.units import Unit


def require_perm(actor: Viewer, perm: str, unit: Unit | None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` holds ``perm`` over ``unit``.

    The message names the unit only when ``actor`` may see it: a refusal must not
    tell anyone the name behind an id, or where a point lies, outside their scope.
    """
    if has_perm_at(actor, perm, unit):
        return
    if unit is not None and has_perm_at(actor, "geo.view_adminunit", unit):
        raise PermissionDenied(_("You may not do this in {unit}.").format(unit=unit))
    raise PermissionDenied(_("You may not do this here."))


def signed_in(user: Viewer) -> User:
    """``user`` as the actor of a write: one not signed in is refused, as any service would."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("You may not do this here."))
    return user


def model_fields(obj: Any, names: list[str]) -> dict[str, Any]:
    """A snapshot of ``names`` on ``obj`` for audit diffs (foreign keys as ids)."""
    snapshot: dict[str, Any] = {}
    for name in names:
        field = obj._meta.get_field(name)
        snapshot[name] = getattr(obj, field.attname)
    return snapshot
