"""Footage request pages for staff, the custodian's one-time upload page, public statistics."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeward.cameras.querysets import all_cameras
from safeward.cameras.services import CUSTODIAN, camera_survey
from safeward.core.audit import audit_record
from safeward.core.errors import DomainError
from safeward.core.files import safe_filename, serve_stored_file
from safeward.core.personal import shown_to
from safeward.core.replica import replica_reads
from safeward.core.scoping import has_perm_anywhere, has_perm_at
from safeward.core.views import (
    ObjectActionView,
    ObjectListView,
    ObjectView,
    PanelActionView,
    ScopedPageView,
)
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
from safeward.evidence.querysets import APPROVE_PERM
from safeward.evidence.services import items
from safeward.evidence.services.deliveries import delivery_opened
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
        return {
            **super().get_context(request, **context),
            "recent": recent,
            "perms_approve": has_perm_anywhere(request.user, APPROVE_PERM),
        }


DEFAULT_RADIUS_M = 200


def _window(report: Report, radius_m: int) -> dict[str, Any]:
    """An hour around the incident, to the minute, ending no later than now."""
    start = report.occurred_at.replace(second=0, microsecond=0) - dt.timedelta(minutes=30)
    end = min(start + dt.timedelta(hours=1), timezone.now().replace(second=0, microsecond=0))
    return {
        "window_start": start,
        "window_end": max(end, start + dt.timedelta(minutes=1)),
        "radius_m": radius_m,
    }


def _radius(request: HttpRequest) -> int:
    """The radius to survey: the posted one, else the one asked for in the address, kept
    between 1 m and the hard maximum (the form reports a value past it)."""
    raw = request.POST.get("radius_m") or request.GET.get("radius_m") or ""
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_RADIUS_M
    return min(max(value, 1), services.HARD_MAX_RADIUS_M)


def _camera_choice(candidate: Any) -> str:
    how = _("sees the place") if candidate.sees_point else _("nearby: the way to or from it")
    return f"{candidate.camera} · {candidate.distance_m:.0f} m · {how}"


class RequestAddView(ObjectActionView):
    """A request from a report. The form offers every camera that may help, those that
    see the point and those within the radius that may show the way to or from it, and
    lists the cameras nearby that cannot be asked with the reason for each; the officer
    widens the radius (past the cap the request needs a second approval) and keeps the
    form whatever the survey finds."""

    queryset = all_reports()
    action = "view"
    permission = "evidence.add_footagerequest"
    form_class = RequestForm
    service = services.footage_request_create
    object_argument = "report"
    template_name = "evidence/request_form.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        report = self.get_visible(request, pk=kwargs.get("report_pk"))
        self.survey = None
        if report.latitude is not None and report.longitude is not None:
            self.survey = camera_survey(
                report.latitude,
                report.longitude,
                report.occurred_at,
                radius_m=_radius(request),
                queryset=all_cameras().restrict(request.user, "view"),
            )
        return report

    @property
    def candidates(self) -> list[Any]:
        return self.survey.askable if self.survey else []

    def get_initial(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return _window(obj, _radius(request))

    def get_form(self, request: HttpRequest, obj: Any) -> Any:
        form = super().get_form(request, obj)
        form.fields["cameras"].choices = [  # type: ignore[attr-defined]
            (c.camera.pk, _camera_choice(c)) for c in self.candidates
        ]
        # The radius is chosen once, in the survey above the form, which the form follows.
        form.fields["radius_m"].widget = forms.HiddenInput()
        form.limit_window(obj.occurred_at - services.HARD_MAX_WINDOW, timezone.now())  # type: ignore[attr-defined]
        return form

    def form_data(self, form: Any) -> dict[str, Any]:
        data = dict(form.cleaned_data)
        data["cameras"] = [c.camera for c in self.candidates if c.camera.pk in data["cameras"]]
        return data

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        survey = self.survey
        cameras = [c.camera for c in self.candidates]
        if survey is not None:
            cameras += [m.camera for m in survey.unavailable]
        radius = survey.radius_m if survey else _radius(request)
        return {
            **super().get_context(request, **context),
            "report": context["object"],
            "survey": survey,
            "candidates": self.candidates,
            "radius_m": radius,
            "radius_cap_m": services.radius_cap_m(),
            "radius_max_m": services.HARD_MAX_RADIUS_M,
            "wider_m": min(max(radius * 2, 100), services.HARD_MAX_RADIUS_M),
            "custodian_shown": shown_to(request.user, CUSTODIAN, cameras),
        }

    def get_success_message(self, request: HttpRequest, result: Any) -> str:
        return ""  # the request's page shows it waiting for approval

    def get_success_url(self, request: HttpRequest, result: Any, obj: Any) -> str:
        return reverse("evidence:request", args=[result.pk])


def _with_deliveries(targets: list[RequestTarget]) -> list[RequestTarget]:
    """Each target with its attempts (``attempts``) and the latest one (``delivery``)."""
    for target in targets:
        target.attempts = list(target.deliveries.all())  # type: ignore[attr-defined]
        target.delivery = target.attempts[-1] if target.attempts else None  # type: ignore[attr-defined]
    return targets


def _request_context(request: HttpRequest, footage: FootageRequest) -> dict[str, Any]:
    user = request.user
    targets = _with_deliveries(
        list(footage.targets.select_related("camera").prefetch_related("deliveries"))
    )
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
        "may_deliver": footage.status == RequestStatus.APPROVED
        and services.may_manage_deliveries(user, footage),
    }


class RequestView(ObjectView):
    queryset = FootageRequest.objects.select_related("unit", "report")
    template_name = "evidence/request.html"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        return {**context, **_request_context(request, obj)}


class RequestActionView(PanelActionView):
    """An action from the request's panel; the services check the right to act."""

    queryset = FootageRequest.objects.select_related("unit", "report")
    action = "view"
    panel_template = "evidence/_request_panel.html"
    page_template = "evidence/request.html"
    back_url = "evidence:request"
    refused_htmx_status = 200  # htmx swaps the refreshed panel in, the error at its top

    def get_panel_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return _request_context(request, obj)


