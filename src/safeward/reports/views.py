"""Staff pages: the report list with filters, the detail page with timeline, actions as htmx partials."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from safeward.core.errors import DomainError
from safeward.core.files import open_stored_name, serve_stored_file
from safeward.core.filters import lists
from safeward.core.personal import withheld_from
from safeward.core.scoping import has_perm_anywhere, has_perm_at
from safeward.core.thumbnails import stored_thumbnail
from safeward.core.views import (
    BulkActionView,
    ObjectActionView,
    ObjectListView,
    ObjectView,
    PanelActionView,
    ScopedPageView,
    ServiceFormView,
)
from safeward.reports import services
from safeward.reports.attachments import PLAIN_TILES, attachment_kind, attachment_tiles
from safeward.reports.choices import LegalTrack, ReportStatus
from safeward.reports.duplicates import possible_duplicates
from safeward.reports.filters import ReportFilterSet
from safeward.reports.forms import (
    AssignForm,
    BulkMergeForm,
    CategoryTextsForm,
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
    bulk_url = "reports:bulk"
    bulk_actions = (
        ("assign", gettext_lazy("Assign…")),
        ("merge", gettext_lazy("Close as duplicates…")),
    )
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


class ReportNewView(ServiceFormView):
    """An officer enters a report for a caller or a walk-in."""

    queryset = Report.objects.all()
    form_class = StaffReportForm
    service = services.report_submit
    template_name = "reports/new.html"

    def has_permission(self, request: HttpRequest) -> bool:
        return services.staff_may_submit(request.user)

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return services.report_submit(
            request.user, channel=data["channel"], require_scope=True, **data["submission"]
        )

    def form_data(self, form: Any) -> dict[str, Any]:
        return {"channel": form.cleaned_data["channel"], "submission": form.submission()}

    def add_domain_error(self, form: Any, exc: DomainError) -> None:
        form.apply_error(exc)  # custom attributes answer on fields of their own

    def get_success_message(self, request: HttpRequest, result: Any) -> str:
        return ""  # the report's page shows what was recorded

    def get_success_url(self, request: HttpRequest, result: Any, obj: Any) -> str:
        return reverse("reports:detail", args=[result.report.pk])

    def render_form(
        self, request: HttpRequest, form: Any, obj: Any, *, status: int = 200
    ) -> HttpResponse:
        if status >= 400:
            form.ask_for_files_again()
        return super().render_form(request, form, obj, status=status)


def _attachment_filename(attachment: ReportAttachment) -> str:
    return "report-{report}-{pk}.{ext}".format(
        report=attachment.report_id,
        pk=attachment.pk,
        ext=Path(attachment.file.name).suffix.lstrip(".") or "bin",
    )


@login_required
def attachment_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A report's photo or video for the officers of its unit; each read is audited. Shown in
    the browser (re-encoded media, typed from the record, sandboxed), so a link opens it."""
    return serve_stored_file(
        request,
        ReportAttachment.objects,
        pk,
        audit_action="reports.attachment_read",
        filename=_attachment_filename,
        inline=True,
    )


