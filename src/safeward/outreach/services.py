"""Writes to sessions, posts, courses and participants, and the read helpers other apps use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from safeward.community import services as community
from safeward.core.audit import audit_record, diff
from safeward.core.errors import Conflict, DomainError
from safeward.core.services import (
    acting_user,
    model_fields,
    object_delete,
    object_update,
    require_perm,
)
from safeward.core.uploads import clean_media, looks_like_image, stored_files, video_type
from safeward.outreach.choices import (
    ONLINE_FORMS,
    CourseResult,
    Organiser,
    Platform,
    PostKind,
    SessionForm,
    SessionStatus,
    Topic,
)
from safeward.outreach.models import Course, Participant, Session, SessionMaterial, SocialPost

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

SESSION_FIELDS = [
    "date",
    "start_time",
    "place",
    "topic",
    "form",
    "organisers",
    "audience",
    "status",
    "attendance",
    "note",
]
COURSE_FIELDS = [
    "title",
    "topics",
    "start_date",
    "end_date",
    "place",
    "trainers",
    "organiser",
    "requires_group_role",
]
require_choice = community.require_choice
require_unit_valid = community.require_unit_valid


# --- sessions ------------------------------------------------------------------------------
def _check_organisers(organisers: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(organisers))
    for code in codes:
        require_choice(code, Organiser, "organisers")
    return codes


def _check_attendance(session: Session, roster_size: int) -> None:
    if session.attendance < 0:
        raise DomainError(_("Attendance cannot be negative."), field="attendance")
    if session.attendance < roster_size:
        raise DomainError(
            _("Attendance {count} is less than the {roster} people on the roster.").format(
                count=session.attendance, roster=roster_size
            ),
            field="attendance",
        )
    if session.form in ONLINE_FORMS:
        return
    population = community.unit_population(session.unit)
    if population is not None and session.attendance > population:
        raise DomainError(
            _("Attendance {count} is more than the {population} people living in {unit}.").format(
                count=session.attendance, population=population, unit=session.unit
            ),
            field="attendance",
        )


def _check_session(session: Session, roster_size: int) -> None:
    require_choice(session.topic, Topic, "topic")
    require_choice(session.form, SessionForm, "form")
    require_choice(session.status, SessionStatus, "status")
    if not session.place.strip():
        raise DomainError(_("The place is required."), field="place")
    if session.status == SessionStatus.HELD and session.date > timezone.localdate():
        raise DomainError(_("A session dated in the future can only be planned."), field="status")
    _check_attendance(session, roster_size)


@transaction.atomic
def session_create(
    actor: Viewer,
    *,
    unit: Any,
    date: dt.date,
    place: str,
    topic: str,
    form: str = SessionForm.IN_PERSON,
    organisers: Iterable[str] = (),
    audience: str = "",
    attendance: int | None = None,
    status: str | None = None,
    start_time: dt.time | None = None,
    attendees: Iterable[Any] = (),
    households: Iterable[Any] = (),
    note: str = "",
) -> Session:
    """Record a held session or plan one (future dates are planned); the roster sets a floor
    on attendance and in-person attendance cannot exceed the unit's population."""
    require_perm(actor, "outreach.add_session", unit)
    require_unit_valid(unit, date)
    roster = list(attendees)
    status = status or (
        SessionStatus.PLANNED if date > timezone.localdate() else SessionStatus.HELD
    )
    session = Session(
        unit=unit,
        date=date,
        place=place.strip(),
        topic=topic,
        form=form,
        audience=audience,
        organisers=_check_organisers(organisers),
        status=status,
        start_time=start_time,
        attendance=len(roster) if attendance is None else attendance,
        note=note,
        created_by=acting_user(actor),
    )
    _check_session(session, len(roster))
    session.save()
    session.attendees.set(roster)
    session.households.set(list(households))
    audit_record(actor, "session.create", session, changes=model_fields(session, SESSION_FIELDS))
    return session


@transaction.atomic
def session_update(actor: Viewer, session: Session, **changes: Any) -> Session:
    """Change a session's details, attendance or roster (``attendees``)."""
    require_perm(actor, "outreach.change_session", session.unit)
    roster = changes.pop("attendees", None)
    if "organisers" in changes:
        changes["organisers"] = _check_organisers(changes["organisers"])
    before = model_fields(session, SESSION_FIELDS)
    for key in set(changes) & set(SESSION_FIELDS):
        setattr(session, key, changes[key])
    roster_size = len(roster) if roster is not None else session.attendees.count()
    if "date" in changes:
        require_unit_valid(session.unit, session.date, field="date")
    _check_session(session, roster_size)
    session.save()
    if roster is not None:
        session.attendees.set(roster)
    audit_record(
        actor,
        "session.update",
        session,
        changes=diff(before, model_fields(session, SESSION_FIELDS)),
    )
    return session


