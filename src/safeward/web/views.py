"""Shell pages: public landing, staff home with the unit picker, unit browser, audit list."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safeward.core.errors import DomainError
from safeward.core.filters import error_lines, filter_list, lists
from safeward.core.models import AuditEvent
from safeward.core.rest.filters import AuditEventFilterSet
from safeward.core.scoping import has_perm_at
from safeward.core.services import signed_in
from safeward.geo import services as geo_services
from safeward.geo.choices import UnitLevel
from safeward.geo.filters import UnitPageFilterSet
from safeward.geo.models import AdminUnit, UnitSuccession
from safeward.web.forms import NeighbourhoodForm
from safeward.web.public import home_panels, public_links

CURRENT_UNIT_KEY = "safeward_unit"


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for probes: ``status`` is ``ok``, ``degraded`` (figures not kept current) or
    ``down`` (no database, the only case answered with 503)."""
    from safeward.analytics.freshness import REFRESH_SECONDS, rollup_age_seconds

    try:
        age = rollup_age_seconds()
    except DatabaseError:
        return JsonResponse({"status": "down", "database": "down"}, status=503)
    limit = 2 * REFRESH_SECONDS
    stale = age is None or age > limit
    rollups = {
        "status": "stale" if stale else "ok",
        "age_seconds": None if age is None else round(age),
        "max_age_seconds": limit,
    }
    status = "degraded" if stale else "ok"
    return JsonResponse({"status": status, "database": "ok", "rollups": rollups})


def landing(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    current = AdminUnit.objects.valid_on(today)
    stats = current.aggregate(
        provinces=Count("pk", filter=Q(level=UnitLevel.PROVINCE)),
        wards=Count("pk", filter=Q(level=UnitLevel.WARD)),
        neighbourhoods=Count("pk", filter=Q(level=UnitLevel.NEIGHBOURHOOD)),
    )
    return render(request, "web/landing.html", {"stats": stats, "public_links": public_links()})


def current_unit(request: HttpRequest) -> AdminUnit | None:
    """The unit the user is working in (picked, else their first assignment's unit)."""
    visible = AdminUnit.objects.restrict(request.user, "view")
    picked = request.session.get(CURRENT_UNIT_KEY)
    if picked:
        unit = visible.filter(pk=picked).first()
        if unit:
            return unit
    first = request.user.active_assignments().first()  # type: ignore[union-attr]
    return first.unit if first else None


def picker_units(request: HttpRequest) -> list[AdminUnit]:
    """The user's assigned units followed by their current child units, in one query."""
    assigned = {a.unit.pk: a.unit for a in request.user.active_assignments()}  # type: ignore[union-attr]
    children = (
        AdminUnit.objects.restrict(request.user, "view")
        .filter(parent_id__in=list(assigned), valid_to__isnull=True)
        .order_by("name")[:200]
    )
    return [*assigned.values(), *(c for c in children if c.pk not in assigned)]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    panels = [p for p in home_panels() if p.permission is None or _has_any(user, p.permission)]
    return render(
        request,
        "web/home.html",
        {
            "assignments": user.active_assignments(),  # type: ignore[union-attr]
            "current_unit": current_unit(request),
            "picker_units": picker_units(request),
            "home_panels": panels,
        },
    )


def _has_any(user: Any, perm: str) -> bool:
    from safeward.core.scoping import has_perm_anywhere

    return has_perm_anywhere(user, perm)


@login_required
def unit_pick(request: HttpRequest) -> HttpResponse:
    unit = AdminUnit.objects.get_visible(request.user, pk=request.GET.get("unit"))
    request.session[CURRENT_UNIT_KEY] = unit.pk
    return redirect(request.GET.get("next") or "web:home")


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


@login_required
@lists(UnitPageFilterSet)
def units(request: HttpRequest) -> HttpResponse:
    qs = AdminUnit.objects.restrict(request.user, "view").annotate(child_count=Count("children"))
    data = request.GET.copy()
    data.setdefault("era", "current")  # the unit list opens on today's units
    filters = UnitPageFilterSet(data, queryset=qs, request=request)
    error = "" if filters.is_valid() else filters.error_detail().message
    qs = filters.qs if not error else qs.none()
    page = Paginator(qs.order_by("depth", "name"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/units.html",
        {
            "page": page,
            "q": data.get("q", ""),
            "level": data.get("level", ""),
            "era": data["era"],
            "levels": UnitLevel.choices,
            "filters": filters,
            "filter_errors": error_lines(filters) if error else [],
            "querystring_base": _querystring(request),
        },
        status=400 if error else 200,
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = AdminUnit.objects.get_visible(request.user, pk=pk)
    children = unit.children.annotate(child_count=Count("children")).order_by("valid_to", "code")
    formed_from = UnitSuccession.objects.filter(successor=unit).select_related(
        "predecessor__parent"
    )
    passed_into = UnitSuccession.objects.filter(predecessor=unit).select_related("successor")
    for s in [*formed_from, *passed_into]:
        s.share_pct = round(s.share * 100, 1)  # type: ignore[attr-defined]
    return render(
        request,
        "web/unit_detail.html",
        {
            "unit": unit,
            "ancestors": unit.ancestors(),
            "children": children,
            "formed_from": formed_from,
            "passed_into": passed_into,
            "descendant_count": AdminUnit.objects.subtree_of(unit).count() - 1,
            "can_add_child": unit.level == UnitLevel.WARD
            and unit.valid_to is None
            and has_perm_at(request.user, "geo.add_adminunit", unit),
        },
    )


@login_required
def unit_add(request: HttpRequest, pk: int) -> HttpResponse:
    parent = AdminUnit.objects.get_visible(request.user, pk=pk)
    if not has_perm_at(request.user, "geo.add_adminunit", parent):
        raise Http404
    form = NeighbourhoodForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                unit = geo_services.unit_create(
                    signed_in(request.user),
                    parent=parent,
                    code=data["code"],
                    name=data["name"],
                    kind=data["kind"],
                    centroid_lat=data["centroid_lat"],
                    centroid_lon=data["centroid_lon"],
                    population=data["population"],
                    boundary=data["boundary"],
                    valid_from=timezone.localdate(),
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return redirect("web:unit_detail", pk=unit.pk)
    return render(request, "web/unit_form.html", {"form": form, "parent": parent}, status=status)


@login_required
@lists(AuditEventFilterSet)
def audit(request: HttpRequest) -> HttpResponse:
    qs = AuditEvent.objects.restrict(request.user, "view").select_related("seal")
    filters, qs, error = filter_list(request, AuditEventFilterSet, qs)
    page = Paginator(qs.order_by("-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/audit.html",
        {
            "page": page,
            "f": request.GET,
            "filters": filters,
            "filter_errors": error_lines(filters) if error else [],
            "querystring_base": _querystring(request),
        },
        status=400 if error else 200,
    )
