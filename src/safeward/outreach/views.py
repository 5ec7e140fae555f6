"""Outreach pages: sessions, social posts, courses with attendance and certificates, calendars."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from safeward.core.errors import DomainError
from safeward.core.files import serve_stored_file
from safeward.core.importviews import ImportView
from safeward.core.personal import shown_to, withheld_from
from safeward.core.views import (
    FilteredPageView,
    ObjectActionView,
    ObjectDeleteView,
    ObjectListView,
    ObjectView,
    ScopedPageView,
    ServiceFormView,
)
from safeward.geo.filters import UnitChoiceFilterSet
from safeward.geo.models import AdminUnit
from safeward.outreach import filters, imports, services
from safeward.outreach import forms as f
from safeward.outreach.certificates import certificate_pdf
from safeward.outreach.choices import Platform, SessionForm, SessionStatus, Topic
from safeward.outreach.models import Course, Participant, Session, SessionMaterial, SocialPost
from safeward.outreach.personal import SESSION_NOTE
from safeward.outreach.tables import CourseTable, SessionTable, SocialPostTable
from safeward.people.personal import PERSON_NAME


# --- sessions and posts --------------------------------------------------------------------
class SessionListView(ObjectListView):
    queryset = Session.objects.select_related("unit__parent")
    filterset = filters.SessionFilterSet
    table = SessionTable
    ordering = ("-date", "-pk")
    template_name = "outreach/sessions.html"
    extra: ClassVar[dict[str, Any]] = {
        "topics": Topic.choices,
        "forms": SessionForm.choices,
        "statuses": SessionStatus.choices,
    }


class SessionView(ObjectView):
    queryset = Session.objects.select_related("unit")
    template_name = "outreach/session_detail.html"
    context_object_name = "s"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        attendees = list(obj.attendees.select_related("unit"))
        named = shown_to(request.user, PERSON_NAME, attendees)
        return {
            **context,
            "withheld": withheld_from(request.user, [SESSION_NOTE], obj),
            # The roster names people: only for readers of names (the count is public).
            "attendees": [p for p in attendees if p.pk in named],
            "materials": obj.materials.all(),
            "posts": obj.posts.all(),
        }


class SessionAddView(ServiceFormView):
    queryset = Session.objects.all()
    form_class = f.SessionRecordForm
    service = services.session_create
    back_url = "outreach:sessions"
    success_url = "outreach:session"


class FixedUnitFormView(ServiceFormView):
    """An edit form that shows the row's unit but does not change it."""

    action = "change"

    def get_form(self, request: HttpRequest, obj: Any) -> forms.Form:
        form = super().get_form(request, obj)
        form.fields["unit"].disabled = True
        return form

    def form_data(self, form: forms.Form) -> dict[str, Any]:
        data = super().form_data(form)
        data.pop("unit", None)
        return data


class SessionEditView(FixedUnitFormView):
    queryset = Session.objects.select_related("unit")
    form_class = f.SessionRecordForm
    service = services.session_update
    initial_fields = (*services.SESSION_FIELDS, "unit")
    success_url = "outreach:session"


class SessionRosterView(ObjectActionView):
    """Record who attended (the head count can be larger than the roster)."""

    queryset = Session.objects.select_related("unit")
    form_class = f.RosterForm
    service = services.session_update
    object_kwarg = "session"
    back_url = "outreach:session"

    def get_initial(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"attendees": list(obj.attendees.all()), "attendance": obj.attendance}


class MaterialAddView(ObjectActionView):
    queryset = Session.objects.select_related("unit")
    form_class = f.MaterialForm
    service = services.material_add
    object_argument = "session"
    back_url = "outreach:session"