@transaction.atomic
def session_delete(actor: Viewer, session: Session) -> None:
    """Delete a session recorded by mistake."""
    object_delete(actor, session, event="session.delete")


MATERIAL_MAX_BYTES = getattr(settings, "SAFEWARD_MATERIAL_MAX_BYTES", 50 * 1024 * 1024)
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
OFFICE_EXTENSIONS = set(OFFICE_TYPES)


def material_kind(head: bytes, name: str) -> str | None:
    """What a material file is, judged by its first bytes (never by its name alone)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if looks_like_image(head):
        return "image"
    if video_type(head):
        return "video"
    if head.startswith(b"PK\x03\x04") and Path(name).suffix.lower() in OFFICE_EXTENSIONS:
        return "document"
    return None


def _clean_material_file(file: Any) -> tuple[Any, str]:
    """The file to store and its content type: photos and videos lose their metadata
    (place, device, time) through the shared upload pipeline; PDFs and documents are kept."""
    size = getattr(file, "size", None) or 0
    if not size:
        raise DomainError(_("The file is empty."), field="file")
    if size > MATERIAL_MAX_BYTES:
        raise DomainError(
            _("The file is too large (at most {mb} MB).").format(
                mb=MATERIAL_MAX_BYTES // (1024 * 1024)
            ),
            field="file",
        )
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    name = getattr(file, "name", "") or ""
    kind = material_kind(head, name)
    if kind is None:
        raise DomainError(
            _("Only PDF, images, videos and office documents can be attached."), field="file"
        )
    if kind in ("image", "video"):
        clean = clean_media(
            file,
            field="file",
            max_image_bytes=MATERIAL_MAX_BYTES,
            max_video_bytes=MATERIAL_MAX_BYTES,
        )
        return clean.content, clean.content_type
    # The stored name comes from what the content is, never from the name it was sent with.
    suffix = ".pdf" if kind == "pdf" else Path(name).suffix.lower()
    content_type = "application/pdf" if kind == "pdf" else OFFICE_TYPES[suffix]
    return File(file, name="material" + suffix), content_type


@transaction.atomic
def material_add(actor: Viewer, *, session: Session, title: str, file: Any) -> SessionMaterial:
    """Attach a leaflet, slide deck or video to a session (checked by content and size;
    photos and videos stored without their metadata)."""
    require_perm(actor, "outreach.add_sessionmaterial", session.unit)
    if not title.strip():
        raise DomainError(_("The title is required."), field="title")
    content, content_type = _clean_material_file(file)
    with stored_files(SessionMaterial, [content]) as names:
        material = SessionMaterial.objects.create(
            session=session, title=title.strip(), file=names[0], content_type=content_type
        )
        audit_record(actor, "material.add", material)
    return material


@transaction.atomic
def material_delete(actor: Viewer, material: SessionMaterial) -> None:
    """Remove a material; the file goes once the deletion is committed."""
    require_perm(actor, "outreach.delete_sessionmaterial", material.session.unit)
    audit_record(actor, "material.delete", material)
    file = material.file
    material.delete()
    if file:
        transaction.on_commit(lambda: file.storage.delete(file.name))


# --- social posts --------------------------------------------------------------------------
def _check_post(post: SocialPost) -> None:
    require_choice(post.platform, Platform, "platform")
    require_choice(post.kind, PostKind, "kind")
    require_choice(post.topic, Topic, "topic")
    community.require_not_future(post.date, "date")
    if post.reach < 0:
        raise DomainError(_("Reach cannot be negative."), field="reach")
    if SocialPost.objects.filter(url=post.url).exclude(pk=post.pk).exists():
        raise Conflict(_("This link is already recorded."), field="url")


@transaction.atomic
def post_create(
    actor: Viewer,
    *,
    unit: Any,
    platform: str,
    url: str,
    date: dt.date,
    topic: str,
    reach: int = 0,
    kind: str = PostKind.POST,
    session: Session | None = None,
) -> SocialPost:
    """Record a social-media post or livestream and its reach."""
    require_perm(actor, "outreach.add_socialpost", unit)
    require_unit_valid(unit, date)
    post = SocialPost(
        unit=unit,
        platform=platform,
        url=url.strip(),
        date=date,
        topic=topic,
        reach=reach,
        kind=kind,
        session=session,
    )
    _check_post(post)
    post.save()
    audit_record(actor, "post.create", post, changes={"reach": reach})
    return post


@transaction.atomic
def post_update(actor: Viewer, post: SocialPost, **changes: Any) -> SocialPost:
    """Update a post's reach or details."""
    return object_update(  # type: ignore[no-any-return]
        actor, post, fields=POST_FIELDS, changes=changes, check=_check_post, event="post.update"
    )


