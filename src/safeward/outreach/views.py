"""Outreach pages: sessions, social posts, courses with attendance and certificates, calendars."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeward.core.errors import DomainError
from safeward.core.files import serve_stored_file
from safeward.core.filters import error_lines, filter_list, lists
from safeward.core.personal import shown_to, withheld_from
from safeward.core.scoping import has_perm_anywhere
from safeward.core.viewkit import filter_context, handle_form, list_page
from safeward.geo.filters import UnitChoiceFilterSet
from safeward.geo.models import AdminUnit
from safeward.outreach import filters, services
from safeward.outreach import forms as f
from safeward.outreach.certificates import certificate_pdf
from safeward.outreach.choices import Platform, SessionForm, SessionStatus, Topic
from safeward.outreach.models import Course, Participant, Session, SessionMaterial, SocialPost
from safeward.outreach.personal import SESSION_NOTE
from safeward.people.personal import PERSON_NAME

FORM = "community/form.html"


# --- sessions and posts --------------------------------------------------------------------
@login_required
@lists(filters.SessionFilterSet)
def sessions(request: HttpRequest) -> HttpResponse:
    qs = Session.objects.restrict(request.user, "view").select_related("unit")
    return list_page(
        request,
        qs,
        "outreach/sessions.html",
        order=["-date", "-pk"],
        filterset=filters.SessionFilterSet,
        totals={"n": Count("pk"), "people": Sum("attendance")},
        add_perm="outreach.add_session",
        topics=Topic.choices,
        forms=SessionForm.choices,
        statuses=SessionStatus.choices,
    )


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = Session.objects.select_related("unit").get_visible(request.user, pk=pk)
    attendees = list(session.attendees.select_related("unit"))
    named = shown_to(request.user, PERSON_NAME, attendees)
    return render(
        request,
        "outreach/session_detail.html",
        {
            "s": session,
            "withheld": withheld_from(request.user, [SESSION_NOTE], session),
            # The roster names people: only for readers of names (the count is public).
            "attendees": [p for p in attendees if p.pk in named],
            "materials": session.materials.all(),
            "posts": session.posts.all(),
            "can_change": Session.objects.restrict(request.user, "change").filter(pk=pk).exists(),
        },
    )


@login_required
def session_add(request: HttpRequest) -> HttpResponse:
    form = f.SessionRecordForm(request.POST or None, user=request.user)
    return handle_form(
        request,
        form,
        lambda d: services.session_create(request.user, **d),
        FORM,
        {"title": Session._meta.verbose_name, "back": reverse("outreach:sessions")},
        lambda s: reverse("outreach:session", args=[s.pk]),
    )


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = Session.objects.get_visible(request.user, "change", pk=pk)
    initial = {k: getattr(session, k) for k in services.SESSION_FIELDS}
    form = f.SessionRecordForm(
        request.POST or None, user=request.user, initial={**initial, "unit": session.unit}
    )
    form.fields["unit"].disabled = True

    def save(d: dict[str, Any]) -> Any:
        d.pop("unit", None)
        return services.session_update(request.user, session, **d)

    return handle_form(
        request,
        form,
        save,
        FORM,
        {"title": str(session), "back": reverse("outreach:session", args=[pk])},
        lambda s: reverse("outreach:session", args=[pk]),
    )


@login_required
def session_roster(request: HttpRequest, pk: int) -> HttpResponse:
    """Record who attended (the head count can be larger than the roster)."""
    session = Session.objects.select_related("unit").get_visible(request.user, "change", pk=pk)
    initial = {"attendees": list(session.attendees.all()), "attendance": session.attendance}
    form = f.RosterForm(request.POST or None, user=request.user, session=session, initial=initial)
    return handle_form(
        request,
        form,
        lambda d: services.session_update(request.user, session, **d),
        FORM,
        {"title": str(session), "back": reverse("outreach:session", args=[pk])},
        lambda s: reverse("outreach:session", args=[pk]),
    )


@login_required
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = Session.objects.get_visible(request.user, "change", pk=pk)
    form = f.MaterialForm(request.POST or None, request.FILES or None)
    return handle_form(
        request,
        form,
        lambda d: services.material_add(request.user, session=session, **d),
        FORM,
        {"title": str(session), "back": reverse("outreach:session", args=[pk])},
        lambda m: reverse("outreach:session", args=[pk]),
    )


@login_required
def material_file(request: HttpRequest, pk: int) -> FileResponse:
    """A session's leaflet, slides or video, for those who may see the session's unit."""
    return serve_stored_file(
        request, SessionMaterial.objects, pk, filename=lambda m: m.download_name
    )


@login_required
@require_POST
def material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    material = SessionMaterial.objects.select_related("session__unit").get_visible(
        request.user, "delete", pk=pk
    )
    services.material_delete(request.user, material)
    return redirect("outreach:session", pk=material.session_id)


@login_required
@lists(filters.SocialPostFilterSet)
def posts(request: HttpRequest) -> HttpResponse:
    qs = SocialPost.objects.restrict(request.user, "view").select_related("unit")
    return list_page(
        request,
        qs,
        "outreach/posts.html",
        order=["-date", "-pk"],
        filterset=filters.SocialPostFilterSet,
        totals={"n": Count("pk"), "reach": Sum("reach")},
        add_perm="outreach.add_socialpost",
        platforms=Platform.choices,
        topics=Topic.choices,
    )


@login_required
def post_add(request: HttpRequest) -> HttpResponse:
    form = f.PostForm(request.POST or None, user=request.user)
    return handle_form(
        request,
        form,
        lambda d: services.post_create(request.user, **d),
        FORM,
        {"title": SocialPost._meta.verbose_name, "back": reverse("outreach:posts")},
        lambda p: reverse("outreach:posts"),
    )


# --- courses -------------------------------------------------------------------------------
@login_required
@lists(filters.CourseFilterSet)
def courses(request: HttpRequest) -> HttpResponse:
    qs = (
        Course.objects.restrict(request.user, "view")
        .select_related("unit")
        .annotate(participant_count=Count("participants"))
    )
    return list_page(
        request,
        qs,
        "outreach/courses.html",
        order=["-start_date", "pk"],
        filterset=filters.CourseFilterSet,
        add_perm="outreach.add_course",
    )


@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = Course.objects.select_related("unit").get_visible(request.user, pk=pk)
    participants = list(
        Participant.objects.restrict(request.user, "view")
        .filter(course=course)
        .select_related("person__unit", "group")
    )
    return render(
        request,
        "outreach/course_detail.html",
        {
            "course": course,
            "days": course.days(),
            "participants": participants,
            "named": shown_to(request.user, PERSON_NAME, [p.person for p in participants]),
            "can_change": Course.objects.restrict(request.user, "change").filter(pk=pk).exists(),
        },
    )


@login_required
def course_add(request: HttpRequest) -> HttpResponse:
    form = f.CourseForm(request.POST or None, user=request.user)
    return handle_form(
        request,
        form,
        lambda d: services.course_create(request.user, **d),
        FORM,
        {"title": Course._meta.verbose_name, "back": reverse("outreach:courses")},
        lambda c: reverse("outreach:course", args=[c.pk]),
    )


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = Course.objects.select_related("unit").get_visible(request.user, "change", pk=pk)
    initial = {k: getattr(course, k) for k in services.COURSE_FIELDS}
    form = f.CourseForm(
        request.POST or None, user=request.user, initial={**initial, "unit": course.unit}
    )
    form.fields["unit"].disabled = True

    def save(d: dict[str, Any]) -> Any:
        d.pop("unit", None)
        return services.course_update(request.user, course, **d)

    return handle_form(
        request,
        form,
        save,
        FORM,
        {"title": course.title, "back": reverse("outreach:course", args=[pk])},
        lambda c: reverse("outreach:course", args=[pk]),
    )


@login_required
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = Course.objects.select_related("unit").get_visible(request.user, "change", pk=pk)
    form = f.ParticipantForm(request.POST or None, user=request.user, course=course)
    return handle_form(
        request,
        form,
        lambda d: services.participant_add(request.user, course=course, person=d["person"]),
        FORM,
        {"title": course.title, "back": reverse("outreach:course", args=[pk])},
        lambda p: reverse("outreach:course", args=[pk]),
    )


@login_required
def participant_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    participant = Participant.objects.select_related("course", "person").get_visible(
        request.user, "change", pk=pk
    )
    course = participant.course
    initial = {"days": participant.days_attended, "result": participant.result}
    form = f.AttendanceForm(request.POST or None, course=course, initial=initial)

    def save(d: dict[str, Any]) -> Any:
        days = [dt.date.fromisoformat(x) for x in d["days"]]
        services.participant_mark_attendance(request.user, participant, days=days)
        return services.participant_assess(request.user, participant, result=d["result"])

    return handle_form(
        request,
        form,
        save,
        FORM,
        {
            "title": f"{participant.person} · {course.title}",
            "back": reverse("outreach:course", args=[course.pk]),
        },
        lambda p: reverse("outreach:course", args=[course.pk]),
    )


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    participant = Participant.objects.select_related("course__unit", "person", "group").get_visible(
        request.user, pk=pk
    )
    try:
        pdf = certificate_pdf(participant)
    except DomainError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="chung-nhan-{participant.certificate_number}.pdf"'
    )
    return response


@login_required
@lists(UnitChoiceFilterSet)
def trained_leaders(request: HttpRequest) -> HttpResponse:
    """Who of the group leaders in a unit has been trained, and when."""
    if not has_perm_anywhere(request.user, "outreach.view_participant"):
        raise Http404
    filters, _units, error = filter_list(request, UnitChoiceFilterSet, AdminUnit.objects.none())
    unit = None if error else filters.form.cleaned_data.get("unit")
    # Leaders' names and training records: only for units where the user sees participants.
    if unit is not None:
        unit = AdminUnit.objects.get_visible(request.user, of=Participant, pk=unit.pk)
    rows = services.leaders_trained([unit.path]) if unit else []
    trained = sum(1 for r in rows if r["trained_on"])
    return render(
        request,
        "outreach/trained.html",
        filter_context(
            request,
            filters=filters,
            filter_errors=error_lines(filters) if error else [],
            unit=unit,
            filter_units=AdminUnit.objects.restrict(request.user, of=Participant)
            .filter(level__in=["province", "district", "ward"])
            .current()
            .order_by("path"),
            rows=rows,
            named=shown_to(request.user, PERSON_NAME, [r["membership"].person for r in rows]),
            trained=trained,
            share=round(100 * trained / len(rows)) if rows else None,
        ),
        status=400 if error else 200,
    )


# --- calendars -----------------------------------------------------------------------------
def _month(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


def _weeks(first: dt.date, events: dict[dt.date, list[Any]]) -> list[list[dict[str, Any]]]:
    cal = calendar.Calendar(firstweekday=0)
    return [
        [{"day": d, "in_month": d.month == first.month, "events": events.get(d, [])} for d in week]
        for week in cal.monthdatescalendar(first.year, first.month)
    ]


def _month_nav(first: dt.date) -> dict[str, Any]:
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    prev = (first - dt.timedelta(days=1)).replace(day=1)
    nxt = last + dt.timedelta(days=1)
    return {
        "first": first,
        "last": last,
        "prev": prev.strftime("%Y-%m"),
        "next": nxt.strftime("%Y-%m"),
    }


@login_required
def staff_calendar(request: HttpRequest) -> HttpResponse:
    nav = _month_nav(_month(request))
    events: dict[dt.date, list[Any]] = {}
    for s in (
        Session.objects.restrict(request.user, "view")
        .between(nav["first"], nav["last"])
        .select_related("unit")
    ):
        events.setdefault(s.date, []).append({"kind": "session", "obj": s})
    courses = Course.objects.restrict(request.user, "view").filter(
        start_date__lte=nav["last"], end_date__gte=nav["first"]
    )
    for c in courses:
        for d in c.days():
            events.setdefault(d, []).append({"kind": "course", "obj": c})
    return render(request, "outreach/calendar.html", {**nav, "weeks": _weeks(nav["first"], events)})


def public_calendar(request: HttpRequest) -> HttpResponse:
    """Planned sessions for residents, from today over the next three months (no sign-in)."""
    today = timezone.localdate()
    planned = services.planned_sessions(today, today + dt.timedelta(days=92)).order_by(
        "date", "start_time"
    )
    return render(request, "outreach/public_calendar.html", {"sessions": planned})
