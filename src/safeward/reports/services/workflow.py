"""Workflow: triage, assignment, clocks, outcomes, merging, messages, and the reporter's identity."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeward.core.audit import audit_record
from safeward.core.errors import Conflict, DomainError
from safeward.core.scoping import has_perm_at
from safeward.core.services import require_perm
from safeward.geo.models import AdminUnit
from safeward.reports.choices import (
    MAX_TEXT,
    TRACK_EXTENSION_MONTHS,
    TRANSITIONS,
    EventKind,
    MessageSender,
    Outcome,
    Priority,
    ReportStatus,
)
from safeward.reports.models import (
    Report,
    ReporterIdentity,
    ReportEvent,
    ReportMessage,
    ServiceCategory,
)
from safeward.reports.placing import ward_of
from safeward.reports.services.intake import add_months, resolve_place
from safeward.reports.services.timeline import add_event, save_fields
from safeward.reports.tasks import notify_assignee, notify_reporter

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer


def _notify_reporters(report: Report) -> None:
    """Queue a notice to the reporter and to the reporters of reports merged into this one."""
    ids = [report.pk, *report.duplicates.values_list("pk", flat=True)]
    for report_id in ids:
        transaction.on_commit(lambda rid=report_id: notify_reporter.enqueue(rid))  # type: ignore[misc]


def _change_status(
    actor: Viewer, report: Report, status: str, *, public_note: str = "", internal_note: str = ""
) -> None:
    """Move ``report`` to ``status``. The status line is public and carries only
    ``public_note``; ``internal_note`` becomes an internal timeline line of its own."""
    if status not in TRANSITIONS.get(report.status, set()):
        raise DomainError(
            _("A report that is {old} cannot become {new}.").format(
                old=report.get_status_display(), new=ReportStatus(status).label
            ),
            field="status",
            code="bad_transition",
        )
    old = report.status
    report.status = status
    save_fields(report, ["status"])
    add_event(
        actor,
        report,
        EventKind.STATUS,
        public=True,
        status=status,
        note=public_note,
        changes={"status": [old, status]},
    )
    if internal_note:
        add_event(actor, report, EventKind.NOTE, note=internal_note)
    audit_record(actor, "reports.status", report, changes={"status": [old, status]})
    _notify_reporters(report)


@transaction.atomic
def report_triage(
    actor: Viewer,
    report: Report,
    *,
    priority: int | None = None,
    category: ServiceCategory | None = None,
) -> Report:
    """Mark a received report triaged, optionally setting priority and correcting the category."""
    require_perm(actor, "reports.change_report", report.unit)
    if category is not None and category.pk != report.category_id:
        report.category = category
        save_fields(report, ["category"])
    if priority is not None:
        report_set_priority(actor, report, priority=priority)
    _change_status(actor, report, ReportStatus.TRIAGED)
    return report


@transaction.atomic
def report_set_priority(actor: Viewer, report: Report, *, priority: int) -> Report:
    """Change a report's priority."""
    require_perm(actor, "reports.change_report", report.unit)
    if priority not in Priority.values:
        raise DomainError(_("Unknown priority."), field="priority", code="bad_priority")
    old = report.priority
    report.priority = priority
    save_fields(report, ["priority"])
    add_event(actor, report, EventKind.PRIORITY, changes={"priority": [old, priority]})
    audit_record(actor, "reports.priority", report, changes={"priority": [old, priority]})
    return report


@transaction.atomic
def report_assign(actor: Viewer, report: Report, *, assignee: Any = None, team: str = "") -> Report:
    """Assign (or reassign) a report to an officer who may handle it there, and/or a team."""
    require_perm(actor, "reports.change_report", report.unit)
    if assignee is None and not team:
        raise DomainError(_("Choose an officer or a team."), field="assignee", code="required")
    if assignee is not None and not has_perm_at(assignee, "reports.change_report", report.unit):
        raise DomainError(
            _("{user} cannot handle reports in {unit}.").format(user=assignee, unit=report.unit),
            field="assignee",
            code="bad_assignee",
        )
    old = {"assignee": report.assignee_id, "team": report.team}
    report.assignee = assignee
    report.team = team[:80]
    save_fields(report, ["assignee", "team"])
    new = {"assignee": report.assignee_id, "team": report.team}
    add_event(actor, report, EventKind.ASSIGNED, changes={k: [old[k], new[k]] for k in new})
    audit_record(actor, "reports.assign", report, changes={k: [old[k], new[k]] for k in new})
    if report.status in (ReportStatus.RECEIVED, ReportStatus.TRIAGED):
        _change_status(actor, report, ReportStatus.ASSIGNED)
    if assignee is not None:
        transaction.on_commit(lambda: notify_assignee.enqueue(report.pk))
    return report