POST_FIELDS = ("platform", "kind", "url", "date", "topic", "reach", "session")


@transaction.atomic
def post_delete(actor: Viewer, post: SocialPost) -> None:
    """Delete a post recorded by mistake."""
    object_delete(actor, post, event="post.delete")


# --- courses and participants --------------------------------------------------------------
def _check_course(course: Course) -> None:
    require_choice(course.organiser, Organiser, "organiser")
    if not course.title.strip():
        raise DomainError(_("The title is required."), field="title")
    if course.end_date < course.start_date:
        raise DomainError(_("The course ends before it starts."), field="end_date")
    if (course.end_date - course.start_date).days > 90:
        raise DomainError(_("A course lasts at most 90 days."), field="end_date")


@transaction.atomic
def course_create(
    actor: Viewer,
    *,
    unit: Any,
    title: str,
    start_date: dt.date,
    end_date: dt.date,
    place: str,
    topics: str = "",
    trainers: str = "",
    organiser: str = Organiser.POLICE,
    requires_group_role: bool = True,
) -> Course:
    """Schedule or record a training course organised in ``unit``."""
    require_perm(actor, "outreach.add_course", unit)
    require_unit_valid(unit, start_date, field="unit")
    course = Course(
        unit=unit,
        title=title.strip(),
        start_date=start_date,
        end_date=end_date,
        place=place,
        topics=topics,
        trainers=trainers,
        organiser=organiser,
        requires_group_role=requires_group_role,
    )
    _check_course(course)
    course.save()
    audit_record(actor, "course.create", course, changes=model_fields(course, COURSE_FIELDS))
    return course


@transaction.atomic
def course_update(actor: Viewer, course: Course, **changes: Any) -> Course:
    """Change a course's details; dates must still cover the days attended."""
    require_perm(actor, "outreach.change_course", course.unit)
    before = model_fields(course, COURSE_FIELDS)
    for key in set(changes) & set(COURSE_FIELDS):
        setattr(course, key, changes[key])
    _check_course(course)
    days = {d.isoformat() for d in course.days()}
    for p in course.participants.all():
        if not set(p.days_attended) <= days:
            raise DomainError(
                _("{person} attended a day outside the new dates.").format(person=p.person),
                field="start_date",
            )
    course.save()
    audit_record(
        actor, "course.update", course, changes=diff(before, model_fields(course, COURSE_FIELDS))
    )
    return course


@transaction.atomic
def course_delete(actor: Viewer, course: Course) -> None:
    """Delete a course and its participants."""
    object_delete(actor, course, event="course.delete")


def _group_for(course: Course, person: Any, group: Any) -> Any:
    roles = community.active_roles_of(person, group)
    if course.requires_group_role and not roles.exists():
        if group is not None:
            raise DomainError(
                _("{person} is not a leader or member of {group}.").format(
                    person=person, group=group
                ),
                field="person",
            )
        raise DomainError(
            _("{person} is not a leader or member of any self-managed group.").format(
                person=person
            ),
            field="person",
        )
    if group is None:
        first = roles.order_by("role").select_related("group").first()
        group = first.group if first else None
    return group


@transaction.atomic
def participant_add(
    actor: Viewer,
    *,
    course: Course,
    person: Any,
    group: Any = None,
    days: Iterable[dt.date] | None = None,
    result: str = "",
) -> Participant:
    """Enrol a person (with their group) on a course; group membership is checked when required.

    Days attended and a result given at once are recorded in the same transaction.
    """
    require_perm(actor, "outreach.add_participant", course.unit)
    require_unit_valid(course.unit, course.start_date, field="course")
    if Participant.objects.filter(course=course, person=person).exists():
        raise Conflict(
            _("{person} is already on this course.").format(person=person), field="person"
        )
    participant = Participant.objects.create(
        course=course, person=person, group=_group_for(course, person, group)
    )
    audit_record(actor, "participant.add", participant)
    if days:
        participant = participant_mark_attendance(actor, participant, days=days)
    if result:
        participant = participant_assess(actor, participant, result=result)
    return participant


@transaction.atomic
def participant_mark_attendance(
    actor: Viewer, participant: Participant, *, days: Iterable[dt.date]
) -> Participant:
    """Record the course days the participant attended (replacing the previous record)."""
    require_perm(actor, "outreach.change_participant", participant.course.unit)
    course_days = set(participant.course.days())
    chosen = sorted(set(days))
    for day in chosen:
        if day not in course_days:
            raise DomainError(
                _("{date} is not a day of this course.").format(date=day), field="days_attended"
            )
    before = participant.days_attended
    participant.days_attended = [d.isoformat() for d in chosen]
    participant.save(update_fields=["days_attended"])
    audit_record(
        actor,
        "participant.attendance",
        participant,
        changes={"days_attended": [before, participant.days_attended]},
    )
    return participant