@login_required
def material_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A session's leaflet, slides or video, for those who may see the session's unit."""
    return serve_stored_file(
        request, SessionMaterial.objects, pk, filename=lambda m: m.download_name
    )


class MaterialDeleteView(ObjectDeleteView):
    queryset = SessionMaterial.objects.select_related("session__unit")
    service = services.material_delete

    def get_success_url(self, obj: Any) -> str:
        return reverse("outreach:session", args=[obj.session_id])


class SocialPostListView(ObjectListView):
    queryset = SocialPost.objects.select_related("unit__parent")
    filterset = filters.SocialPostFilterSet
    table = SocialPostTable
    ordering = ("-date", "-pk")
    template_name = "outreach/posts.html"
    extra: ClassVar[dict[str, Any]] = {"platforms": Platform.choices, "topics": Topic.choices}


class SocialPostAddView(ServiceFormView):
    queryset = SocialPost.objects.all()
    form_class = f.PostForm
    service = services.post_create
    back_url = "outreach:posts"
    success_url = "outreach:posts"


# --- courses -------------------------------------------------------------------------------
class CourseListView(ObjectListView):
    queryset = Course.objects.select_related("unit__parent").annotate(
        participant_count=Count("participants")
    )
    filterset = filters.CourseFilterSet
    table = CourseTable
    ordering = ("-start_date", "pk")
    template_name = "outreach/courses.html"


class CourseView(ObjectView):
    queryset = Course.objects.select_related("unit")
    template_name = "outreach/course_detail.html"
    context_object_name = "course"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        participants = list(
            Participant.objects.restrict(request.user, "view")
            .filter(course=obj)
            .select_related("person__unit", "group")
        )
        return {
            **context,
            "days": obj.days(),
            "participants": participants,
            "named": shown_to(request.user, PERSON_NAME, [p.person for p in participants]),
        }


class CourseAddView(ServiceFormView):
    queryset = Course.objects.all()
    form_class = f.CourseForm
    service = services.course_create
    back_url = "outreach:courses"
    success_url = "outreach:course"


class CourseEditView(FixedUnitFormView):
    queryset = Course.objects.select_related("unit")
    form_class = f.CourseForm
    service = services.course_update
    initial_fields = (*services.COURSE_FIELDS, "unit")
    success_url = "outreach:course"

    def get_title(self, obj: Any) -> str:
        return str(obj.title)


class ParticipantAddView(ObjectActionView):
    queryset = Course.objects.select_related("unit")
    form_class = f.ParticipantForm
    service = services.participant_add
    object_kwarg = "course"
    object_argument = "course"
    back_url = "outreach:course"

    def get_title(self, obj: Any) -> str:
        return str(obj.title)


class ParticipantAttendanceView(ObjectActionView):
    """The days a participant attended and their result, in one form (two services)."""

    queryset = Participant.objects.select_related("course", "person")
    form_class = f.AttendanceForm
    service = services.participant_assess

    def get_form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"course": obj.course}

    def get_initial(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"days": obj.days_attended, "result": obj.result}

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        days = [dt.date.fromisoformat(x) for x in data["days"]]
        services.participant_mark_attendance(request.user, obj, days=days)
        return services.participant_assess(request.user, obj, result=data["result"])

    def get_title(self, obj: Any) -> str:
        return f"{obj.person} · {obj.course.title}"

    def get_back_url(self, request: HttpRequest, obj: Any) -> str:
        return reverse("outreach:course", args=[obj.course_id])


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


class TrainedLeadersView(FilteredPageView):
    """Who of the group leaders in a unit has been trained, and when.

    Leaders' names and training records only for units where the user sees participants:
    another unit answers as a missing one.
    """

    queryset = Participant.objects.all()
    filterset = UnitChoiceFilterSet
    template_name = "outreach/trained.html"

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        units = (
            AdminUnit.objects.restrict(request.user, of=Participant)
            .filter(level__in=["province", "district", "ward"])
            .current()
            .order_by("path")
        )
        return super().get_context(request, **context, filter_units=units, unit=None)

    def get_filtered_context(
        self, request: HttpRequest, chosen: dict[str, Any], context: dict[str, Any]
    ) -> dict[str, Any]:
        unit = chosen.get("unit")
        if unit is None:
            return context
        unit = AdminUnit.objects.get_visible(request.user, of=Participant, pk=unit.pk)
        rows = services.leaders_trained([unit.path])
        trained = sum(1 for r in rows if r["trained_on"])
        return {
            **context,
            "unit": unit,
            "rows": rows,
            "named": shown_to(request.user, PERSON_NAME, [r["membership"].person for r in rows]),
            "trained": trained,
            "share": round(100 * trained / len(rows)) if rows else None,
        }


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


class StaffCalendarView(ScopedPageView):
    """The month's sessions and course days the user may see (``?month=YYYY-MM``).

    Open to every signed-in user: the rows' own scoping decides what is on it.
    """

    queryset = Session.objects.select_related("unit")
    require_permission = False
    template_name = "outreach/calendar.html"

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        nav = _month_nav(_month(request))
        events: dict[dt.date, list[Any]] = {}
        sessions = Session.objects.restrict(request.user, "view").select_related("unit")
        for s in sessions.between(nav["first"], nav["last"]):
            events.setdefault(s.date, []).append({"kind": "session", "obj": s})
        courses = Course.objects.restrict(request.user, "view").filter(
            start_date__lte=nav["last"], end_date__gte=nav["first"]
        )
        for c in courses:
            for d in c.days():
                events.setdefault(d, []).append({"kind": "course", "obj": c})
        weeks = _weeks(nav["first"], events)
        return super().get_context(request, **context, **nav, weeks=weeks)


def public_calendar(request: HttpRequest) -> HttpResponse:
    """Planned sessions for residents, from today over the next three months (no sign-in)."""
    today = timezone.localdate()
    planned = services.planned_sessions(today, today + dt.timedelta(days=92)).order_by(
        "date", "start_time"
    )
    return render(request, "outreach/public_calendar.html", {"sessions": planned})


class OutreachImportView(ImportView):
    """Groups, members, households, sessions and participants share one import page."""

    codes = imports.SHARED_CODES
    title = gettext_lazy("Import from CSV or XLSX")
    job_url = "community:import-job"