@transaction.atomic
def report_start_verifying(actor: Viewer, report: Report, *, note: str = "") -> Report:
    """The assigned officer starts verifying (footage, visits, witnesses)."""
    require_perm(actor, "reports.change_report", report.unit)
    _change_status(actor, report, ReportStatus.VERIFYING, internal_note=note.strip())
    return report


@transaction.atomic
def report_resolve(
    actor: Viewer, report: Report, *, outcome: str, public_note: str = "", internal_note: str = ""
) -> Report:
    """Record the outcome and resolve; the public note is shown to the reporter."""
    require_perm(actor, "reports.change_report", report.unit)
    if outcome not in Outcome.values:
        raise DomainError(_("Choose an outcome."), field="outcome", code="bad_outcome")
    if len(public_note) > MAX_TEXT or len(internal_note) > MAX_TEXT:
        raise DomainError(_("The note is too long."), field="public_note", code="too_long")
    report.outcome = outcome
    report.public_note = public_note.strip()
    report.internal_note = internal_note.strip()
    report.resolved_at = timezone.now()
    save_fields(report, ["outcome", "public_note", "internal_note", "resolved_at"])
    add_event(actor, report, EventKind.OUTCOME, note=internal_note, changes={"outcome": outcome})
    _change_status(actor, report, ReportStatus.RESOLVED, public_note=report.public_note)
    return report


@transaction.atomic
def report_close(actor: Viewer, report: Report) -> Report:
    """Close a resolved report."""
    require_perm(actor, "reports.change_report", report.unit)
    _change_status(actor, report, ReportStatus.CLOSED)
    return report


@transaction.atomic
def report_reopen(actor: Viewer, report: Report, *, reason: str) -> Report:
    """Reopen a resolved or closed report (back to triage); the outcome is cleared. The
    reason is internal: the reporter sees that the report is handled again, not why."""
    require_perm(actor, "reports.change_report", report.unit)
    if not reason.strip():
        raise DomainError(_("Say why the report is reopened."), field="reason", code="required")
    if report.status not in (ReportStatus.RESOLVED, ReportStatus.CLOSED):
        raise DomainError(
            _("Only a resolved or closed report can be reopened."), code="bad_transition"
        )
    report.outcome, report.resolved_at, report.duplicate_of = "", None, None
    save_fields(report, ["outcome", "resolved_at", "duplicate_of"])
    _change_status(actor, report, ReportStatus.TRIAGED, internal_note=reason.strip())
    return report


@transaction.atomic
def report_extend(actor: Viewer, report: Report, *, due_on: dt.date, reason: str) -> Report:
    """Extend the clock once, where the track allows it, up to its maximum; the reason is kept."""
    require_perm(actor, "reports.change_report", report.unit)
    months = TRACK_EXTENSION_MONTHS.get(report.track)
    if months is None:
        raise DomainError(
            _("This legal track has no extension."), field="due_on", code="no_extension"
        )
    if report.extended_at is not None:
        raise Conflict(
            _("The deadline was already extended once."), field="due_on", code="extended"
        )
    if not reason.strip():
        raise DomainError(_("Give the reason for the extension."), field="reason", code="required")
    latest = add_months(timezone.localdate(report.received_at), months)
    if not (report.due_on < due_on <= latest):
        raise DomainError(
            _("The new deadline must be after {old} and no later than {latest}.").format(
                old=report.due_on.isoformat(), latest=latest.isoformat()
            ),
            field="due_on",
            code="bad_extension",
        )
    changes = {"due_on": [report.due_on.isoformat(), due_on.isoformat()]}
    report.due_on, report.extension_reason, report.extended_at = (
        due_on,
        reason.strip(),
        timezone.now(),
    )
    save_fields(report, ["due_on", "extension_reason", "extended_at"])
    add_event(actor, report, EventKind.EXTENDED, note=reason.strip(), changes=changes)
    audit_record(actor, "reports.extend", report, reason=reason, changes=changes)
    return report


@transaction.atomic
def report_place(actor: Viewer, report: Report, *, unit: AdminUnit) -> Report:
    """Correct where a report belongs; the unit must be valid on the day of the incident."""
    require_perm(actor, "reports.change_report", report.unit)
    require_perm(actor, "reports.change_report", unit)
    return _move(actor, report, unit)


@transaction.atomic
def report_place_by_reporter(report: Report, *, unit: AdminUnit) -> Report:
    """The reporter (proven by the secret) corrects the place while the report awaits triage."""
    if report.status != ReportStatus.RECEIVED:
        raise DomainError(
            _("The place can no longer be changed: the report is being handled."),
            field="unit",
            code="locked",
        )
    return _move(None, report, unit)


def _move(actor: Viewer, report: Report, unit: AdminUnit) -> Report:
    unit = resolve_place(
        latitude=None, longitude=None, unit=unit, day=timezone.localdate(report.occurred_at)
    )
    changes = {"unit": [report.unit_id, unit.pk]}
    report.unit, report.unit_path, report.ward = unit, unit.path, ward_of(unit)
    save_fields(report, ["unit", "unit_path", "ward"])
    add_event(actor, report, EventKind.PLACE, public=actor is None, changes=changes)
    audit_record(actor, "reports.place", report, changes=changes)
    return report


