"""Footage request pages for staff, the custodian's one-time upload page, public statistics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeward.cameras.querysets import all_cameras
from safeward.cameras.services import CUSTODIAN, camera_candidates_for_report
from safeward.core.audit import audit_record
from safeward.core.errors import DomainError
from safeward.core.files import safe_filename, serve_stored_file
from safeward.core.personal import shown_to
from safeward.core.scoping import has_perm_anywhere, has_perm_at
from safeward.core.views import ObjectListView, ObjectView
from safeward.evidence import services
from safeward.evidence.choices import Acquisition, CustodyAction, RequestStatus
from safeward.evidence.filters import FootageRequestFilterSet
from safeward.evidence.forms import (
    AnswerForm,
    DecisionForm,
    OfficerUploadForm,
    RequestForm,
    RetentionForm,
    UploadForm,
)
from safeward.evidence.minutes import minutes_pdf
from safeward.evidence.models import CustodyEvent, EvidenceItem, FootageRequest, RequestTarget
from safeward.evidence.services import items
from safeward.evidence.stats import ward_request_stats
from safeward.evidence.tables import FootageRequestTable
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit
from safeward.reports.querysets import all_reports

if TYPE_CHECKING:
    from safeward.reports.models import Report


class RequestListView(ObjectListView):
    """Footage requests, and the recent reports with a place a request may start from."""

    queryset = FootageRequest.objects.select_related("unit", "report").annotate(
        target_count=Count("targets", distinct=True),
        clip_count=Count("items", distinct=True),
    )
    filterset = FootageRequestFilterSet
    table = FootageRequestTable
    template_name = "evidence/requests.html"
    extra: ClassVar[dict[str, Any]] = {"statuses": RequestStatus.choices}

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        recent: list[Report] = []
        if context.get("can_add"):
            since = timezone.now() - dt.timedelta(days=7)
            recent = list(
                all_reports()
                .restrict(request.user, "view")
                .filter(latitude__isnull=False, occurred_at__gte=since)
                .order_by("-occurred_at")[:20]
            )
        return {**super().get_context(request, **context), "recent": recent}


def _window(report: Report) -> dict[str, Any]:
    start = report.occurred_at - dt.timedelta(minutes=30)
    return {"window_start": start, "window_end": start + dt.timedelta(hours=1), "radius_m": 200}


@login_required
def request_add(request: HttpRequest, report_pk: int) -> HttpResponse:
    """A request from a report: the form offers the cameras that may have seen it."""
    if not has_perm_anywhere(request.user, "evidence.add_footagerequest"):
        raise Http404
    report = all_reports().get_visible(request.user, pk=report_pk)
    candidates = camera_candidates_for_report(
        report, queryset=all_cameras().restrict(request.user, "view")
    )
    form = RequestForm(request.POST or None, initial=_window(report))
    form.fields["cameras"].choices = [  # type: ignore[attr-defined]
        (c.camera.pk, str(c.camera)) for c in candidates
    ]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["cameras"] = [c.camera for c in candidates if c.camera.pk in data["cameras"]]
        try:
            created = services.footage_request_create(request.user, report=report, **data)
            return redirect("evidence:request", pk=created.pk)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    context = {
        "report": report,
        "candidates": candidates,
        "form": form,
        "custodian_shown": shown_to(request.user, CUSTODIAN, [c.camera for c in candidates]),
    }
    return render(request, "evidence/request_form.html", context)


def _request_context(request: HttpRequest, footage: FootageRequest) -> dict[str, Any]:
    user = request.user
    targets = list(footage.targets.select_related("camera"))
    may_upload = footage.status == RequestStatus.APPROVED and has_perm_at(
        user, "evidence.add_evidenceitem", footage.unit
    )
    upload_form = OfficerUploadForm(targets=targets) if may_upload else None
    if upload_form is not None and not upload_form.fields["target"].choices:  # type: ignore[attr-defined]
        upload_form = None
    return {
        "footage": footage,
        "targets": targets,
        # Front members approve requests; who keeps each camera is for the police only.
        "custodian_shown": shown_to(user, CUSTODIAN, [t.camera for t in targets]),
        "approvals": footage.approvals.select_related("approver"),
        "items": footage.items.all(),
        "decision_form": DecisionForm(),
        "answer_form": AnswerForm(),
        "upload_form": upload_form,
        "may_close": footage.status != RequestStatus.CLOSED
        and has_perm_at(user, "evidence.change_footagerequest", footage.unit),
    }


def _visible_request(request: HttpRequest, pk: int) -> FootageRequest:
    return cast(
        FootageRequest,
        FootageRequest.objects.select_related("unit", "report").get_visible(request.user, pk=pk),
    )


class RequestView(ObjectView):
    queryset = FootageRequest.objects.select_related("unit", "report")
    template_name = "evidence/request.html"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        links = request.session.pop(f"links-{obj.pk}", {})
        return {**context, **_request_context(request, obj), "links": links}


def _close(request: HttpRequest, footage: FootageRequest, context: dict[str, Any]) -> None:
    services.footage_request_close(request.user, footage)


def _officer_upload(request: HttpRequest, footage: FootageRequest, context: dict[str, Any]) -> None:
    if footage.status != RequestStatus.APPROVED:
        raise DomainError(_("This request is not open for footage."), field="target")
    form = OfficerUploadForm(request.POST, request.FILES, targets=context["targets"])
    context["upload_form"] = form
    if not form.is_valid():
        raise DomainError(_("Correct the clip's details below."))
    data = dict(form.cleaned_data)
    target = RequestTarget.objects.select_related("request", "camera").get_visible(
        request.user, "view", pk=data.pop("target"), request=footage
    )
    upload_file = data.pop("file")
    items.evidence_receive(
        request.user,
        upload=upload_file,
        filename=upload_file.name,
        content_type=upload_file.content_type or "",
        target=target,
        **data,
    )


REQUEST_ACTIONS: dict[str, Callable[[HttpRequest, FootageRequest, dict[str, Any]], None]] = {
    "close": _close,
    "upload": _officer_upload,
}


@login_required
@require_POST
def request_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Close a request or upload a clip; htmx gets the refreshed panel, a plain form a redirect."""
    if name not in REQUEST_ACTIONS:
        raise Http404
    footage = _visible_request(request, pk)
    context = _request_context(request, footage)
    try:
        REQUEST_ACTIONS[name](request, footage, context)
    except DomainError as exc:
        _show_error(context, context.get("upload_form") if name == "upload" else None, exc)
        return _panel(request, "evidence/request.html", "evidence/_request_panel.html", context)
    footage.refresh_from_db()
    context = _request_context(request, footage)
    if request.headers.get("HX-Request"):
        return render(request, "evidence/_request_panel.html", context)
    return redirect("evidence:request", pk=footage.pk)


