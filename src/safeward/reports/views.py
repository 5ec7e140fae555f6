"""Staff pages: the report list with filters, the detail page with timeline, actions as htmx partials."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeward.core.errors import DomainError
from safeward.core.files import serve_stored_file
from safeward.core.filters import lists
from safeward.core.personal import withheld_from
from safeward.core.scoping import has_perm_anywhere, has_perm_at
from safeward.core.views import ObjectListView, ObjectView, ScopedPageView
from safeward.reports import services
from safeward.reports.choices import LegalTrack, ReportStatus
from safeward.reports.duplicates import possible_duplicates
from safeward.reports.filters import ReportFilterSet
from safeward.reports.forms import (
    AssignForm,
    ExtendForm,
    MergeForm,
    MessageForm,
    NoteForm,
    PriorityForm,
    ReasonForm,
    ResolveForm,
    StaffReportForm,
)
from safeward.reports.models import Report, ReportAttachment, ReportQuerySet, ServiceCategory
from safeward.reports.personal import HANDLING
from safeward.reports.tables import ReportTable
from safeward.reports.uploads import clean_uploads


def visible_reports(request: HttpRequest) -> ReportQuerySet:
    if not has_perm_anywhere(request.user, "reports.view_report"):
        raise Http404
    return Report.objects.restrict(request.user, "view")


class ReportListView(ObjectListView):
    queryset = Report.objects.select_related("category", "unit", "assignee")
    filterset = ReportFilterSet
    table = ReportTable
    template_name = "reports/list.html"
    add_permission = "reports.add_report"
    extra: ClassVar[dict[str, Any]] = {
        "statuses": ReportStatus.choices,
        "tracks": LegalTrack.choices,
    }

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        visible = cast(ReportQuerySet, self.get_queryset(request))
        return {
            **super().get_context(request, **context),
            "categories": ServiceCategory.objects.filter(active=True),
            "overdue_count": visible.overdue().count(),
            "due_soon_count": visible.due_soon().count(),
        }


@login_required
@lists(ReportFilterSet)
def report_map_data(request: HttpRequest) -> JsonResponse:
    """Points of the filtered open reports the user may see (for the staff map)."""
    filters = ReportFilterSet(request.GET, queryset=visible_reports(request), request=request)
    if not filters.is_valid():
        return JsonResponse(filters.error_detail().as_dict(), status=400)
    qs = filters.qs
    rows = qs.filter(latitude__isnull=False).values_list(
        "pk", "tracking_code", "latitude", "longitude", "status"
    )[:2000]
    features = [
        {"id": pk, "code": code, "lat": lat, "lon": lon, "status": st}
        for pk, code, lat, lon, st in rows
    ]
    return JsonResponse({"reports": features})


class ReportMapView(ScopedPageView):
    queryset = Report.objects.all()
    template_name = "reports/map.html"

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        return {"params": request.GET.urlencode(), **context}


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    """An officer enters a report for a caller or a walk-in."""
    if not services.staff_may_submit(request.user):
        raise Http404
    form = StaffReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = services.report_submit(
                request.user,
                category=data["category"],
                description=data["description"],
                channel=data["channel"],
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                unit=data.get("unit"),
                address=data.get("address") or "",
                occurred_at=data.get("occurred_at"),
                attributes=form.answers(),
                reporter=services.ReporterInfo(
                    data.get("name") or "",
                    data.get("phone") or "",
                    data.get("email") or "",
                    data["anonymous"],
                ),
                uploads=clean_uploads(data.get("attachments") or []),
                require_scope=True,
            )
        except (DomainError, PermissionDenied) as exc:
            form.apply_error(exc if isinstance(exc, DomainError) else DomainError(str(exc)))
        else:
            return redirect("reports:detail", pk=submission.report.pk)
    return render(request, "reports/new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    """A report's photo or video for the officers of its unit; each read is audited."""
    return serve_stored_file(
        request,
        ReportAttachment.objects,
        pk,
        audit_action="reports.attachment_read",
        filename=lambda a: "report-{report}-{pk}.{ext}".format(
            report=a.report_id, pk=a.pk, ext=Path(a.file.name).suffix.lstrip(".") or "bin"
        ),
    )


def officers_for(report: Report) -> QuerySet[Any]:
    """Active users who may handle reports in the report's unit."""
    candidates = (
        get_user_model().objects.filter(is_active=True, assignments__isnull=False).distinct()
    )
    allowed = [u.pk for u in candidates if has_perm_at(u, "reports.change_report", report.unit)]
    return get_user_model().objects.filter(pk__in=allowed).order_by("last_name", "first_name")


def _footage_request_url(user: Any, report: Report) -> str:
    """Where to ask community cameras for footage of this report, when the user may."""
    if not has_perm_at(user, "evidence.add_footagerequest", report.unit):
        return ""
    try:
        return reverse("evidence:request_add", args=[report.pk])
    except NoReverseMatch:
        return ""


