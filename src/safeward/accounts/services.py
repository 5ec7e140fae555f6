"""Account writes: users, role assignments, two-factor enrolment, API tokens, sign-in records."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import smtplib
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safeward.accounts.lockout import SIGNIN_RECORD_DAYS
from safeward.accounts.models import ApiToken, Role, RoleAssignment, User, hash_token
from safeward.accounts.roles import BUILTIN_ROLES, permissions_of
from safeward.core.audit import audit_record, audit_record_bulk
from safeward.core.errors import Conflict, DomainError
from safeward.core.scoping import clear_scope_cache
from safeward.core.services import require_perm

TOTP_ISSUER = "SafeWard"
logger = logging.getLogger(__name__)


def sync_builtin_roles() -> int:
    """Bring the built-in ``Role`` rows in line with the code's grants. Returns rows changed."""
    changed = 0
    for builtin in BUILTIN_ROLES:
        perms = permissions_of(builtin.code)
        role, created = Role.objects.get_or_create(
            code=builtin.code,
            defaults={
                "name": str(builtin.name),
                "is_staff": builtin.is_staff,
                "builtin": True,
                "permissions": perms,
            },
        )
        if not created and (role.permissions != perms or role.is_staff != builtin.is_staff):
            role.permissions, role.is_staff, role.builtin = perms, builtin.is_staff, True
            role.save(update_fields=["permissions", "is_staff", "builtin"])
            changed += 1
        changed += int(created)
    return changed


