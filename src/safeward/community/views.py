"""Community pages: groups (members, patrols, roster), movement models, drug-free assessments."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from safeward.community import filters, services
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
)
from safeward.community.tables import GroupTable
from safeward.core.filters import lists
from safeward.core.scoping import has_perm_anywhere
from safeward.core.viewkit import handle_form, list_page
from safeward.core.views import ObjectListView, ObjectView, ServiceFormView
from safeward.geo.models import AdminUnit
from safeward.people import services as people

FORM = "community/form.html"


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


def _managed(request: HttpRequest, pk: int) -> Group:
    return Group.objects.select_related("unit").get_visible(request.user, "change", pk=pk)


@login_required
def group_status(request: HttpRequest, pk: int) -> HttpResponse:
    group = _managed(request, pk)
    form = f.GroupStatusForm(request.POST or None)
    return handle_form(
        request,
        form,
        lambda d: services.group_set_status(request.user, group, **d),
        FORM,
        {"title": group.name, "back": reverse("community:group", args=[pk])},
        lambda c: reverse("community:group", args=[pk]),
    )


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = _managed(request, pk)
    form = f.MemberForm(request.POST or None, user=request.user, group=group)

    def save(d: dict[str, Any]) -> Any:
        person = d["person"] or people.person_create(
            request.user, unit=group.unit, full_name=d["full_name"], phone=d["phone"]
        )
        return services.membership_add(
            request.user,
            group=group,
            person=person,
            role=d["role"],
            joined_on=d["joined_on"],
            contact_preference=d["contact_preference"],
        )

    return handle_form(
        request,
        form,
        save,
        FORM,
        {"title": group.name, "back": reverse("community:group", args=[pk])},
        lambda m: reverse("community:group", args=[pk]),
    )


@login_required
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = Membership.objects.select_related("group", "person").get_visible(
        request.user, "change", pk=pk
    )
    form = f.MembershipEndForm(request.POST or None)
    back = reverse("community:group", args=[membership.group_id])
    return handle_form(
        request,
        form,
        lambda d: services.membership_end(request.user, membership, **d),
        FORM,
        {"title": f"{membership.person} · {membership.group}", "back": back},
        lambda m: back,
    )


@login_required
def patrol_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = _managed(request, pk)
    form = f.PatrolForm(request.POST or None, group=group)
    return handle_form(
        request,
        form,
        lambda d: services.patrol_log(request.user, group=group, **d),
        FORM,
        {"title": group.name, "back": reverse("community:group", args=[pk])},
        lambda p: reverse("community:group", args=[pk]),
    )


def _monday(value: str | None) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


@login_required
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    group = Group.objects.select_related("unit__parent").get_visible(request.user, pk=pk)
    monday = _monday(request.GET.get("week"))
    return render(
        request,
        "community/roster.html",
        {
            "group": group,
            "week": services.roster_week(group, monday),
            # Who patrols when names people: for those who run this group, not its neighbours.
            "names_shown": RosterSlot.objects.restrict(request.user, "view")
            .filter(group=group)
            .exists(),
            "monday": monday,
            "sunday": monday + dt.timedelta(days=6),
            "prev": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "can_manage": Group.objects.restrict(request.user, "change").filter(pk=pk).exists(),
        },
    )


@login_required
def roster_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = _managed(request, pk)
    form = f.RosterSlotForm(
        request.POST or None, group=group, initial={"date": timezone.localdate()}
    )
    return handle_form(
        request,
        form,
        lambda d: services.roster_slot_add(request.user, group=group, **d),
        FORM,
        {"title": group.name, "back": reverse("community:roster", args=[pk])},
        lambda s: reverse("community:roster", args=[pk]) + f"?week={s.date.isoformat()}",
    )


# --- movement models -----------------------------------------------------------------------
@login_required
@lists(filters.MovementModelFilterSet)
def models(request: HttpRequest) -> HttpResponse:
    qs = MovementModel.objects.restrict(request.user, "view").select_related(
        "unit", "replicated_from"
    )
    qs = qs.annotate(unit_count=Count("units", distinct=True))
    return list_page(
        request,
        qs,
        "community/models.html",
        order=["-start_date", "name"],
        filterset=filters.MovementModelFilterSet,
        add_perm="community.add_movementmodel",
        themes=ModelTheme.choices,
        statuses=ModelStatus.choices,
    )


@login_required
def model_detail(request: HttpRequest, pk: int) -> HttpResponse:
    model = MovementModel.objects.select_related("unit", "replicated_from").get_visible(
        request.user, pk=pk
    )
    return render(
        request,
        "community/model_detail.html",
        {
            "model": model,
            "units": model.units.order_by("path"),
            "replicas": model.replicas.restrict(request.user, "view").select_related("unit"),
            "evaluations": model.evaluations.all(),
            "can_evaluate": MovementModel.objects.restrict(request.user, "change")
            .filter(pk=pk)
            .exists(),
            "can_replicate": has_perm_anywhere(request.user, "community.add_movementmodel"),
        },
    )


@login_required
def model_add(request: HttpRequest) -> HttpResponse:
    form = f.MovementModelForm(request.POST or None, user=request.user)
    return handle_form(
        request,
        form,
        lambda d: services.movement_model_create(request.user, **d),
        FORM,
        {"title": MovementModel._meta.verbose_name, "back": reverse("community:models")},
        lambda m: reverse("community:model", args=[m.pk]),
    )


@login_required
def model_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    model = MovementModel.objects.get_visible(request.user, "change", pk=pk)
    form = f.EvaluationForm(request.POST or None)
    return handle_form(
        request,
        form,
        lambda d: services.evaluation_add(request.user, movement_model=model, **d),
        FORM,
        {"title": model.name, "back": reverse("community:model", args=[pk])},
        lambda e: reverse("community:model", args=[pk]),
    )


@login_required
def model_replicate(request: HttpRequest, pk: int) -> HttpResponse:
    model = MovementModel.objects.get_visible(request.user, pk=pk)
    form = f.ReplicateForm(request.POST or None, user=request.user)
    return handle_form(
        request,
        form,
        lambda d: services.movement_model_replicate(request.user, model, **d),
        FORM,
        {"title": model.name, "back": reverse("community:model", args=[pk])},
        lambda m: reverse("community:model", args=[m.pk]),
    )


# --- fortress assessments and pledges ------------------------------------------------------
@login_required
@lists(filters.FortressAssessmentFilterSet)
def assessments(request: HttpRequest) -> HttpResponse:
    qs = FortressAssessment.objects.restrict(request.user, "view").select_related("unit__parent")
    return list_page(
        request,
        qs,
        "community/assessments.html",
        order=["-period_end", "unit__path"],
        filterset=filters.FortressAssessmentFilterSet,
        add_perm="community.add_fortressassessment",
        results=FortressResult.choices,
        can_pledge=has_perm_anywhere(request.user, "community.add_shieldpledge"),
    )


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = FortressAssessment.objects.select_related("unit__parent").get_visible(
        request.user, pk=pk
    )
    history = FortressAssessment.objects.restrict(request.user, "view").filter(unit=assessment.unit)
    return render(
        request,
        "community/assessment_detail.html",
        {"a": assessment, "history": history.order_by("-period_end")},
    )


@login_required
def assessment_add(request: HttpRequest) -> HttpResponse:
    if not has_perm_anywhere(request.user, "community.add_fortressassessment"):
        raise Http404
    unit_id = request.POST.get("unit") or request.GET.get("unit") or ""
    # The checklist holds the unit's own criteria: only a unit the user may assess shows it.
    unit = (
        AdminUnit.objects.get_visible(request.user, "add", of=FortressAssessment, pk=unit_id)
        if unit_id
        else AdminUnit(path="/")
    )
    checklist = services.checklist_for(unit)
    form = f.AssessmentForm(request.POST or None, user=request.user, checklist=checklist)

    def save(d: dict[str, Any]) -> Any:
        return services.fortress_assess(
            request.user,
            unit=d["unit"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            checks=form.checks(),
            note=d["note"],
        )

    return handle_form(
        request,
        form,
        save,
        "community/assessment_form.html",
        {"back": reverse("community:assessments")},
        lambda a: reverse("community:assessment", args=[a.pk]),
    )


@login_required
def criteria(request: HttpRequest) -> HttpResponse:
    """The built-in checklist, the criteria units in scope have added, and a form to add one."""
    if request.method == "POST" and not has_perm_anywhere(
        request.user, "community.add_fortresscriterion"
    ):
        raise PermissionDenied
    extra = FortressCriterion.objects.restrict(request.user, "view").select_related("unit")
    form = f.CriterionForm(request.POST or None, user=request.user)
    return handle_form(
        request,
        form,
        lambda d: services.criterion_add(request.user, **d),
        "community/criteria.html",
        {
            "builtin": DEFAULT_CRITERIA,
            "extra": extra,
            "editable": set(
                FortressCriterion.objects.restrict(request.user, "change").values_list(
                    "pk", flat=True
                )
            ),
        },
        lambda c: reverse("community:criteria"),
    )


@login_required
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = FortressCriterion.objects.select_related("unit").get_visible(
        request.user, "change", pk=pk
    )
    form = f.CriterionEditForm(
        request.POST or None, initial={"label": criterion.label, "active": criterion.active}
    )
    return handle_form(
        request,
        form,
        lambda d: services.criterion_change(request.user, criterion, **d),
        FORM,
        {
            "title": f"{criterion.label} ({criterion.code})",
            "back": reverse("community:criteria"),
        },
        lambda c: reverse("community:criteria"),
    )


@login_required
def pledge_add(request: HttpRequest) -> HttpResponse:
    form = f.PledgeForm(request.POST or None, user=request.user)
    return handle_form(
        request,
        form,
        lambda d: services.pledge_record(request.user, **d),
        FORM,
        {"title": _pledge_title(), "back": reverse("community:assessments")},
        lambda p: reverse("community:assessments"),
    )


def _pledge_title() -> Any:
    from safeward.community.models import ShieldPledge

    return ShieldPledge._meta.verbose_name
