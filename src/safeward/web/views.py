"""Shell pages: public landing, staff home with the unit picker, unit browser, audit list."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeward.core.models import AuditEvent
from safeward.core.rest.filters import AuditEventFilterSet
from safeward.core.scoping import has_perm_anywhere, has_perm_at
from safeward.core.services import signed_in
from safeward.core.views import (
    ObjectListView,
    ObjectView,
    ScopedPageView,
    ServiceFormView,
    next_url,
)
from safeward.geo import services as geo_services
from safeward.geo.choices import UnitLevel
from safeward.geo.filters import UnitPageFilterSet
from safeward.geo.models import AdminUnit, UnitSuccession
from safeward.web.forms import NeighbourhoodForm
from safeward.web.public import home_panels, public_links
from safeward.web.tables import AuditTable, UnitTable
from safeward.web.workqueue import work_queue

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
        .natural()[:200]
    )
    return [*assigned.values(), *(c for c in children if c.pk not in assigned)]


class HomeView(ScopedPageView):
    """A signed-in user's start: what waits for them (their work queue), their assignments,
    the unit they work in, and the panels of the apps whose permission they hold somewhere."""

    require_permission = False
    template_name = "web/home.html"

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        user = request.user
        panels = [
            p
            for p in home_panels()
            if p.permission is None or has_perm_anywhere(user, p.permission)
        ]
        return super().get_context(
            request,
            **context,
            assignments=user.active_assignments(),  # type: ignore[union-attr]
            current_unit=current_unit(request),
            picker_units=picker_units(request),
            home_panels=panels,
            work_queue=work_queue(user),
        )


@login_required
def unit_pick(request: HttpRequest) -> HttpResponse:
    """Work in another of the user's units, then go back where they were (on this site)."""
    unit = AdminUnit.objects.get_visible(request.user, pk=request.GET.get("unit"))
    request.session[CURRENT_UNIT_KEY] = unit.pk
    return redirect(next_url(request, reverse("web:home")))


class UnitListView(ObjectListView):
    queryset = AdminUnit.objects.annotate(child_count=Count("children"))
    filterset = UnitPageFilterSet
    filter_defaults: ClassVar[dict[str, str]] = {"era": "current"}
    table = UnitTable
    ordering = ("depth", "sort_key", "name")
    template_name = "web/units.html"
    extra: ClassVar[dict[str, Any]] = {"levels": UnitLevel.choices}


class UnitView(ObjectView):
    queryset = AdminUnit.objects.all()
    template_name = "web/unit_detail.html"
    context_object_name = "unit"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        children = obj.children.annotate(child_count=Count("children")).order_by(
            "valid_to", "sort_key", "code"
        )
        formed_from = UnitSuccession.objects.filter(successor=obj).select_related(
            "predecessor__parent"
        )
        passed_into = UnitSuccession.objects.filter(predecessor=obj).select_related("successor")
        for s in [*formed_from, *passed_into]:
            s.share_pct = round(s.share * 100, 1)  # type: ignore[attr-defined]
        ancestors = obj.ancestors()
        # Linked units the user may not open (above their own, across a merge) are named
        # but not linked: their pages answer 404.
        linked = [a.pk for a in ancestors]
        linked += [s.predecessor_id for s in formed_from] + [s.successor_id for s in passed_into]
        openable = set(
            AdminUnit.objects.restrict(request.user, "view")
            .filter(pk__in=linked)
            .values_list("pk", flat=True)
        )
        return {
            **context,
            "openable": openable,
            "ancestors": ancestors,
            "children": children,
            "formed_from": formed_from,
            "passed_into": passed_into,
            "descendant_count": AdminUnit.objects.subtree_of(obj).count() - 1,
            "can_add_child": obj.level == UnitLevel.WARD
            and obj.valid_to is None
            and has_perm_at(request.user, "geo.add_adminunit", obj),
        }


class NeighbourhoodAddView(ServiceFormView):
    """A new neighbourhood under a current ward the user may add units in."""

    queryset = AdminUnit.objects.all()
    permission = "geo.add_adminunit"
    form_class = NeighbourhoodForm
    template_name = "web/unit_form.html"
    success_url = "web:unit_detail"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        parent = self.get_visible(request, "view", pk=kwargs.get("pk"))
        if not has_perm_at(request.user, "geo.add_adminunit", parent):
            raise Http404
        return parent

    def get_initial(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {}

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return geo_services.unit_create(
            signed_in(request.user), parent=obj, valid_from=timezone.localdate(), **data
        )

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        return super().get_context(request, parent=context.get("object"), **context)


class AuditListView(ObjectListView):
    queryset = AuditEvent.objects.select_related("seal")
    filterset = AuditEventFilterSet
    table = AuditTable
    ordering = ("-id",)
    template_name = "web/audit.html"