def detail_context(request: HttpRequest, report: Report) -> dict[str, Any]:
    user = request.user
    can_change = has_perm_at(user, "reports.change_report", report.unit)
    duplicates = possible_duplicates(report).restrict(user, "view")[:10] if report.is_open else []
    return {
        "report": report,
        # Fields this reader may not see (safeward.reports.personal); a look at the others
        # is audited.
        "withheld": withheld_from(user, [HANDLING], report),
        "footage_request_url": _footage_request_url(user, report),
        "can_change": can_change,
        "can_view_reporter": services.may_view_reporter(user, report),
        "can_message": has_perm_at(user, "reports.add_reportmessage", report.unit),
        "events": report.events.select_related("actor")
        if has_perm_at(user, "reports.view_reportevent", report.unit)
        else report.events.filter(public=True),
        "messages_list": report.messages.all()
        if has_perm_at(user, "reports.view_reportmessage", report.unit)
        else [],
        "attachments": report.attachments.all()
        if has_perm_at(user, "reports.view_reportattachment", report.unit)
        else [],
        "duplicates": duplicates,
        "assign_form": AssignForm(
            user=user,
            officers=officers_for(report) if can_change else get_user_model().objects.none(),
            initial={"assignee": report.assignee_id, "team": report.team},
        ),
        "resolve_form": ResolveForm(),
        "extend_form": ExtendForm(),
        "reason_form": ReasonForm(),
        "priority_form": PriorityForm(initial={"priority": report.priority}),
        "note_form": NoteForm(),
        "message_form": MessageForm(),
    }


def _get_report(request: HttpRequest, pk: int) -> Report:
    report = visible_reports(request).select_related(
        "category", "unit", "ward", "assignee", "duplicate_of"
    )
    return cast(Report, report.get_visible(request.user, "view", pk=pk))


class ReportView(ObjectView):
    queryset = Report.objects.select_related("category", "unit", "ward", "assignee", "duplicate_of")
    template_name = "reports/detail.html"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        return {**context, **detail_context(request, obj)}


@login_required
def reporter_identity(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx partial: who made the report. Audited on every view."""
    report = _get_report(request, pk)
    identity = services.reporter_identity_view(request.user, report)
    template = (
        "reports/_reporter.html" if request.headers.get("HX-Request") else "reports/reporter.html"
    )
    return render(request, template, {"identity": identity, "report": report})


def _assign(request: HttpRequest, report: Report) -> None:
    form = AssignForm(request.POST, user=request.user, officers=officers_for(report))
    if not form.is_valid():
        raise DomainError(_("Choose an officer from the list."), field="assignee")
    services.report_assign(
        request.user, report, assignee=form.cleaned_data["assignee"], team=form.cleaned_data["team"]
    )


def _with_form(form_class: type, call: Callable[..., Any]) -> Callable[[HttpRequest, Report], None]:
    def run(request: HttpRequest, report: Report) -> None:
        form = form_class(request.POST)
        if not form.is_valid():
            first = next(iter(form.errors.values()))[0]
            raise DomainError(first)
        call(request.user, report, **form.cleaned_data)

    return run


def _plain(call: Callable[..., Any]) -> Callable[[HttpRequest, Report], None]:
    def run(request: HttpRequest, report: Report) -> None:
        call(request.user, report)

    return run


def _merge(actor: Any, report: Report, *, into: int) -> None:
    target = cast(Report, Report.objects.get_visible(actor, "change", pk=into))
    services.report_merge(actor, report, into=target)


ACTIONS: dict[str, Callable[[HttpRequest, Report], None]] = {
    "triage": _plain(services.report_triage),
    "verify": _plain(services.report_start_verifying),
    "close": _plain(services.report_close),
    "assign": _assign,
    "resolve": _with_form(ResolveForm, services.report_resolve),
    "reopen": _with_form(ReasonForm, services.report_reopen),
    "extend": _with_form(ExtendForm, services.report_extend),
    "priority": _with_form(PriorityForm, services.report_set_priority),
    "note": _with_form(NoteForm, services.report_note),
    "message": _with_form(MessageForm, services.report_message_staff),
    "merge": _with_form(MergeForm, _merge),
}


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Run one workflow action; htmx gets the refreshed panel, a plain form a redirect."""
    if name not in ACTIONS:
        raise Http404
    report = _get_report(request, pk)
    error = ""
    try:
        ACTIONS[name](request, report)
    except DomainError as exc:
        error = exc.message
    report.refresh_from_db()
    if request.headers.get("HX-Request"):
        context = {**detail_context(request, report), "action_error": error}
        return render(request, "reports/_panel.html", context, status=400 if error else 200)
    if error:
        context = {**detail_context(request, report), "action_error": error}
        return render(request, "reports/detail.html", context, status=400)
    return redirect(reverse("reports:detail", args=[report.pk]))
