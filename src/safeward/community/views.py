"""Community pages: groups (members, patrols, roster), movement models, drug-free assessments."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from safeward.community import filters, imports, services
from safeward.community import forms as f
from safeward.community.choices import (
    DEFAULT_CRITERIA,
    FortressResult,
    GroupStatus,
    GroupType,
    ModelStatus,
    ModelTheme,
)
from safeward.community.models import (
    FortressAssessment,
    FortressCriterion,
    Group,
    Membership,
    MovementModel,
    RosterSlot,
    ShieldPledge,
)
from safeward.community.tables import FortressAssessmentTable, GroupTable, MovementModelTable
from safeward.core.importviews import ImportView
from safeward.core.scoping import has_perm_anywhere
from safeward.core.views import (
    ObjectActionView,
    ObjectListView,
    ObjectView,
    ServiceFormView,
)
from safeward.geo.models import AdminUnit
from safeward.people import services as people

# --- groups --------------------------------------------------------------------------------
_LEADER = Membership.objects.filter(
    group=OuterRef("pk"), role="leader", left_on__isnull=True
).values("person__full_name")[:1]


class GroupListView(ObjectListView):
    queryset = Group.objects.select_related("unit__parent").annotate(
        member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)),
        leader_name=Subquery(_LEADER),
    )
    filterset = filters.GroupFilterSet
    table = GroupTable
    ordering = ("unit__path", "name")
    template_name = "community/groups.html"
    extra: ClassVar[dict[str, Any]] = {"types": GroupType.choices, "statuses": GroupStatus.choices}


class GroupView(ObjectView):
    queryset = Group.objects.select_related("unit__parent")
    template_name = "community/group_detail.html"
    context_object_name = "group"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            **context,
            # Names of members: only for those who run this group (a leader sees their own).
            "members": Membership.objects.restrict(request.user, "view")
            .filter(group=obj)
            .select_related("person")
            .order_by("left_on", "role", "person__full_name"),
            "patrols": obj.patrols.prefetch_related("members_present")[:20],
            "history": obj.status_changes.select_related("changed_by"),
            "hours": obj.patrols.aggregate(total=Sum("hours"))["total"] or 0,
            "can_manage": context["can_change"],
        }


class GroupAddView(ServiceFormView):
    queryset = Group.objects.all()
    form_class = f.GroupForm
    service = services.group_create
    back_url = "community:groups"
    success_url = "community:group"


class GroupEditView(ServiceFormView):
    queryset = Group.objects.select_related("unit")
    action = "change"
    form_class = f.GroupEditForm
    service = services.group_update
    initial_fields = tuple(services.GROUP_FIELDS)
    success_url = "community:group"


class GroupStatusView(ObjectActionView):
    queryset = Group.objects.select_related("unit")
    form_class = f.GroupStatusForm
    service = services.group_set_status
    back_url = "community:group"


class MemberAddView(ObjectActionView):
    """Adds a known person, or registers a new one in the group's unit first."""

    queryset = Group.objects.select_related("unit")
    form_class = f.MemberForm
    service = services.membership_add
    object_kwarg = "group"
    object_argument = "group"
    back_url = "community:group"

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        name, phone = data.pop("full_name"), data.pop("phone")
        data["person"] = data["person"] or people.person_create(
            request.user, unit=obj.unit, full_name=name, phone=phone
        )
        return super().call_service(request, obj, data)


class MemberEndView(ObjectActionView):
    queryset = Membership.objects.select_related("group", "person")
    form_class = f.MembershipEndForm
    service = services.membership_end

    def get_back_url(self, request: HttpRequest, obj: Any) -> str:
        return reverse("community:group", args=[obj.group_id])


class PatrolAddView(ObjectActionView):
    queryset = Group.objects.select_related("unit")
    form_class = f.PatrolForm
    service = services.patrol_log
    extra: ClassVar[dict[str, Any]] = {"help_anchor": "patrol"}
    object_kwarg = "group"
    object_argument = "group"
    back_url = "community:group"


class RosterView(ObjectView):
    """The printable roster of one week (``?week=`` any day of it; this week by default)."""

    queryset = Group.objects.select_related("unit__parent")
    template_name = "community/roster.html"
    context_object_name = "group"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        monday = _monday(request.GET.get("week"))
        return {
            **context,
            "week": services.roster_week(obj, monday),
            # Who patrols when names people: for those who run this group, not its neighbours.
            "names_shown": RosterSlot.objects.restrict(request.user, "view")
            .filter(group=obj)
            .exists(),
            "monday": monday,
            "sunday": monday + dt.timedelta(days=6),
            "prev": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "can_manage": context["can_change"],
        }


def _monday(value: str | None) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


class RosterAddView(ObjectActionView):
    queryset = Group.objects.select_related("unit")
    form_class = f.RosterSlotForm
    service = services.roster_slot_add
    object_kwarg = "group"
    object_argument = "group"
    back_url = "community:roster"

    def get_initial(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"date": timezone.localdate()}

    def get_success_url(self, request: HttpRequest, result: Any, obj: Any) -> str:
        return reverse("community:roster", args=[obj.pk]) + f"?week={result.date.isoformat()}"


