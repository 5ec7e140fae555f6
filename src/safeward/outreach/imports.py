"""Imports of sessions and course participants (CSV/XLSX), offered on the shared import page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeward.core.errors import Conflict, DomainError
from safeward.core.importing import (
    ImportKind,
    cell_dates,
    cell_day,
    cell_int,
    cell_text,
    cell_unit,
    register_kind,
)
from safeward.core.services import require_perm
from safeward.outreach import services
from safeward.outreach.models import Course, Session
from safeward.people import services as people

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer


def _codes(value: str) -> list[str]:
    return [c.strip() for c in value.replace(";", ",").split(",") if c.strip()]


def check_session(actor: Viewer, row: dict[str, str]) -> Any:
    unit = cell_unit(row)
    require_perm(actor, "outreach.add_session", unit)
    cell_day(row, "date")
    cell_text(row, "place", max_length=200, required=True)
    cell_text(row, "audience", max_length=200)
    cell_int(row, "attendance", minimum=0)
    return unit


def import_session(actor: Viewer, row: dict[str, str]) -> Session:
    unit = cell_unit(row)
    day = cell_day(row, "date")
    if Session.objects.filter(unit=unit, date=day, place=row["place"], topic=row["topic"]).exists():
        raise Conflict(_("This session is already recorded."), field="place")
    return services.session_create(
        actor,
        unit=unit,
        date=day,
        place=row["place"],
        topic=row["topic"],
        form=row.get("form") or "in_person",
        organisers=_codes(row.get("organisers", "")),
        audience=row.get("audience", ""),
        attendance=cell_int(row, "attendance", minimum=0),
        status=row.get("status") or None,
    )


def _course(actor: Viewer, row: dict[str, str]) -> Course:
    course_id = cell_int(row, "course_id", default=-1)
    course = Course.objects.restrict(actor, "change").filter(pk=course_id).first()
    if course is None:
        raise DomainError(
            _("No course {id} you may change.").format(id=row.get("course_id", "")[:20]),
            field="course_id",
        )
    return course


def check_participant(actor: Viewer, row: dict[str, str]) -> Any:
    course = _course(actor, row)
    cell_unit(row)
    cell_dates(row, "days_attended")
    return getattr(course, "unit", None)


def import_participant(actor: Viewer, row: dict[str, str]) -> Any:
    course = _course(actor, row)
    unit = cell_unit(row)
    name = cell_text(row, "full_name", max_length=120)
    phone = cell_text(row, "phone", max_length=20)
    person = people.person_find_or_create(actor, unit=unit, full_name=name, phone=phone)
    participant = services.participant_add(actor, course=course, person=person)
    days = cell_dates(row, "days_attended")
    if days:
        services.participant_mark_attendance(actor, participant, days=days)
    if row.get("result"):
        services.participant_assess(actor, participant, result=row["result"])
    return participant


SESSIONS = ImportKind(
    "sessions",
    gettext_lazy("Outreach sessions"),
    ["unit_code", "date", "place", "topic", "form", "organisers", "attendance"],
    lambda r: (
        r.get("unit_code", ""),
        r.get("date", ""),
        r.get("place", "").lower(),
        r.get("topic", ""),
    ),
    import_session,
    check=check_session,
)
PARTICIPANTS = ImportKind(
    "participants",
    gettext_lazy("Course participants"),
    ["course_id", "unit_code", "full_name", "phone", "days_attended", "result"],
    lambda r: (r.get("course_id", ""), r.get("full_name", "").lower(), r.get("phone", "")),
    import_participant,
    check=check_participant,
)


def register_kinds() -> None:
    register_kind(SESSIONS, "outreach.add_session")
    register_kind(PARTICIPANTS, "outreach.add_participant")


# Community and outreach share one import page (the same one at both addresses).
SHARED_CODES = ["groups", "members", "sessions", "participants"]
