"""Staff pages for cameras: list, detail, form, map, coverage, campaigns, import."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from safeward.cameras import services
from safeward.cameras.choices import CameraStatus, SharingMode
from safeward.cameras.coverage import unit_coverage
from safeward.cameras.forms import (
    EDITABLE,
    CameraForm,
    CampaignForm,
    ContributionForm,
    ExpenseForm,
    ImportForm,
)
from safeward.cameras.importing import import_file
from safeward.cameras.models import Camera, Campaign
from safeward.core.errors import DomainError
from safeward.core.scoping import has_perm_anywhere
from safeward.geo.models import AdminUnit


def _filtered(request: HttpRequest) -> Any:
    qs = Camera.objects.restrict(request.user, "view").select_related("unit")
    params = request.GET
    if params.get("status") in CameraStatus.values:
        qs = qs.filter(status=params["status"])
    if params.get("sharing_mode") in SharingMode.values:
        qs = qs.filter(sharing_mode=params["sharing_mode"])
    if params.get("unit", "").isdigit():
        qs = qs.filter(unit__path__contains=f"/{params['unit']}/")
    return qs


@login_required
def camera_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(_filtered(request), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cameras/list.html",
        {
            "page": page,
            "statuses": CameraStatus.choices,
            "modes": SharingMode.choices,
            "may_add": has_perm_anywhere(request.user, "cameras.add_camera"),
        },
    )


@login_required
def camera_detail(request: HttpRequest, pk: int) -> HttpResponse:
    camera = Camera.objects.select_related("unit").get_visible(request.user, pk=pk)
    return render(
        request,
        "cameras/detail.html",
        {"camera": camera, "consents": camera.consents.all(), "reasons": _health(camera)},
    )


def _health(camera: Camera) -> list[str]:
    found = []
    if camera.status != CameraStatus.WORKING:
        found.append(camera.get_status_display())
    if not camera.consents.filter(withdrawn_at__isnull=True).exists():
        found.append(_("Consent withdrawn"))
    return found


def _save(request: HttpRequest, form: CameraForm, camera: Camera | None) -> Camera | None:
    if not form.is_valid():
        return None
    data = {k: v for k, v in form.cleaned_data.items() if v is not None or k in EDITABLE}
    unit_id = data.pop("unit", None)
    try:
        if camera is not None:
            data.pop("consent_captured_how", None)
            return services.camera_update(request.user, camera=camera, **data)
        unit = AdminUnit.objects.get_visible(request.user, pk=unit_id)
        return services.camera_register(request.user, unit=unit, **data)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return None


@login_required
def camera_add(request: HttpRequest) -> HttpResponse:
    if not has_perm_anywhere(request.user, "cameras.add_camera"):
        raise PermissionDenied
    form = CameraForm(request.POST or None)
    if request.method == "POST" and (camera := _save(request, form, None)):
        return redirect("cameras:detail", pk=camera.pk)
    return render(request, "cameras/form.html", {"form": form})


@login_required
def camera_edit(request: HttpRequest, pk: int) -> HttpResponse:
    camera = Camera.objects.get_visible(request.user, "change", pk=pk)
    form = (
        CameraForm(request.POST or None)
        if request.method == "POST"
        else CameraForm.for_camera(camera)
    )
    if request.method == "POST":
        form.fields["unit"].required = False
        if saved := _save(request, form, camera):
            return redirect("cameras:detail", pk=saved.pk)
    return render(request, "cameras/form.html", {"form": form, "camera": camera})


@login_required
def camera_map(request: HttpRequest) -> HttpResponse:
    if not has_perm_anywhere(request.user, "cameras.view_camera"):
        raise PermissionDenied
    return render(
        request,
        "cameras/map.html",
        {"params": request.GET.urlencode(), "modes": SharingMode.choices},
    )


@login_required
def camera_map_data(request: HttpRequest) -> JsonResponse:
    rows = _filtered(request).values_list(
        "id", "latitude", "longitude", "bearing", "fov", "range_m", "status", "sharing_mode"
    )[:5000]
    keys = ["id", "lat", "lon", "bearing", "fov", "range", "status", "sharing"]
    return JsonResponse({"cameras": [dict(zip(keys, row, strict=True)) for row in rows]})


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    if not has_perm_anywhere(request.user, "cameras.view_camera"):
        raise PermissionDenied
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = AdminUnit.objects.get_visible(request.user, pk=request.GET["unit"])
    scoped = Camera.objects.restrict(request.user, "view")
    context = {
        "unit": unit,
        "coverage": unit_coverage(unit, scoped) if unit else None,
        "children": [unit_coverage(u, scoped) for u in unit.children.order_by("name")]
        if unit
        else [],
        "attention": scoped.needing_attention(90).select_related("unit")[:200],
    }
    return render(request, "cameras/coverage.html", context)


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    qs = (
        Campaign.objects.restrict(request.user, "view")
        .select_related("unit")
        .annotate(raised=Sum("contributions__amount_vnd"))
        .order_by("-starts_on", "id")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    form = None
    if has_perm_anywhere(request.user, "cameras.add_campaign"):
        form = CampaignForm(request.POST or None)
        campaign = None
        if request.method == "POST" and form.is_valid():
            campaign = _create_campaign(request, form)
        if campaign is not None:
            return redirect("cameras:campaign", pk=campaign.pk)
    return render(request, "cameras/campaigns.html", {"page": page, "form": form})


def _create_campaign(request: HttpRequest, form: CampaignForm) -> Campaign | None:
    data = dict(form.cleaned_data)
    try:
        unit = AdminUnit.objects.get_visible(request.user, pk=data.pop("unit"))
        return services.campaign_create(request.user, unit=unit, **data)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return None


def _record_money(request: HttpRequest, campaign: Campaign) -> tuple[Any, Any, bool]:
    """The contribution and expense forms; True when one of them was saved."""
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    gift = ContributionForm(posted if which == "contribution" else None)
    spend = ExpenseForm(posted if which == "expense" else None)
    form, write = (
        (gift, services.contribution_record)
        if which == "contribution"
        else (spend, services.expense_record)
    )
    if posted is None or which not in ("contribution", "expense") or not form.is_valid():
        return gift, spend, False
    try:
        write(request.user, campaign=campaign, **form.cleaned_data)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return gift, spend, False
    return gift, spend, True


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = Campaign.objects.select_related("unit").get_visible(request.user, pk=pk)
    gift, spend, saved = _record_money(request, campaign)
    if saved:
        return redirect("cameras:campaign", pk=campaign.pk)
    contributions = campaign.contributions.order_by("-date", "-id")
    expenses = campaign.expenses.order_by("-date", "-id")
    raised = contributions.aggregate(s=Sum("amount_vnd"))["s"] or 0
    spent = expenses.aggregate(s=Sum("amount_vnd"))["s"] or 0
    context = {
        "campaign": campaign,
        "contributions": contributions[:200],
        "expenses": expenses[:200],
        "raised": raised,
        "spent": spent,
        "balance": raised - spent,
        "may_record": has_perm_anywhere(request.user, "cameras.add_contribution"),
        "gift_form": gift,
        "spend_form": spend,
    }
    return render(request, "cameras/campaign.html", context)


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    if not has_perm_anywhere(request.user, "cameras.add_camera"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_file(
            request.user,
            kind=form.cleaned_data["kind"],
            content=upload.read(),
            filename=upload.name,
            valid_rows_only=form.cleaned_data["valid_rows_only"],
        )
    return render(request, "cameras/import.html", {"form": form, "result": result})
