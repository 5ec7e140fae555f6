"""Drug-free fortress assessments, unit criteria and households' shield pledges."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeward.community.choices import (
    DEFAULT_CRITERIA,
    FortressResult,
)
from safeward.community.models import (
    FortressAssessment,
    FortressCriterion,
    ShieldPledge,
)
from safeward.community.rules import (
    require_not_future,
    require_text,
    require_unit_valid,
)
from safeward.core.audit import audit_record, diff
from safeward.core.errors import Conflict, DomainError
from safeward.core.services import acting_user, object_delete, require_perm
from safeward.geo.choices import UnitLevel

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer


def checklist_for(unit: Any) -> list[tuple[str, str]]:
    """The built-in criteria plus those added by ``unit`` or any unit above it."""
    ancestors = [p for p in unit.path.strip("/").split("/") if p]
    extra = FortressCriterion.objects.filter(active=True, unit_id__in=[int(a) for a in ancestors])
    return [(code, str(label)) for code, label in DEFAULT_CRITERIA] + [
        (c.code, c.label) for c in extra.order_by("code")
    ]


CRITERION_LEVELS = (UnitLevel.PROVINCE, UnitLevel.WARD)


@transaction.atomic
def criterion_add(
    actor: Viewer, *, unit: Any, code: str, label: str, active: bool = True
) -> FortressCriterion:
    """Add a criterion to the drug-free checklist of ``unit``'s subtree (a province or ward)."""
    require_perm(actor, "community.add_fortresscriterion", unit)
    if unit.level not in CRITERION_LEVELS:
        raise DomainError(_("Criteria are added by a province or a ward."), field="unit")
    require_unit_valid(unit, timezone.localdate())
    if (
        code in dict(DEFAULT_CRITERIA)
        or FortressCriterion.objects.filter(unit=unit, code=code).exists()
    ):
        raise Conflict(_("The criterion “{code}” already exists.").format(code=code), field="code")
    criterion = FortressCriterion.objects.create(
        unit=unit, code=code, label=require_text(label, "label", _("A label")), active=active
    )
    audit_record(actor, "criterion.add", criterion)
    return criterion


@transaction.atomic
def criterion_change(
    actor: Viewer,
    criterion: FortressCriterion,
    *,
    label: str | None = None,
    active: bool | None = None,
) -> FortressCriterion:
    """Reword a criterion or switch it off for future assessments.

    Past assessments keep the wording they were made with (it is stored with them), and
    the code never changes, so their results stay readable.
    """
    require_perm(actor, "community.change_fortresscriterion", criterion.unit)
    before = {"label": criterion.label, "active": criterion.active}
    if label is not None:
        criterion.label = require_text(label, "label", _("A label"))
    if active is not None:
        criterion.active = bool(active)
    changes = diff(before, {"label": criterion.label, "active": criterion.active})
    if changes:
        criterion.save(update_fields=list(changes))
        audit_record(actor, "criterion.change", criterion, changes=changes)
    return criterion


def fortress_result(criteria: dict[str, dict[str, Any]]) -> str:
    """Fortress when every criterion is met; at risk while drugs are present; else progressing."""
    if all(c["met"] for c in criteria.values()):
        return FortressResult.FORTRESS
    core = [criteria.get(code, {"met": True})["met"] for code in ("no_hotspot", "no_new_users")]
    return FortressResult.PROGRESSING if all(core) else FortressResult.AT_RISK


