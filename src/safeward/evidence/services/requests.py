"""Footage requests: create, approve, reject, answer. Every write is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from safeward.cameras.querysets import all_cameras
from safeward.cameras.services import camera_survey
from safeward.core.audit import audit_record
from safeward.core.errors import Conflict, DomainError
from safeward.core.scoping import has_perm_at
from safeward.core.services import require_perm, signed_in
from safeward.core.units import unit_tree
from safeward.evidence.choices import ANSWERS, Decision, RequestStatus, Response
from safeward.evidence.models import Approval, Delivery, FootageRequest, RequestTarget
from safeward.evidence.querysets import APPROVE_PERM
from safeward.evidence.services.deliveries import (
    ANSWER_OF_RESPONSE,
    delivery_answered,
    delivery_queue,
    token_hash,
)

if TYPE_CHECKING:
    from safeward.accounts.models import User
    from safeward.cameras.models import Camera
    from safeward.core.scoping import Viewer

HARD_MAX_WINDOW = dt.timedelta(hours=24)
HARD_MAX_RADIUS_M = 1000
# Clocks differ a little; a window ending just past now is not refused for that.
FUTURE_SLACK = dt.timedelta(minutes=5)


def window_cap() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "SAFEWARD_FOOTAGE_WINDOW_CAP_MIN", 120))


def radius_cap_m() -> int:
    return int(getattr(settings, "SAFEWARD_FOOTAGE_RADIUS_CAP_M", 500))


def approvals_for(window: dt.timedelta, radius_m: int) -> int:
    """One approval within the caps; beyond either cap, a second one."""
    return 2 if window > window_cap() or radius_m > radius_cap_m() else 1


def _check_request_input(report: Any, purpose: str, start: Any, end: Any, radius_m: int) -> None:
    if report is None:
        raise DomainError(_("A footage request starts from a report."), field="report")
    if report.latitude is None or report.longitude is None:
        raise DomainError(_("The report has no point to search around."), field="report")
    if not purpose or not purpose.strip():
        raise DomainError(_("State the purpose of the request."), field="purpose")
    if start is None or end is None or end <= start:
        raise DomainError(_("The time window must end after it starts."), field="window_end")
    if end - start > HARD_MAX_WINDOW:
        raise DomainError(_("A time window cannot exceed 24 hours."), field="window_end")
    if end > timezone.now() + FUTURE_SLACK:
        raise DomainError(
            _(
                "The window cannot end in the future: footage after {now} is not recorded yet."
            ).format(now=date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")),
            field="window_end",
        )
    if not 0 < radius_m <= HARD_MAX_RADIUS_M:
        raise DomainError(
            _("The radius must be between 1 and {cap} m.").format(cap=HARD_MAX_RADIUS_M),
            field="radius_m",
        )


def _targets(report: Any, cameras: Iterable[Camera], radius_m: int) -> list[Any]:
    """The chosen cameras as candidates: each must see the point or lie within the radius
    (for the way to or from it), keep the footage, and be shared with consent."""
    chosen = list(cameras)
    if not chosen:
        raise DomainError(_("Choose at least one camera."), field="cameras")
    survey = camera_survey(report.latitude, report.longitude, report.occurred_at, radius_m=radius_m)
    found = {c.camera.pk: c for c in survey.askable}
    missing = {m.camera.pk: m for m in survey.unavailable}
    for camera in chosen:
        if camera.pk in found:
            continue
        if camera.pk in missing:
            why = "; ".join(missing[camera.pk].reasons)
            message = _("Camera {camera} cannot be asked: {why}.").format(camera=camera, why=why)
        else:
            message = _(
                "Camera {camera} is more than {radius} m from the place: widen the radius."
            ).format(camera=camera, radius=radius_m)
        raise DomainError(message, field="cameras")
    return [found[c.pk] for c in chosen]


@transaction.atomic
def footage_request_create(
    actor: Viewer,
    *,
    report: Any,
    purpose: str,
    window_start: dt.datetime,
    window_end: dt.datetime,
    radius_m: int,
    cameras: Iterable[Camera],
) -> FootageRequest:
    """Ask for footage around a report from cameras chosen among its candidates.

    Nothing reaches a custodian until the request is approved by someone else.
    """
    _check_request_input(report, purpose, window_start, window_end, radius_m)
    require_perm(actor, "evidence.add_footagerequest", report.unit)
    candidates = _targets(report, cameras, radius_m)
    request = FootageRequest.objects.create(
        report=report,
        unit=report.unit,
        ward=report.ward,
        latitude=report.latitude,
        longitude=report.longitude,
        incident_at=report.occurred_at,
        purpose=purpose.strip(),
        window_start=window_start,
        window_end=window_end,
        radius_m=radius_m,
        approvals_needed=approvals_for(window_end - window_start, radius_m),
        created_by=signed_in(actor),
    )
    RequestTarget.objects.bulk_create(
        RequestTarget(
            request=request, camera=c.camera, distance_m=c.distance_m, kept_until=c.kept_until
        )
        for c in candidates
    )
    audit_record(
        actor,
        "footage_request.create",
        request,
        changes={"cameras": [c.camera.pk for c in candidates], "radius_m": radius_m},
    )
    _tell_approvers_after_commit(request.pk)
    return request


def _tell_approvers_after_commit(request_id: int) -> None:
    from safeward.evidence.tasks import notify_approvers

    transaction.on_commit(lambda: notify_approvers.enqueue(request_id))


def request_approvers(request: FootageRequest) -> list[User]:
    """Who may still decide on ``request``: every active user holding a role that approves
    over its unit (through their assignment's subtree or the units that unit was formed
    from), but its maker and those who already decided."""
    from safeward.accounts.models import Role, RoleAssignment

    approving = [role.pk for role in Role.objects.all() if APPROVE_PERM in role.permissions]
    assignments = (
        RoleAssignment.objects.active()
        .filter(role_id__in=approving, user__is_active=True)
        .select_related("user", "unit")
    )
    tree, path = unit_tree(), request.unit.path
    found: dict[int, User] = {}
    for a in assignments:
        if any(path.startswith(p) for p in [a.unit.path, *tree.predecessor_paths(a.unit)]):
            found[a.user_id] = a.user
    decided = set(request.approvals.values_list("approver_id", flat=True))
    return [
        user
        for pk, user in sorted(found.items())
        if pk != request.created_by_id
        and pk not in decided
        and has_perm_at(user, APPROVE_PERM, request.unit)
    ]


def _check_approver(actor: Viewer, request: FootageRequest) -> None:
    actor = signed_in(actor)
    if request.status != RequestStatus.PENDING:
        raise Conflict(_("This request is no longer awaiting approval."), field="status")
    if actor.pk == request.created_by_id:
        raise DomainError(_("A request needs approval by a second person."), field="approver")
    if not has_perm_at(actor, APPROVE_PERM, request.unit):
        raise DomainError(
            _("Only a senior officer or a Front committee member may approve."), field="approver"
        )
    if request.approvals.filter(approver=actor).exists():
        raise Conflict(_("You have already decided on this request."), field="approver")


@transaction.atomic
def footage_request_approve(
    actor: Viewer, request: FootageRequest, *, note: str = ""
) -> dict[int, str]:
    """Add an approval; with enough of them, contact the custodians.

    Returns one-time upload tokens by target id (empty while approvals are missing).
    """
    _check_approver(actor, request)
    Approval.objects.create(request=request, approver=actor, decision=Decision.APPROVE, note=note)
    audit_record(actor, "footage_request.approve", request, reason=note)
    approved = request.approvals.filter(decision=Decision.APPROVE).count()
    if approved < request.approvals_needed:
        return {}
    return _send(actor, request)


@transaction.atomic
def footage_request_reject(actor: Viewer, request: FootageRequest, *, note: str) -> FootageRequest:
    """Refuse a request; nobody is contacted."""
    _check_approver(actor, request)
    if not note.strip():
        raise DomainError(_("Say why the request is rejected."), field="note")
    Approval.objects.create(request=request, approver=actor, decision=Decision.REJECT, note=note)
    request.status = RequestStatus.REJECTED
    request.save(update_fields=["status"])
    audit_record(actor, "footage_request.reject", request, reason=note)
    return request


def _send(actor: Viewer, request: FootageRequest) -> dict[int, str]:
    """Queue one delivery per consenting camera; the sending task records what happens."""
    tokens: dict[int, str] = {}
    consenting = set(
        all_cameras()
        .filter(pk__in=request.targets.values("camera"))
        .requestable()
        .values_list("pk", flat=True)
    )
    for target in request.targets.select_related("camera"):
        if target.camera_id not in consenting:
            target.response = Response.SKIPPED
            target.save(update_fields=["response"])
            continue
        _delivery, tokens[target.pk] = delivery_queue(actor, target)
    request.status = RequestStatus.APPROVED
    request.sent_at = timezone.now()
    request.save(update_fields=["status", "sent_at"])
    audit_record(actor, "footage_request.send", request, changes={"queued": list(tokens)})
    return tokens


def target_for_token(token: str) -> RequestTarget | None:
    """The requested camera a one-time link belongs to, while the link is valid."""
    if not token:
        return None
    target = (
        RequestTarget.objects.select_related("request", "camera", "request__unit")
        .filter(upload_token_hash=token_hash(token), upload_token_expires__gt=timezone.now())
        .first()
    )
    return target


def _may_answer(actor: Viewer, target: RequestTarget) -> bool:
    if actor is None:  # through the one-time link
        return True
    if target.camera.custodian_user_id and actor.pk == target.camera.custodian_user_id:
        return True
    return has_perm_at(actor, "evidence.change_requesttarget", target.request.unit)


@transaction.atomic
def target_respond(
    actor: Viewer, target: RequestTarget, *, response: str, note: str = ""
) -> RequestTarget:
    """Record the custodian's answer. Declining is always allowed and changes nothing else."""
    if response not in ANSWERS:
        raise DomainError(_("Choose a valid answer."), field="response")
    if target.request.status != RequestStatus.APPROVED:
        raise DomainError(_("This request was not sent to custodians."), field="request")
    if not _may_answer(actor, target):
        raise DomainError(_("Only the custodian or an officer may answer."), field="response")
    target.response = response
    target.note = note[:500]
    target.responded_at = timezone.now()
    if response != Response.PROVIDED:
        target.upload_token_hash = ""
    target.save(update_fields=["response", "note", "responded_at", "upload_token_hash"])
    delivery_answered(target, answer=ANSWER_OF_RESPONSE[Response(response)])
    audit_record(actor, "footage_request.answer", target, changes={"response": response})
    return target


@transaction.atomic
def footage_request_close(actor: Viewer, request: FootageRequest) -> FootageRequest:
    """Close a request (pending ones too); unused upload links stop working. Audited."""
    require_perm(actor, "evidence.change_footagerequest", request.unit)
    if request.status == RequestStatus.CLOSED:
        raise Conflict(_("This request is already closed."), field="status")
    request.targets.update(upload_token_hash="")
    Delivery.objects.filter(target__request=request, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    request.status = RequestStatus.CLOSED
    request.save(update_fields=["status"])
    audit_record(actor, "footage_request.close", request)
    return request