def _show_error(context: dict[str, Any], form: Any, exc: DomainError) -> None:
    """Put the message beside the field at fault, or above the panel when no field is."""
    if form is not None and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        context["action_error"] = exc.message


def _panel(request: HttpRequest, page: str, partial: str, context: dict[str, Any]) -> HttpResponse:
    """A refused action: htmx swaps the partial in (so 200), a plain post gets the page and a 400."""
    if request.headers.get("HX-Request"):
        return render(request, partial, context)
    return render(request, page, context, status=400)


@login_required
@require_POST
def request_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    footage = FootageRequest.objects.get_visible(request.user, pk=pk)
    note = request.POST.get("note", "")
    try:
        if decision == "approve":
            tokens = services.footage_request_approve(request.user, footage, note=note)
            links = {
                str(k): request.build_absolute_uri(reverse("evidence:upload", args=[v]))
                for k, v in tokens.items()
            }
            request.session[f"links-{footage.pk}"] = links
        else:
            services.footage_request_reject(request.user, footage, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("evidence:request", pk=pk)


@login_required
@require_POST
def target_answer(request: HttpRequest, pk: int) -> HttpResponse:
    target = RequestTarget.objects.select_related("request", "camera").get_visible(
        request.user, "change", pk=pk
    )
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.target_respond(request.user, target, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("evidence:request", pk=target.request_id)


def upload(request: HttpRequest, token: str) -> HttpResponse:
    """The custodian's page behind a one-time link: upload the clip or answer the request."""
    target = services.target_for_token(token)
    if target is None:
        return render(request, "evidence/upload_gone.html", status=404)
    form = UploadForm(request.POST or None, request.FILES or None)
    answer = AnswerForm(request.POST or None) if "response" in request.POST else AnswerForm()
    done = None
    if request.method == "POST" and "response" in request.POST and answer.is_valid():
        services.target_respond(None, target, **answer.cleaned_data)
        done = _("Thank you. Your answer was recorded.")
    elif request.method == "POST" and form.is_valid():
        done = _receive(form, target)
    context = {"target": target, "form": form, "answer": answer, "done": done}
    return render(request, "evidence/upload.html", context)


def _receive(form: UploadForm, target: RequestTarget) -> str | None:
    upload_file = form.cleaned_data["file"]
    try:
        item = items.evidence_receive(
            None,
            upload=upload_file,
            filename=upload_file.name,
            content_type=upload_file.content_type or "",
            recorded_start=form.cleaned_data["recorded_start"],
            recorded_end=form.cleaned_data["recorded_end"],
            acquisition=Acquisition.CUSTODIAN_UPLOAD,
            target=target,
            declared_sha256=form.cleaned_data["declared_sha256"],
            reason_outside_window=form.cleaned_data["reason_outside_window"],
        )
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None
    return _("Received. SHA-256: {hash}").format(hash=item.sha256)


def _item_context(request: HttpRequest, item: EvidenceItem, form: Any = None) -> dict[str, Any]:
    may_change = item.purged_at is None and has_perm_at(
        request.user, "evidence.change_evidenceitem", item.unit
    )
    return {
        "item": item,
        "custody": item.custody.order_by("seq"),
        "retention_form": (form or RetentionForm(initial={"retention": item.retention}))
        if may_change
        else None,
    }


def _visible_item(request: HttpRequest, pk: int) -> EvidenceItem:
    return cast(
        EvidenceItem,
        EvidenceItem.objects.select_related("unit", "camera", "request").get_visible(
            request.user, pk=pk
        ),
    )


class ItemView(ObjectView):
    """A clip's page; every read is audited."""

    queryset = EvidenceItem.objects.select_related("unit", "camera", "request")
    template_name = "evidence/item.html"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        audit_record(request.user, "evidence.read", obj, sensitive_read=True)
        return {**context, **_item_context(request, obj)}


@login_required
@require_POST
def item_retention(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a clip's retention category; htmx gets the refreshed panel, a plain form a redirect."""
    item = _visible_item(request, pk)
    form = RetentionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Correct the retention change below."))
        items.evidence_set_retention(request.user, item, **form.cleaned_data)
    except DomainError as exc:
        context = _item_context(request, item, form)
        _show_error(context, form, exc)
        return _panel(request, "evidence/item.html", "evidence/_item_panel.html", context)
    item.refresh_from_db()
    if request.headers.get("HX-Request"):
        context = {**_item_context(request, item), "saved": True}
        return render(request, "evidence/_item_panel.html", context)
    return redirect("evidence:item", pk=item.pk)


def serve_clip(request: Any, pk: Any, action: str) -> FileResponse:
    """The clip's original bytes through the one file-serving helper; custody and audit are
    written by :func:`items.evidence_open`."""
    return serve_stored_file(
        request,
        EvidenceItem.objects,
        pk,
        filename=lambda item: safe_filename(item.original_name, "", fallback=f"clip-{item.pk}"),
        opener=lambda item: items.evidence_open(request.user, item, action=action),
        inline=action == CustodyAction.VIEWED,
    )


@login_required
def item_file(request: HttpRequest, pk: int) -> FileResponse:
    """Played in the clip's page (the custody chain records a view)."""
    return serve_clip(request, pk, CustodyAction.VIEWED)


@login_required
def item_download(request: HttpRequest, pk: int) -> FileResponse:
    return serve_clip(request, pk, CustodyAction.DOWNLOADED)


@login_required
def item_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    item = EvidenceItem.objects.select_related("unit", "camera", "request").get_visible(
        request.user, pk=pk
    )
    items.evidence_open(request.user, item, action=CustodyAction.EXPORTED).close()
    response = HttpResponse(minutes_pdf(item), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-ban-{item.pk}.pdf"'
    return response


def public_stats(request: HttpRequest) -> HttpResponse:
    """Per-ward monthly counts of footage requests: published for everyone."""
    wards = AdminUnit.objects.filter(
        level=UnitLevel.WARD, pk__in=FootageRequest.objects.values("ward")
    )
    rows = [(ward, ward_request_stats(ward)) for ward in wards.order_by("name")]
    return render(request, "evidence/stats.html", {"rows": rows})


@login_required
def custodian_overview(request: HttpRequest) -> HttpResponse:
    """For a custodian: every request and every access that touched their cameras."""
    targets = (
        RequestTarget.objects.for_custodian(request.user)
        .select_related("request", "camera")
        .order_by("-request__created_at")
    )
    events = (
        CustodyEvent.objects.filter(item__camera__custodian_user=request.user)
        .select_related("item")
        .order_by("-at")[:200]
    )
    cameras = all_cameras().filter(custodian_user=request.user.pk).order_by("pk")
    return render(
        request,
        "evidence/custodian.html",
        {"targets": targets, "events": events, "cameras": cameras},
    )