@transaction.atomic
def report_merge(actor: Viewer, report: Report, *, into: Report) -> Report:
    """Resolve ``report`` as a duplicate of ``into``; both reporters keep getting notices."""
    require_perm(actor, "reports.change_report", report.unit)
    require_perm(actor, "reports.change_report", into.unit)
    if into.pk == report.pk or into.duplicate_of_id == report.pk:
        raise DomainError(
            _("A report cannot be merged into itself."), field="into", code="bad_merge"
        )
    report.duplicate_of = into
    save_fields(report, ["duplicate_of"])
    note = _("Merged into report {code}, which is being handled.").format(code=into.tracking_code)
    add_event(actor, report, EventKind.MERGED, public=True, note=note)
    add_event(actor, into, EventKind.MERGED, note=report.tracking_code)
    audit_record(actor, "reports.merge", report, changes={"duplicate_of": into.pk})
    if report.is_open:
        report_resolve(actor, report, outcome=Outcome.DUPLICATE, public_note=note)
    return report


@transaction.atomic
def report_note(actor: Viewer, report: Report, *, note: str) -> ReportEvent:
    """Add an internal note to the timeline (never shown to the reporter)."""
    require_perm(actor, "reports.change_report", report.unit)
    event = add_event(actor, report, EventKind.NOTE, note=_clean_message(note))
    audit_record(actor, "reports.note", report)
    return event


def _clean_message(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a message."), field="body", code="required")
    if len(body) > MAX_TEXT:
        raise DomainError(_("The message is too long."), field="body", code="too_long")
    return body


@transaction.atomic
def report_message_staff(actor: Viewer, report: Report, *, body: str) -> ReportMessage:
    """An officer writes to the reporter (who sees it on the tracking page and is notified)."""
    require_perm(actor, "reports.add_reportmessage", report.unit)
    message = ReportMessage.objects.create(
        report=report, sender=MessageSender.STAFF, author=actor, body=_clean_message(body)
    )
    audit_record(actor, "reports.message", report)
    transaction.on_commit(lambda: notify_reporter.enqueue(report.pk, new_message=True))
    return message


@transaction.atomic
def report_message_reporter(report: Report, *, secret: str, body: str) -> ReportMessage:
    """The reporter, proven by the report's secret, writes to the officers; nothing identifies them."""
    if not report.check_secret(secret):
        raise PermissionDenied(_("The tracking code or secret is wrong."))
    message = ReportMessage.objects.create(
        report=report, sender=MessageSender.REPORTER, body=_clean_message(body)
    )
    audit_record(None, "reports.reporter_message", report)
    return message


@transaction.atomic
def report_message_as_proven_reporter(report: Report, *, body: str) -> ReportMessage:
    """The reporter writes after proving the secret earlier in the same browser session."""
    message = ReportMessage.objects.create(
        report=report, sender=MessageSender.REPORTER, body=_clean_message(body)
    )
    audit_record(None, "reports.reporter_message", report)
    return message


@transaction.atomic
def reporter_identity_view(actor: Viewer, report: Report) -> ReporterIdentity | None:
    """Who made the report, for holders of ``reports.view_reporter`` only; every look is audited."""
    require_perm(actor, "reports.view_reporter", report.unit)
    identity = ReporterIdentity.objects.filter(report=report).first()
    audit_record(
        actor,
        "reports.view_reporter",
        report,
        sensitive_read=True,
        changes={"named": identity is not None},
    )
    return identity


def may_view_reporter(actor: Viewer, report: Report) -> bool:
    return has_perm_at(actor, "reports.view_reporter", report.unit)


@transaction.atomic
def report_update(
    actor: Viewer,
    report: Report,
    *,
    priority: int | None = None,
    internal_note: str | None = None,
    address: str | None = None,
) -> Report:
    """Edit the staff-owned fields of a report."""
    require_perm(actor, "reports.change_report", report.unit)
    if priority is not None and priority != report.priority:
        report_set_priority(actor, report, priority=priority)
    fields = {
        k: v
        for k, v in {"internal_note": internal_note, "address": address}.items()
        if v is not None
    }
    for name, value in fields.items():
        setattr(report, name, value.strip()[:MAX_TEXT])
    if fields:
        save_fields(report, list(fields))
        audit_record(actor, "reports.update", report, changes=dict.fromkeys(fields, "…"))
    return report


@transaction.atomic
def report_delete(actor: Viewer, report: Report, *, reason: str = "") -> None:
    """Delete a report (spam or entered by mistake); the audit trail keeps that it existed."""
    require_perm(actor, "reports.delete_report", report.unit)
    audit_record(actor, "reports.delete", report, reason=reason)
    report.delete()