class RequestCloseView(RequestActionView):
    service = services.footage_request_close


class RequestUploadView(RequestActionView):
    """An officer's clip against one camera of an approved request."""

    form_class = OfficerUploadForm
    form_context_name = "upload_form"
    invalid_message = gettext_lazy("Correct the clip's details below.")

    def get_form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"targets": list(obj.targets.select_related("camera"))}

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        if obj.status != RequestStatus.APPROVED:
            raise DomainError(_("This request is not open for footage."), field="target")
        target = RequestTarget.objects.select_related("request", "camera").get_visible(
            request.user, "view", pk=data.pop("target"), request=obj
        )
        upload_file = data.pop("file")
        return items.evidence_receive(
            request.user,
            upload=upload_file,
            filename=upload_file.name,
            content_type=upload_file.content_type or "",
            target=target,
            **data,
        )


# The actions under requests/<pk>/do/<name>/ (evidence.urls); other names are 404.
REQUEST_ACTIONS: dict[str, type[RequestActionView]] = {
    "close": RequestCloseView,
    "upload": RequestUploadView,
}


class RequestDecideView(RequestActionView):
    """The front's decision, from a plain form: a refusal comes back as a message."""

    form_class = DecisionForm
    refused_redirect = True


class RequestApproveView(RequestDecideView):
    """The approval queues the messages; the request's page shows how each one fares."""

    service = services.footage_request_approve


class RequestRejectView(RequestDecideView):
    service = services.footage_request_reject


REQUEST_DECISIONS: dict[str, type[RequestDecideView]] = {
    "approve": RequestApproveView,
    "reject": RequestRejectView,
}


class TargetAnswerView(PanelActionView):
    """An officer records a custodian's answer given by phone or in person."""

    queryset = RequestTarget.objects.select_related("request", "camera")
    form_class = AnswerForm
    service = services.target_respond
    panel_template = "evidence/_request_panel.html"
    page_template = "evidence/request.html"
    refused_redirect = True

    def get_panel_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return _request_context(request, obj.request)

    def get_back_url(self, request: HttpRequest, obj: Any) -> str:
        return reverse("evidence:request", args=[obj.request_id])


