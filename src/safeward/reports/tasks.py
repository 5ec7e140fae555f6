"""Background work: telling reporters about public changes, officers about assignments and clocks."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from safeward.core.sms import send_sms
from safeward.reports.models import Report, ReporterIdentity


@task()
def notify_reporter(report_id: int, new_message: bool = False) -> None:
    """Tell a named reporter (email and/or SMS) the report's public status, or that a message waits."""
    identity = ReporterIdentity.objects.select_related("report").filter(report_id=report_id).first()
    if identity is None or not (identity.email or identity.phone):
        return
    report = identity.report
    with translation.override(settings.LANGUAGE_CODE):
        template = (
            _("SafeWard report {code}: the police sent you a message. Open the tracking page.")
            if new_message
            else _("SafeWard report {code}: {status}. {note}")
        )
        text = template.format(
            code=report.tracking_code, status=report.get_status_display(), note=report.public_note
        ).strip()
        if identity.email:
            subject = _("Your report {code}").format(code=report.tracking_code)
            send_mail(subject, text, None, [identity.email])
        send_sms(identity.phone, text)


@task()
def notify_assignee(report_id: int) -> None:
    """Email the officer a report was just assigned to."""
    report = Report.objects.select_related("assignee", "category").filter(pk=report_id).first()
    if report is None or report.assignee is None or not report.assignee.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Report {code} assigned to you").format(code=report.tracking_code)
        body = _("{category}, decide by {due}.").format(
            category=report.category.name, due=report.due_on.isoformat()
        )
        send_mail(subject, body, None, [report.assignee.email])


@task()
def notify_due_soon() -> int:
    """Email every assignee whose open reports' clocks run out within the warning window."""
    today = timezone.localdate()
    due = Report.objects.due_soon(today).filter(assignee__isnull=False).select_related("assignee")
    by_officer: dict[str, list[str]] = {}
    for report in due:
        if report.assignee and report.assignee.email:
            by_officer.setdefault(report.assignee.email, []).append(
                f"{report.tracking_code} ({report.due_on.isoformat()})"
            )
    with translation.override(settings.LANGUAGE_CODE):
        for email, lines in by_officer.items():
            send_mail(_("Reports due soon"), "\n".join(lines), None, [email])
    return len(by_officer)