@transaction.atomic
def participant_assess(actor: Viewer, participant: Participant, *, result: str) -> Participant:
    """Record the assessment result; passing completes the course and numbers the certificate."""
    require_perm(actor, "outreach.change_participant", participant.course.unit)
    require_choice(result, CourseResult, "result")
    if result == CourseResult.PASSED and not participant.days_attended:
        raise DomainError(
            _("{person} attended no day of the course.").format(person=participant.person),
            field="result",
        )
    participant.result = result
    participant.completed = result == CourseResult.PASSED
    participant.certificate_number = (
        f"{participant.course.start_date:%Y}-{participant.course_id:04d}-{participant.pk:05d}"
        if participant.completed
        else ""
    )
    participant.save(update_fields=["result", "completed", "certificate_number"])
    audit_record(actor, "participant.assess", participant, changes={"result": result})
    return participant


@transaction.atomic
def participant_delete(actor: Viewer, participant: Participant) -> None:
    """Take a person off a course."""
    object_delete(actor, participant, event="participant.delete")


# --- reads for other apps ------------------------------------------------------------------
def sessions_in(
    unit_paths: Iterable[str], start: dt.date | None, end: dt.date | None
) -> QuerySet[Session]:
    """Sessions (any status) under the unit paths, dated within ``[start, end]``."""
    return Session.objects.in_paths(unit_paths).between(start, end)


def posts_in(
    unit_paths: Iterable[str], start: dt.date | None, end: dt.date | None
) -> QuerySet[SocialPost]:
    return SocialPost.objects.in_paths(unit_paths).between(start, end)


def courses_in(
    unit_paths: Iterable[str], start: dt.date | None, end: dt.date | None
) -> QuerySet[Course]:
    """Courses under the unit paths starting within ``[start, end]``."""
    return Course.objects.in_paths(unit_paths).between(start, end)


def participants_in(
    unit_paths: Iterable[str], start: dt.date | None, end: dt.date | None
) -> QuerySet[Participant]:
    """Participants of courses under the unit paths starting within ``[start, end]``."""
    return Participant.objects.in_paths(unit_paths).between(start, end)


def planned_sessions(start: dt.date, end: dt.date) -> QuerySet[Session]:
    """Planned sessions everywhere (public information for the portal's calendar)."""
    return Session.objects.filter(
        status=SessionStatus.PLANNED, date__range=(start, end)
    ).select_related("unit")


def leaders_trained(unit_paths: Iterable[str]) -> list[dict[str, Any]]:
    """Each active group leader under the paths with the end date of their last completed course."""
    paths = list(unit_paths)
    leaders = community.group_leaders_in(paths).select_related("person__unit", "group__unit")
    person_ids = [m.person_id for m in leaders]
    last: dict[int, dt.date] = {}
    done = Participant.objects.filter(person_id__in=person_ids, completed=True)
    for person_id, end in done.values_list("person_id", "course__end_date"):
        last[person_id] = max(end, last.get(person_id, end))
    return [{"membership": m, "trained_on": last.get(m.person_id)} for m in leaders]


def outreach_summary(
    unit_paths: Iterable[str], start: dt.date | None, end: dt.date | None
) -> dict[str, Any]:
    """Headline figures under the paths for a period: held sessions and attendees (by topic
    and form), social reach, courses, participants, completions."""
    from django.db.models import Count, Sum

    paths = list(unit_paths)
    held = sessions_in(paths, start, end).filter(status=SessionStatus.HELD)
    participants = participants_in(paths, start, end)

    def by(field: str) -> dict[str, dict[str, int]]:
        rows = held.values(field).annotate(n=Count("pk"), people=Sum("attendance"))
        return {r[field]: {"sessions": r["n"], "attendees": r["people"] or 0} for r in rows}

    total = participants.count()
    completed = participants.filter(completed=True).count()
    return {
        "sessions": held.count(),
        "attendees": held.aggregate(n=Sum("attendance"))["n"] or 0,
        "by_topic": by("topic"),
        "by_form": by("form"),
        "posts": posts_in(paths, start, end).count(),
        "reach": posts_in(paths, start, end).aggregate(n=Sum("reach"))["n"] or 0,
        "courses": courses_in(paths, start, end).count(),
        "participants": total,
        "completed": completed,
        "completion_rate": round(completed / total, 4) if total else None,
    }