class TargetResendView(PanelActionView):
    """A new one-time link for a custodian who has not answered; confirmed first."""

    queryset = RequestTarget.objects.select_related("request", "request__unit", "camera")
    action = "view"
    permission = "evidence.change_footagerequest"  # and the service checks the request's unit
    service = services.delivery_resend
    panel_template = "evidence/_request_panel.html"
    page_template = "evidence/request.html"
    refused_htmx_status = 200
    confirm = True
    success_message = gettext_lazy("A new link is queued; the previous one no longer works.")

    def get_panel_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return _request_context(request, obj.request)

    def get_back_url(self, request: HttpRequest, obj: Any) -> str:
        return reverse("evidence:request", args=[obj.request_id])

    def get_confirm_title(self, obj: Any) -> str:
        return _("Send a new link to the custodian of camera #{camera}?").format(
            camera=obj.camera_id
        )

    def get_confirm_lines(
        self, request: HttpRequest, obj: Any, form: forms.Form
    ) -> list[tuple[str, str]]:
        channel = obj.camera.get_preferred_channel_display()
        return [
            (_("Previous link"), _("stops working at once")),
            (_("New link"), _("valid for {days} days").format(days=services.TOKEN_DAYS)),
            (_("Channel"), str(channel)),
        ]


class TargetLinkView(ObjectView):
    """The custodian's working link with a copy button, for the officer to pass on by
    phone or in person; each showing is a sensitive read in the audit log."""

    queryset = RequestTarget.objects.select_related("request", "request__unit", "camera")
    permission = "evidence.change_footagerequest"
    template_name = "evidence/delivery_link.html"
    partial_template_name = "evidence/_delivery_link.html"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        # A camera without a working link (answered, closed) is a page that says so.
        self.status = 200
        try:
            link, error = services.delivery_link(request.user, obj), ""
        except DomainError as exc:
            link, error = "", exc.message
        except PermissionDenied as exc:
            link, error, self.status = "", str(exc), 403
        return {**context, "target": obj, "link": link, "error": error}

    def get_status(self, obj: Any) -> int:
        return self.status

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response


def upload(request: HttpRequest, token: str) -> HttpResponse:
    """The custodian's page behind a one-time link: upload the clip or answer the request.

    The first opening is recorded on the link's delivery."""
    target = services.target_for_token(token)
    if target is None:
        return render(request, "evidence/upload_gone.html", status=404)
    delivery_opened(target)
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


class ItemView(ObjectView):
    """A clip's page; every read is audited."""

    queryset = EvidenceItem.objects.select_related("unit", "camera", "request")
    template_name = "evidence/item.html"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        audit_record(request.user, "evidence.read", obj, sensitive_read=True)
        return {**context, **_item_context(request, obj)}


class ItemRetentionView(PanelActionView):
    """Change a clip's retention category from its page."""

    queryset = EvidenceItem.objects.select_related("unit", "camera", "request")
    action = "view"
    form_class = RetentionForm
    service = items.evidence_set_retention
    panel_template = "evidence/_item_panel.html"
    page_template = "evidence/item.html"
    form_context_name = "retention_form"
    invalid_message = gettext_lazy("Correct the retention change below.")
    refused_htmx_status = 200
    done_context: ClassVar[dict[str, Any]] = {"saved": True}
    back_url = "evidence:item"

    def get_panel_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return _item_context(request, obj)


def serve_clip(request: Any, pk: Any, action: str) -> HttpResponseBase:
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
def item_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Played in the clip's page (the custody chain records a view)."""
    return serve_clip(request, pk, CustodyAction.VIEWED)


@login_required
def item_download(request: HttpRequest, pk: int) -> HttpResponseBase:
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


@replica_reads
def public_stats(request: HttpRequest) -> HttpResponse:
    """Per-ward monthly counts of footage requests: published for everyone."""
    wards = AdminUnit.objects.filter(
        level=UnitLevel.WARD, pk__in=FootageRequest.objects.values("ward")
    )
    rows = [(ward, ward_request_stats(ward)) for ward in wards.natural()]
    return render(request, "evidence/stats.html", {"rows": rows})


class CustodianView(ScopedPageView):
    """For a custodian: every request and every access that touched their cameras.

    The rows belong to the user (the cameras they keep), so the page needs no permission:
    someone who keeps no camera sees an empty page.
    """

    queryset = RequestTarget.objects.select_related("request", "camera").order_by(
        "-request__created_at"
    )
    owner_field = "camera__custodian_user"
    template_name = "evidence/custodian.html"

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        events = (
            CustodyEvent.objects.filter(item__camera__custodian_user=request.user)
            .select_related("item")
            .order_by("-at")[:200]
        )
        return super().get_context(
            request,
            **context,
            targets=self.get_queryset(request),
            events=events,
            cameras=all_cameras().filter(custodian_user=request.user.pk).order_by("pk"),
        )