# --- movement models -----------------------------------------------------------------------
class MovementModelListView(ObjectListView):
    queryset = MovementModel.objects.select_related("unit__parent", "replicated_from").annotate(
        unit_count=Count("units", distinct=True)
    )
    filterset = filters.MovementModelFilterSet
    table = MovementModelTable
    ordering = ("-start_date", "name")
    template_name = "community/models.html"
    extra: ClassVar[dict[str, Any]] = {
        "themes": ModelTheme.choices,
        "statuses": ModelStatus.choices,
    }


class MovementModelView(ObjectView):
    queryset = MovementModel.objects.select_related("unit", "replicated_from__unit")
    template_name = "community/model_detail.html"
    context_object_name = "model"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            **context,
            "units": obj.units.order_by("path"),
            "replicas": obj.replicas.restrict(request.user, "view").select_related("unit"),
            "evaluations": obj.evaluations.all(),
            "can_evaluate": context["can_change"],
            "can_replicate": has_perm_anywhere(request.user, "community.add_movementmodel"),
        }


class MovementModelAddView(ServiceFormView):
    queryset = MovementModel.objects.all()
    form_class = f.MovementModelForm
    service = services.movement_model_create
    back_url = "community:models"
    success_url = "community:model"


class EvaluationAddView(ObjectActionView):
    queryset = MovementModel.objects.select_related("unit")
    form_class = f.EvaluationForm
    service = services.evaluation_add
    object_argument = "movement_model"
    back_url = "community:model"


class MovementModelReplicateView(ObjectActionView):
    """Any model the user sees may be copied to a unit where they may add one."""

    queryset = MovementModel.objects.select_related("unit")
    action = "view"
    permission = "community.add_movementmodel"
    form_class = f.ReplicateForm
    service = services.movement_model_replicate
    back_url = "community:model"

    def get_success_url(self, request: HttpRequest, result: Any, obj: Any) -> str:
        return reverse("community:model", args=[result.pk])


# --- fortress assessments and pledges ------------------------------------------------------
class FortressAssessmentListView(ObjectListView):
    queryset = FortressAssessment.objects.select_related("unit__parent")
    filterset = filters.FortressAssessmentFilterSet
    table = FortressAssessmentTable
    ordering = ("-period_end", "unit__path")
    template_name = "community/assessments.html"

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        can_pledge = has_perm_anywhere(request.user, "community.add_shieldpledge")
        return {**context, "results": FortressResult.choices, "can_pledge": can_pledge}


class FortressAssessmentView(ObjectView):
    queryset = FortressAssessment.objects.select_related("unit__parent")
    template_name = "community/assessment_detail.html"
    context_object_name = "a"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        history = self.get_queryset(request).filter(unit=obj.unit).order_by("-period_end")
        return {**context, "history": history}


class FortressAssessAddView(ServiceFormView):
    """The checklist holds the unit's own criteria: only a unit the user may assess shows it."""

    queryset = FortressAssessment.objects.all()
    form_class = f.AssessmentForm
    service = services.fortress_assess
    template_name = "community/assessment_form.html"
    back_url = "community:assessments"
    success_url = "community:assessment"

    def get_form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        unit_id = request.POST.get("unit") or request.GET.get("unit") or ""
        unit = (
            AdminUnit.objects.get_visible(request.user, "add", of=FortressAssessment, pk=unit_id)
            if unit_id
            else AdminUnit(path="/")
        )
        return {**super().get_form_kwargs(request, obj), "checklist": services.checklist_for(unit)}

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return services.fortress_assess(
            request.user,
            unit=data["unit"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            checks=self.form.checks(),  # type: ignore[attr-defined]
            note=data["note"],
        )

    def get_form(self, request: HttpRequest, obj: Any) -> forms.Form:
        self.form = super().get_form(request, obj)
        return self.form


class CriteriaView(ServiceFormView):
    """The built-in checklist, the criteria units in scope have added, and a form to add one."""

    queryset = FortressCriterion.objects.select_related("unit")
    permission = "community.view_fortresscriterion"
    form_class = f.CriterionForm
    service = services.criterion_add
    template_name = "community/criteria.html"
    success_url = "community:criteria"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_perm_anywhere(request.user, "community.add_fortresscriterion"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        editable = FortressCriterion.objects.restrict(request.user, "change")
        return {
            **context,
            "builtin": DEFAULT_CRITERIA,
            "extra": self.queryset.all().restrict(request.user, "view"),  # type: ignore[union-attr]
            "editable": set(editable.values_list("pk", flat=True)),
        }


class CriterionEditView(ObjectActionView):
    queryset = FortressCriterion.objects.select_related("unit")
    form_class = f.CriterionEditForm
    service = services.criterion_change
    initial_fields = ("label", "active")
    back_url = "community:criteria"

    def get_title(self, obj: Any) -> str:
        return f"{obj.label} ({obj.code})"


class PledgeAddView(ServiceFormView):
    queryset = ShieldPledge.objects.all()
    form_class = f.PledgeForm
    service = services.pledge_record
    back_url = "community:assessments"
    success_url = "community:assessments"


class CommunityImportView(ImportView):
    """Groups, members, households, sessions and participants share one import page."""

    codes = imports.SHARED_CODES
    title = gettext_lazy("Import from CSV or XLSX")
    job_url = "community:import-job"
