"""Mass-movement models, their replicas and evaluations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from safeward.community.choices import (
    LeadOrganisation,
    ModelStatus,
    ModelTheme,
)
from safeward.community.models import (
    ModelEvaluation,
    MovementModel,
)
from safeward.community.rules import (
    require_choice,
    require_not_future,
    require_text,
    require_unit_valid,
)
from safeward.core.audit import audit_record, diff
from safeward.core.errors import Conflict, DomainError
from safeward.core.services import model_fields, object_delete, require_perm

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

MODEL_FIELDS = ["name", "theme", "lead_organisation", "status", "goals", "indicators"]


MIN_SCORE, MAX_SCORE = 0, 100


def _require_units_inside(unit: Any, units: list[Any]) -> None:
    for other in units:
        if not other.path.startswith(unit.path):
            raise DomainError(
                _("{other} is outside {unit}, which owns the model.").format(
                    other=other, unit=unit
                ),
                field="units",
            )


@transaction.atomic
def movement_model_create(
    actor: Viewer,
    *,
    unit: Any,
    name: str,
    theme: str,
    lead_organisation: str = LeadOrganisation.POLICE,
    start_date: dt.date,
    status: str = ModelStatus.PILOTED,
    units: Iterable[Any] = (),
    goals: str = "",
    indicators: str = "",
    replicated_from: MovementModel | None = None,
) -> MovementModel:
    """Record a mass-movement model owned by ``unit`` and running in ``units`` (default: unit)."""
    require_perm(actor, "community.add_movementmodel", unit)
    require_unit_valid(unit, start_date)
    require_choice(theme, ModelTheme, "theme")
    require_choice(lead_organisation, LeadOrganisation, "lead_organisation")
    require_choice(status, ModelStatus, "status")
    run_in = list(units) or [unit]
    _require_units_inside(unit, run_in)
    if replicated_from is not None and start_date < replicated_from.start_date:
        raise DomainError(
            _("A replica cannot start before the model it copies ({date}).").format(
                date=replicated_from.start_date
            ),
            field="start_date",
        )
    model = MovementModel.objects.create(
        unit=unit,
        name=require_text(name, "name", _("A name")),
        theme=theme,
        lead_organisation=lead_organisation,
        start_date=start_date,
        status=status,
        goals=goals,
        indicators=indicators,
        replicated_from=replicated_from,
    )
    model.units.set(run_in)
    audit_record(actor, "movementmodel.create", model, changes=model_fields(model, MODEL_FIELDS))
    return model


@transaction.atomic
def movement_model_update(actor: Viewer, model: MovementModel, **changes: Any) -> MovementModel:
    """Change a model's name, theme, lead, status, goals, indicators or units."""
    require_perm(actor, "community.change_movementmodel", model.unit)
    units = changes.pop("units", None)
    for key, choices in (
        ("theme", ModelTheme),
        ("status", ModelStatus),
        ("lead_organisation", LeadOrganisation),
    ):
        if key in changes:
            require_choice(changes[key], choices, key)
    before = model_fields(model, MODEL_FIELDS)
    for key in set(changes) & set(MODEL_FIELDS):
        setattr(model, key, changes[key])
    model.save()
    if units is not None:
        _require_units_inside(model.unit, list(units))
        model.units.set(units)
    audit_record(
        actor,
        "movementmodel.update",
        model,
        changes=diff(before, model_fields(model, MODEL_FIELDS)),
    )
    return model


@transaction.atomic
def movement_model_replicate(
    actor: Viewer,
    original: MovementModel,
    *,
    unit: Any,
    start_date: dt.date,
    units: Iterable[Any] = (),
) -> MovementModel:
    """Copy a model to other units, keeping the link to the original (marked replicated)."""
    replica = movement_model_create(
        actor,
        unit=unit,
        name=original.name,
        theme=original.theme,
        lead_organisation=original.lead_organisation,
        start_date=start_date,
        units=units,
        goals=original.goals,
        indicators=original.indicators,
        replicated_from=original,
    )
    if original.status in (ModelStatus.PILOTED, ModelStatus.RUNNING):
        original.status = ModelStatus.REPLICATED
        original.save(update_fields=["status"])
    return replica


@transaction.atomic
def movement_model_delete(actor: Viewer, model: MovementModel) -> None:
    """Delete a model that has no replicas."""
    object_delete(actor, model, check=_require_no_replicas, event="movementmodel.delete")


def _require_no_replicas(model: MovementModel) -> None:
    if model.replicas.exists():
        raise Conflict(_("This model has replicas; stop it instead of deleting it."), field="id")


def _check_evaluation(model: MovementModel, date: dt.date, score: int) -> None:
    if date < model.start_date:
        raise DomainError(
            _("The evaluation date {date} is before the model started ({start}).").format(
                date=date, start=model.start_date
            ),
            field="date",
        )
    require_not_future(date, "date")
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise DomainError(_("The score must be between 0 and 100."), field="score")


@transaction.atomic
def evaluation_add(
    actor: Viewer,
    *,
    movement_model: MovementModel,
    date: dt.date,
    score: int,
    findings: str = "",
    recommendations: str = "",
    evaluator: str = "",
) -> ModelEvaluation:
    """Record a dated evaluation of a model (not before it started, not in the future)."""
    require_perm(actor, "community.add_modelevaluation", movement_model.unit)
    _check_evaluation(movement_model, date, score)
    require_unit_valid(movement_model.unit, date, field="movement_model")
    evaluation = ModelEvaluation.objects.create(
        movement_model=movement_model,
        date=date,
        score=score,
        findings=findings,
        recommendations=recommendations,
        evaluator=evaluator,
    )
    audit_record(actor, "evaluation.add", evaluation, changes={"score": score, "date": date})
    return evaluation


@transaction.atomic
def evaluation_update(
    actor: Viewer, evaluation: ModelEvaluation, **changes: Any
) -> ModelEvaluation:
    """Correct an evaluation's date, score, findings or recommendations."""
    require_perm(actor, "community.change_modelevaluation", evaluation.movement_model.unit)
    names = ["date", "score", "findings", "recommendations", "evaluator"]
    before = model_fields(evaluation, names)
    for key in set(changes) & set(names):
        setattr(evaluation, key, changes[key])
    _check_evaluation(evaluation.movement_model, evaluation.date, evaluation.score)
    evaluation.save()
    audit_record(
        actor,
        "evaluation.update",
        evaluation,
        changes=diff(before, model_fields(evaluation, names)),
    )
    return evaluation


@transaction.atomic
def evaluation_delete(actor: Viewer, evaluation: ModelEvaluation) -> None:
    """Delete an evaluation recorded by mistake."""
    object_delete(actor, evaluation, event="evaluation.delete")