def build_criteria(unit: Any, checks: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Validate ``{code: {"met": bool, "evidence": str}}`` against the unit's checklist."""
    checklist = checklist_for(unit)
    known = {code for code, _label in checklist}
    unknown = sorted(set(checks) - known)
    if unknown:
        raise DomainError(
            _("Unknown criterion “{code}”.").format(code=unknown[0]), field="criteria"
        )
    result: dict[str, dict[str, Any]] = {}
    for code, label in checklist:
        if code not in checks:
            raise DomainError(
                _("The criterion “{label}” was not assessed.").format(label=label), field="criteria"
            )
        met, evidence = bool(checks[code].get("met")), str(checks[code].get("evidence", "")).strip()
        if met and not evidence:
            raise DomainError(
                _("The criterion “{label}” is marked met without an evidence note.").format(
                    label=label
                ),
                field="criteria",
            )
        result[code] = {"label": label, "met": met, "evidence": evidence}
    return result


@transaction.atomic
def fortress_assess(
    actor: Viewer,
    *,
    unit: Any,
    period_start: dt.date,
    period_end: dt.date,
    checks: dict[str, Any],
    note: str = "",
    assessed_on: dt.date | None = None,
) -> FortressAssessment:
    """Assess a neighbourhood against the drug-free checklist for a period; the result follows."""
    require_perm(actor, "community.add_fortressassessment", unit)
    if unit.level != UnitLevel.NEIGHBOURHOOD:
        raise DomainError(
            _("Fortress assessments are made per neighbourhood or village."), field="unit"
        )
    if period_end < period_start:
        raise DomainError(_("The period ends before it starts."), field="period_end")
    require_unit_valid(unit, period_end)
    assessed_on = assessed_on or timezone.localdate()
    if FortressAssessment.objects.filter(
        unit=unit, period_start=period_start, period_end=period_end
    ).exists():
        raise Conflict(
            _("{unit} was already assessed for this period.").format(unit=unit),
            field="period_start",
        )
    criteria = build_criteria(unit, checks)
    assessment = FortressAssessment.objects.create(
        unit=unit,
        period_start=period_start,
        period_end=period_end,
        criteria=criteria,
        result=fortress_result(criteria),
        assessed_on=assessed_on,
        note=note,
        created_by=acting_user(actor),
    )
    audit_record(actor, "fortress.assess", assessment, changes={"result": assessment.result})
    return assessment


@transaction.atomic
def fortress_update(
    actor: Viewer,
    assessment: FortressAssessment,
    *,
    checks: dict[str, Any] | None = None,
    note: str | None = None,
) -> FortressAssessment:
    """Re-record the checklist or note; the result is recomputed."""
    require_perm(actor, "community.change_fortressassessment", assessment.unit)
    before = assessment.result
    if checks is not None:
        assessment.criteria = build_criteria(assessment.unit, checks)
        assessment.result = fortress_result(assessment.criteria)
    if note is not None:
        assessment.note = note
    assessment.save()
    audit_record(
        actor, "fortress.update", assessment, changes={"result": [before, assessment.result]}
    )
    return assessment


@transaction.atomic
def fortress_delete(actor: Viewer, assessment: FortressAssessment) -> None:
    """Delete an assessment recorded by mistake."""
    object_delete(actor, assessment, event="fortress.delete")


@transaction.atomic
def pledge_record(
    actor: Viewer,
    *,
    household: Any,
    pledged_on: dt.date | None = None,
    signed_by: str = "",
    note: str = "",
) -> ShieldPledge:
    """Record a household's "shield" pledge (one per household)."""
    require_perm(actor, "community.add_shieldpledge", household.unit)
    pledged_on = pledged_on or timezone.localdate()
    require_not_future(pledged_on, "pledged_on")
    require_unit_valid(household.unit, pledged_on, field="household")
    if ShieldPledge.objects.filter(household=household).exists():
        raise Conflict(
            _("{household} has already pledged.").format(household=household), field="household"
        )
    pledge = ShieldPledge.objects.create(
        household=household, pledged_on=pledged_on, signed_by=signed_by, note=note
    )
    audit_record(actor, "pledge.record", pledge)
    return pledge


@transaction.atomic
def pledge_update(
    actor: Viewer, pledge: ShieldPledge, *, signed_by: str | None = None, note: str | None = None
) -> ShieldPledge:
    """Correct who signed a pledge or its note."""
    require_perm(actor, "community.change_shieldpledge", pledge.household.unit)
    if signed_by is not None:
        pledge.signed_by = signed_by
    if note is not None:
        pledge.note = note
    pledge.save()
    audit_record(actor, "pledge.update", pledge)
    return pledge


@transaction.atomic
def pledge_delete(actor: Viewer, pledge: ShieldPledge) -> None:
    """Withdraw a pledge recorded by mistake."""
    object_delete(actor, pledge, event="pledge.delete")
