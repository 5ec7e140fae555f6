"""Self-managed groups, their members, patrols and rosters; movement models; drug-free assessments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safeward.community.choices import (
    ActivityKind,
    ContactPreference,
    FortressResult,
    GroupStatus,
    GroupType,
    LeadOrganisation,
    MemberRole,
    ModelStatus,
    ModelTheme,
)
from safeward.community.querysets import (
    GroupChildManager,
    GroupManager,
    MembershipManager,
    UnitScopedManager,
)
from safeward.core.querysets import pending_import_field, pending_visible


class VisibleGroupManager(GroupManager):  # type: ignore[misc,valid-type]
    """Hides the groups of an import still being written (see ``core.importing``)."""

    def get_queryset(self) -> Any:
        return super().get_queryset().filter(pending_visible())


class VisibleMembershipManager(MembershipManager):  # type: ignore[misc,valid-type]
    """Hides the memberships of an import still being written (see ``core.importing``)."""

    def get_queryset(self) -> Any:
        return super().get_queryset().filter(pending_visible())


class Group(models.Model):
    """A self-managed group (tổ tự quản) in a neighbourhood or ward."""

    period_field = "founded_on"

    unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="community_groups"
    )
    group_type = models.CharField(
        _("type"), max_length=20, choices=GroupType.choices, default=GroupType.SECURITY_ORDER
    )
    name = models.CharField(_("name"), max_length=150)
    status = models.CharField(
        _("status"), max_length=12, choices=GroupStatus.choices, default=GroupStatus.ACTIVE
    )
    households_covered = models.PositiveIntegerField(_("households covered"), default=0)
    founded_on = models.DateField(_("founded on"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set while an import is still writing its rows: hidden from every reader until then.
    pending_import = pending_import_field()

    objects = VisibleGroupManager()

    class Meta:
        ordering = ["unit_id", "name"]
        verbose_name = _("self-managed group")
        verbose_name_plural = _("self-managed groups")
        indexes = [models.Index(fields=["group_type", "status"], name="group_type_status_idx")]

    def __str__(self) -> str:
        return self.name


class GroupStatusChange(models.Model):
    """One change of a group's status (the group's history)."""

    scope_path_field = "group__unit__path"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=12, choices=GroupStatus.choices
    )
    to_status = models.CharField(
        pgettext_lazy("status change", "to"), max_length=12, choices=GroupStatus.choices
    )
    changed_on = models.DateField(_("changed on"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GroupChildManager()

    class Meta:
        ordering = ["-changed_on", "-id"]
        verbose_name = _("group status change")
        verbose_name_plural = _("group status changes")

    def __str__(self) -> str:
        return f"{self.group}: {self.from_status} → {self.to_status}"

    @property
    def audit_unit(self) -> Any:
        return self.group.unit


class Membership(models.Model):
    """A person's role in a group, from ``joined_on`` until ``left_on``."""

    scope_path_field = "group__unit__path"
    period_field = "joined_on"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="group_memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    contact_preference = models.CharField(
        _("contact preference"),
        max_length=10,
        choices=ContactPreference.choices,
        default=ContactPreference.PHONE,
    )
    # Set while an import is still writing its rows: hidden from every reader until then.
    pending_import = pending_import_field()

    objects = VisibleMembershipManager()

    class Meta:
        ordering = ["group_id", "role", "person__full_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(left_on__isnull=True),
                name="membership_one_active_role",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    @property
    def audit_unit(self) -> Any:
        return self.group.unit

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class Patrol(models.Model):
    """A patrol or other activity of a group: who went, where, what they saw, for how long."""

    scope_path_field = "group__unit__path"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="patrols")
    kind = models.CharField(
        _("kind"), max_length=10, choices=ActivityKind.choices, default=ActivityKind.PATROL
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    area = models.CharField(_("route or area"), max_length=200)
    observed = models.TextField(_("what was observed"), blank=True)
    members_present = models.ManyToManyField(
        "people.Person", blank=True, related_name="+", verbose_name=_("members present")
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    report_reference = models.CharField(
        _("report raised"), max_length=40, blank=True, help_text=_("Tracking code of a report")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GroupChildManager()

    class Meta:
        ordering = ["-date", "-start_time"]
        verbose_name = _("patrol or activity")
        verbose_name_plural = _("patrols and activities")

    def __str__(self) -> str:
        return f"{self.group} · {self.date} {self.area}"

    @property
    def audit_unit(self) -> Any:
        return self.group.unit


class RosterSlot(models.Model):
    """A member on patrol duty for one shift (the weekly duty roster)."""

    scope_path_field = "group__unit__path"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="roster_slots")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    area = models.CharField(_("route or area"), max_length=200, blank=True)

    objects = GroupChildManager()

    class Meta:
        ordering = ["date", "start_time", "person__full_name"]
        verbose_name = _("roster slot")
        verbose_name_plural = _("roster slots")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person", "date", "start_time"], name="roster_slot_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.date} {self.start_time:%H:%M}"

    @property
    def audit_unit(self) -> Any:
        return self.group.unit


class MovementModel(models.Model):
    """A mass-movement model (e.g. smart mass mobilisation for drug prevention).

    ``unit`` is the unit that owns the record; ``units`` are where it runs.
    A replica keeps ``replicated_from`` pointing at the original.
    """

    period_field = "start_date"

    name = models.CharField(_("name"), max_length=200)
    theme = models.CharField(_("theme"), max_length=24, choices=ModelTheme.choices)
    lead_organisation = models.CharField(
        _("lead organisation"), max_length=16, choices=LeadOrganisation.choices
    )
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    units = models.ManyToManyField(
        "geo.AdminUnit", related_name="movement_models", verbose_name=_("units where it runs")
    )
    start_date = models.DateField(_("start date"))
    status = models.CharField(
        _("status"), max_length=12, choices=ModelStatus.choices, default=ModelStatus.PILOTED
    )
    replicated_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replicas",
        verbose_name=_("replicated from"),
    )
    goals = models.TextField(_("goals"), blank=True)
    indicators = models.TextField(_("indicators"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitScopedManager()

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("movement model")
        verbose_name_plural = _("movement models")

    def __str__(self) -> str:
        return self.name


class ModelEvaluation(models.Model):
    """A dated evaluation of a movement model (score 0–100, findings, recommendations)."""

    scope_path_field = "movement_model__unit__path"

    movement_model = models.ForeignKey(
        MovementModel, on_delete=models.CASCADE, related_name="evaluations"
    )
    date = models.DateField(_("date"))
    score = models.PositiveSmallIntegerField(_("score"))
    findings = models.TextField(_("findings"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    evaluator = models.CharField(_("evaluator"), max_length=150, blank=True)

    objects = UnitScopedManager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("model evaluation")
        verbose_name_plural = _("model evaluations")

    def __str__(self) -> str:
        return f"{self.movement_model} · {self.date}"

    @property
    def audit_unit(self) -> Any:
        return self.movement_model.unit


class FortressCriterion(models.Model):
    """An extra drug-free criterion a unit adds to the built-in checklist for its subtree."""

    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    objects = UnitScopedManager()

    class Meta:
        ordering = ["unit_id", "code"]
        verbose_name = _("fortress criterion")
        verbose_name_plural = _("fortress criteria")
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="fortress_criterion_unique")
        ]

    def __str__(self) -> str:
        return self.label


class FortressAssessment(models.Model):
    """A neighbourhood's drug-free "fortress" checklist for one period, with its result.

    ``criteria`` maps each criterion code to ``{"label", "met", "evidence"}``.
    """

    period_field = "period_end"

    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    criteria = models.JSONField(_("criteria"), default=dict)
    result = models.CharField(_("result"), max_length=12, choices=FortressResult.choices)
    assessed_on = models.DateField(_("assessed on"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UnitScopedManager()

    class Meta:
        ordering = ["-period_end", "unit_id"]
        verbose_name = _("fortress assessment")
        verbose_name_plural = _("fortress assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_start", "period_end"], name="fortress_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="fortress_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start}–{self.period_end}"

    @property
    def met_count(self) -> int:
        return sum(1 for c in self.criteria.values() if c.get("met"))


class ShieldPledge(models.Model):
    """A household's "shield" pledge to keep its members away from drugs."""

    scope_path_field = "household__unit__path"
    period_field = "pledged_on"

    household = models.OneToOneField(
        "people.Household", on_delete=models.CASCADE, related_name="shield_pledge"
    )
    pledged_on = models.DateField(_("pledged on"))
    signed_by = models.CharField(_("signed by"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = UnitScopedManager()

    class Meta:
        ordering = ["-pledged_on"]
        verbose_name = _("shield pledge")
        verbose_name_plural = _("shield pledges")

    def __str__(self) -> str:
        return f"{self.household} · {self.pledged_on}"

    @property
    def audit_unit(self) -> Any:
        return self.household.unit
