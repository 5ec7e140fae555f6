"""Helpers every app's services use: permission checks, and the update and delete every model shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from safeward.core.audit import audit_record, diff
from safeward.core.errors import Conflict, DomainError
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


def acting_user(user: Viewer) -> User | None:
    """Who to record as the author of a write: the signed-in user, else nobody (an
    anonymous resident or a scheduled task)."""
    if user is None or not user.is_authenticated:
        return None
    return user


def model_fields(obj: Any, names: list[str]) -> dict[str, Any]:
    """A snapshot of ``names`` on ``obj`` for audit diffs (foreign keys as ids)."""
    snapshot: dict[str, Any] = {}
    for name in names:
        field = obj._meta.get_field(name)
        snapshot[name] = getattr(obj, field.attname)
    return snapshot


def _unit(obj: Any) -> Any:
    return getattr(obj, "audit_unit", None) or getattr(obj, "unit", None)


def object_update(
    actor: Viewer,
    obj: Model,
    *,
    fields: list[str] | tuple[str, ...],
    changes: dict[str, Any],
    check: Callable[[Any], None] | None = None,
    perm: str = "",
    event: str = "",
) -> Any:
    """Change ``fields`` of ``obj`` from ``changes``, check it, save and audit the diff.

    The caller holds the transaction. A name in ``changes`` outside ``fields`` is refused
    (it is fixed at creation or has its own workflow); text is stripped; ``check`` sees the
    changed object before it is saved and raises ``DomainError`` to refuse it.
    """
    meta = obj._meta
    require_perm(actor, perm or f"{meta.app_label}.change_{meta.model_name}", _unit(obj))
    unknown = sorted(set(changes) - set(fields))
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: {names}.").format(names=", ".join(unknown)),
            field=unknown[0],
        )
    names = [name for name in fields if name in changes]
    before = model_fields(obj, names)
    for name in names:
        value = changes[name]
        setattr(obj, name, value.strip() if isinstance(value, str) else value)
    if check is not None:
        check(obj)
    obj.save(update_fields=names or None)
    audit_record(
        actor,
        event or f"{meta.model_name}.update",
        obj,
        changes=diff(before, model_fields(obj, names)),
    )
    return obj


def object_delete(
    actor: Viewer,
    obj: Model,
    *,
    check: Callable[[Any], None] | None = None,
    perm: str = "",
    event: str = "",
) -> None:
    """Delete ``obj`` and audit it; a row other records still name is refused as "in use"."""
    meta = obj._meta
    require_perm(actor, perm or f"{meta.app_label}.delete_{meta.model_name}", _unit(obj))
    if check is not None:
        check(obj)
    label = str(obj)
    audit_record(actor, event or f"{meta.model_name}.delete", obj)
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise Conflict(
            _("Other records still refer to {object}; remove them first.").format(object=label),
            code="in_use",
        ) from exc