@login_required
def attachment_thumbnail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A small picture of a report's photo, or a frame of its video, under the same scope as
    the file; each read is audited under its own action (the report's page shows them all).
    A video no frame could be taken from gets a plain video tile, which shows nothing of it."""
    attachment = ReportAttachment.objects.get_visible(request.user, "view", pk=pk)
    name = stored_thumbnail(attachment.file, attachment.content_type)
    if name is None:
        return redirect(static(PLAIN_TILES[attachment_kind(attachment)]))
    return serve_stored_file(
        request,
        ReportAttachment.objects,
        pk,
        audit_action="reports.attachment_thumbnail_read",
        filename=lambda a: f"report-{a.report_id}-{a.pk}-thumbnail.jpg",
        opener=lambda a: open_stored_name(a.file.storage, name),
        inline=True,
        content_type="image/jpeg",
    )


def officers_for(*reports: Report) -> QuerySet[Any]:
    """Active users who may handle reports in the unit of every one of ``reports``."""
    units = list({r.unit_id: r.unit for r in reports}.values())
    candidates = (
        get_user_model().objects.filter(is_active=True, assignments__isnull=False).distinct()
    )
    allowed = [
        u.pk
        for u in candidates
        if all(has_perm_at(u, "reports.change_report", unit) for unit in units)
    ]
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
        "attachments": attachment_tiles(report.attachments.all())
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


class ReportView(ObjectView):
    queryset = Report.objects.select_related("category", "unit", "ward", "assignee", "duplicate_of")
    template_name = "reports/detail.html"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        return {**context, **detail_context(request, obj)}


class ReporterIdentityView(ObjectView):
    """Who made the report, for those who may know; the service audits every look."""

    queryset = Report.objects.select_related("category", "unit", "ward")
    permission = "reports.view_reporter"
    context_object_name = "report"
    template_name = "reports/reporter.html"
    partial_template_name = "reports/_reporter.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        report = super().get_object(request, **kwargs)
        if not services.may_view_reporter(request.user, report):
            raise Http404  # a report seen without the right to know who made it
        return report

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        return {**context, "identity": services.reporter_identity_view(request.user, obj)}


class ReportActionView(PanelActionView):
    """A workflow action from the report's panel. The row need only be visible: each
    service checks the right to act at the report's unit."""

    queryset = Report.objects.select_related("category", "unit", "ward", "assignee", "duplicate_of")
    action = "view"
    panel_template = "reports/_panel.html"
    page_template = "reports/detail.html"
    back_url = "reports:detail"

    def get_panel_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return detail_context(request, obj)


class ReportTriageView(ReportActionView):
    service = services.report_triage


class ReportVerifyView(ReportActionView):
    service = services.report_start_verifying


class ReportCloseView(ReportActionView):
    service = services.report_close
    confirm = True

    def get_confirm_title(self, obj: Any) -> str:
        return _("Close report {code}? The reporter can no longer reply to it.").format(
            code=obj.tracking_code
        )


class ReportAssignView(ReportActionView):
    form_class = AssignForm
    service = services.report_assign
    invalid_message = gettext_lazy("Choose an officer from the list.")

    def get_form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {**super().get_form_kwargs(request, obj), "officers": officers_for(obj)}


class ReportResolveView(ReportActionView):
    form_class = ResolveForm
    service = services.report_resolve
    confirm = True

    def get_confirm_title(self, obj: Any) -> str:
        return _("Resolve report {code} with this outcome?").format(code=obj.tracking_code)


class ReportReopenView(ReportActionView):
    form_class = ReasonForm
    service = services.report_reopen


class ReportExtendView(ReportActionView):
    form_class = ExtendForm
    service = services.report_extend


class ReportPriorityView(ReportActionView):
    form_class = PriorityForm
    service = services.report_set_priority


class ReportNoteView(ReportActionView):
    form_class = NoteForm
    service = services.report_note


class ReportMessageView(ReportActionView):
    form_class = MessageForm
    service = services.report_message_staff


class ReportMergeView(ReportActionView):
    """Merges into another report the user may change (any other answers 404)."""

    form_class = MergeForm
    service = services.report_merge
    confirm = True

    def get_confirm_lines(self, request: HttpRequest, obj: Any, form: Any) -> list[tuple[str, str]]:
        # The same 404 as the merge itself for a report the user may not change.
        into = Report.objects.get_visible(request.user, "change", pk=form.cleaned_data["into"])
        return [(str(_("Merge into")), into.tracking_code)]

    def get_confirm_title(self, obj: Any) -> str:
        return _(
            "Merge report {code} into another? It is closed as a duplicate and its reporter "
            "follows the other one."
        ).format(code=obj.tracking_code)

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        into = Report.objects.get_visible(request.user, "change", pk=data["into"])
        return services.report_merge(request.user, obj, into=into)


class ReportBulkView(BulkActionView):
    queryset = Report.objects.select_related("unit", "category")
    list_url = "reports:list"
    extra: ClassVar[dict[str, Any]] = {"bulk_row_template": "reports/_bulk_row.html"}


class ReportBulkAssignView(ReportBulkView):
    """The chosen reports to one officer or team (officers who may handle all of them)."""

    form_class = AssignForm
    service = services.report_assign
    title = gettext_lazy("Assign the chosen reports")
    button = gettext_lazy("Assign")

    def get_form_kwargs(self, request: HttpRequest, rows: list[Any]) -> dict[str, Any]:
        return {"user": request.user, "officers": officers_for(*rows)}

    def done_message(self, count: int) -> str:
        return ngettext("{n} report assigned.", "{n} reports assigned.", count).format(n=count)


class ReportBulkMergeView(ReportBulkView):
    """Duplicates closed in one step: the report kept, the others merged into it."""

    form_class = BulkMergeForm
    title = gettext_lazy("Close the chosen reports as duplicates")
    button = gettext_lazy("Merge and close the duplicates")

    def get_form_kwargs(self, request: HttpRequest, rows: list[Any]) -> dict[str, Any]:
        return {"reports": rows}

    def call_service(
        self, request: HttpRequest, row: Any, data: dict[str, Any], rows: list[Any]
    ) -> Any:
        keep = next(r for r in rows if r.pk == data["keep"])
        if row.pk != keep.pk:
            services.report_merge(request.user, row, into=keep)

    def done_message(self, count: int) -> str:
        return ngettext(
            "{n} report closed as a duplicate.", "{n} reports closed as duplicates.", count - 1
        ).format(n=count - 1)


# The actions over the rows chosen on the list, under reports/bulk/<name>/.
REPORT_BULK_ACTIONS: dict[str, type[ReportBulkView]] = {
    "assign": ReportBulkAssignView,
    "merge": ReportBulkMergeView,
}

# The actions under reports/<pk>/action/<name>/ (reports.urls); other names are 404.
REPORT_ACTIONS: dict[str, type[ReportActionView]] = {
    "triage": ReportTriageView,
    "verify": ReportVerifyView,
    "close": ReportCloseView,
    "assign": ReportAssignView,
    "resolve": ReportResolveView,
    "reopen": ReportReopenView,
    "extend": ReportExtendView,
    "priority": ReportPriorityView,
    "note": ReportNoteView,
    "message": ReportMessageView,
    "merge": ReportMergeView,
}


class CatalogueView(ScopedPageView):
    """The report categories the user may reword, with their questions, for the province's
    administrators (everyone else: 404)."""

    queryset = ServiceCategory.objects.prefetch_related("attributes")
    action = "change"
    template_name = "reports/catalogue.html"

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        return {**context, "categories": self.get_queryset(request)}


class CategoryTextsView(ObjectActionView):
    """A category's name, description and group, its questions and their answers, in
    Vietnamese, English and Arabic; every change is audited."""

    queryset = ServiceCategory.objects.select_related("jurisdiction")
    form_class = CategoryTextsForm
    object_kwarg = "category"
    service = services.category_texts_change
    template_name = "reports/category_texts.html"
    back_url = "reports:catalogue"

    def form_data(self, form: Any) -> dict[str, Any]:
        return cast("CategoryTextsForm", form).service_data()

    def get_title(self, obj: Any) -> str:
        return _("Wording of “{name}”").format(name=obj.name)