@transaction.atomic
def user_create(
    actor: User | None,
    *,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    validate: bool = True,
) -> User:
    """Create a user with an Argon2-hashed password; audited."""
    username = (username or "").strip()
    if not username:
        raise DomainError(_("A username is required."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            _("The username {name} is taken.").format(name=username), field="username"
        )
    user = User(
        username=username, first_name=first_name, last_name=last_name, email=email, phone=phone
    )
    if validate:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.save()
    audit_record(actor, "user.create", user, object_type="accounts.user")
    return user


@transaction.atomic
def role_assign(
    actor: User | None,
    *,
    user: User,
    role: Role,
    unit: Any,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    check_actor: bool = True,
) -> RoleAssignment:
    """Grant ``role`` over ``unit``'s subtree. Refuses units that no longer exist."""
    if check_actor:
        require_perm(actor, "accounts.add_roleassignment", unit)
    today = timezone.localdate()
    if unit.valid_to is not None and unit.valid_to < today:
        from safeward.geo.queries import successors_on

        names = ", ".join(w.unit.name for w in successors_on(unit, today)) or "—"
        raise DomainError(
            _(
                "{unit} ceased to exist on {date}; assign the role over its successors: {names}."
            ).format(unit=unit, date=unit.valid_to, names=names),
            field="unit",
            code="retired_unit",
        )
    if valid_to and valid_from and valid_to < valid_from:
        raise DomainError(_("An assignment cannot end before it starts."), field="valid_to")
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        unit=unit,
        defaults={
            "valid_from": valid_from or today,
            "valid_to": valid_to,
            "granted_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    if not created:
        raise Conflict(
            _("{user} already holds {role} over {unit}.").format(user=user, role=role, unit=unit),
            code="duplicate",
        )
    clear_scope_cache(user)
    audit_record(
        actor, "role.assign", assignment, unit=unit, changes={"user": user.pk, "role": role.code}
    )
    return assignment


# Holding this over a unit makes an assignment administer it: grant and revoke roles there.
ADMIN_PERMISSION = "accounts.add_roleassignment"


@transaction.atomic
def role_revoke(actor: User, assignment: RoleAssignment, *, reason: str = "") -> None:
    """End an assignment today (kept for the record); audited.

    Refuses an assignment that has already ended, and the last one administering its unit
    (so no unit, and no actor's own account, is left without an administrator).
    """
    require_perm(actor, "accounts.delete_roleassignment", assignment.unit)
    today = timezone.localdate()
    if assignment.valid_to is not None and assignment.valid_to < today:
        raise Conflict(
            _("This assignment already ended on {date}.").format(date=assignment.valid_to),
            code="already_ended",
        )
    if ADMIN_PERMISSION in assignment.role.permissions:
        _refuse_leaving_without_administrator(actor, assignment)
    assignment.valid_to = today - dt.timedelta(days=1)
    assignment.save(update_fields=["valid_to"])
    clear_scope_cache(assignment.user)
    audit_record(actor, "role.revoke", assignment, unit=assignment.unit, reason=reason)


def _other_admin_assignments(assignment: RoleAssignment) -> Any:
    admin_roles = [r.pk for r in Role.objects.all() if ADMIN_PERMISSION in r.permissions]
    return (
        RoleAssignment.objects.active()
        .filter(role_id__in=admin_roles, user__is_active=True)
        .exclude(pk=assignment.pk)
    )


def _refuse_leaving_without_administrator(actor: User, assignment: RoleAssignment) -> None:
    others = _other_admin_assignments(assignment)
    if (
        getattr(actor, "pk", None) == assignment.user_id
        and not others.filter(user_id=actor.pk).exists()
    ):
        raise Conflict(_("You cannot revoke your own last administrator role."), code="last_admin")
    ancestors: list[int] = []
    unit: Any = assignment.unit
    while unit is not None:
        ancestors.append(unit.pk)
        unit = unit.parent
    if not others.filter(unit_id__in=ancestors).exists():
        raise Conflict(
            _(
                "{user} is the last administrator of {unit}; assign another one before"
                " revoking this role."
            ).format(user=assignment.user, unit=assignment.unit),
            code="last_admin",
        )


# --- two-factor sign-in -------------------------------------------------------------------


def totp_begin(user: User) -> str:
    """Start (or restart) enrolment: a new secret, not yet confirmed. Returns the otpauth URI."""
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed_at = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    return totp_uri(user)


def totp_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.username, issuer_name=TOTP_ISSUER
    )


def totp_check(user: User, code: str) -> bool:
    """Accept a 6-digit code once (replays of the same time step are refused)."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if not user.totp_secret or len(code) != 6:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = timezone.now().timestamp()
    for drift in (0, -1, 1):
        step = int(now // 30) + drift
        if step > user.totp_last_step and secrets.compare_digest(totp.at(step * 30), code):
            User.objects.filter(pk=user.pk).update(totp_last_step=step)
            user.totp_last_step = step
            return True
    return False


@transaction.atomic
def totp_confirm(user: User, code: str) -> None:
    if not totp_check(user, code):
        raise DomainError(
            _("That code is not right. Check the time on your phone and try again."), field="code"
        )
    user.totp_confirmed_at = timezone.now()
    user.save(update_fields=["totp_confirmed_at"])
    audit_record(user, "user.2fa_enrolled", user, object_type="accounts.user")


# --- sign-in records (throttling itself is django-axes, see accounts/lockout.py) -----------


def login_failed(username: str, stage: str = "password") -> None:
    audit_record(
        None, f"signin.failed.{stage}", object_type="accounts.user", object_id=username[:64]
    )


def login_succeeded(user: User) -> list[str]:
    """Audit the sign-in; returns notes for the user about lock-outs of their account since
    their previous sign-in, in their language."""
    from safeward.core.models import AuditEvent

    previous = (
        AuditEvent.objects.filter(action="signin", object_type="accounts.user")
        .filter(object_id=str(user.pk))
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    locks = AuditEvent.objects.filter(
        action="signin.locked", object_type="accounts.user", object_id=str(user.pk)
    )
    if previous is not None:
        locks = locks.filter(occurred_at__gt=previous)
    notes = [
        _lock_note(event.changes.get("address", ""), int(event.changes.get("failures", 0)))
        for event in locks.order_by("occurred_at")
    ]
    audit_record(user, "signin", user, object_type="accounts.user")
    return notes


def _lock_note(address: str, failures: int) -> str:
    return ngettext(
        "Someone tried to sign in to your account from {address} and failed {count} time.",
        "Someone tried to sign in to your account from {address} and failed {count} times.",
        failures,
    ).format(address=address, count=failures)


def signin_lock_notify(username: str, *, address: str, failures: int) -> None:
    """Tell the holder of ``username`` that sign-in was held back from ``address``: an audit
    event (shown to them at their next sign-in) and an e-mail in their language."""
    user = User.objects.filter(username__iexact=username, is_active=True).first()
    if user is None:
        return
    audit_record(
        None,
        "signin.locked",
        user,
        object_type="accounts.user",
        changes={"address": address, "failures": failures},
    )
    if not user.email:
        return
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = _("SafeWard: failed sign-in attempts on your account")
        body = "\n\n".join(
            [
                _lock_note(address, failures),
                _(
                    "Sign-in from that address is held back for a while. If it was not you,"
                    " tell your administrator."
                ),
            ]
        )
    try:
        send_mail(subject, body, None, [user.email])
    except (OSError, smtplib.SMTPException):
        logger.exception("could not send the lock-out notice to user %s", user.pk)


# --- API tokens ---------------------------------------------------------------------------


@transaction.atomic
def token_create(actor: User, *, name: str, days: int | None = 90) -> tuple[ApiToken, str]:
    """A new API token for ``actor``; the raw key is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name."), field="name")
    if days is not None and not 1 <= days <= 366:
        raise DomainError(_("A token lasts between 1 and 366 days."), field="days")
    raw = "sw_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name[:80],
        prefix=raw[:10],
        key_hash=hash_token(raw),
        expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
    )
    audit_record(actor, "token.create", token, object_type="accounts.apitoken")
    return token, raw


@transaction.atomic
def token_revoke(actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise DomainError(_("You can revoke only your own tokens."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor, "token.revoke", token, object_type="accounts.apitoken")


def purge_signin_records() -> int:
    """Delete sign-in failure records older than a day and expired sessions (least data kept)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.sessions.models import Session

    cutoff = timezone.now() - dt.timedelta(days=SIGNIN_RECORD_DAYS)
    counts = {
        "access_attempts": AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0],
        "access_logs": AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0],
        "failure_logs": AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0],
        "sessions": Session.objects.filter(expire_date__lt=timezone.now()).delete()[0],
    }
    if any(counts.values()):
        audit_record_bulk(
            None,
            "retention.purge",
            AccessAttempt,
            count=sum(counts.values()),
            changes=counts,
        )
    return sum(counts.values())
