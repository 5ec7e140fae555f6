"""Pages for residents: report an incident, follow it with code and secret, public statistics."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeward.bulletins import services as bulletins
from safeward.core.context import current
from safeward.core.errors import DomainError
from safeward.core.filters import parse_id
from safeward.core.replica import replica_reads
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit
from safeward.reports import ratelimit, services
from safeward.reports.forms import MessageForm, PlaceForm, ReportForm, TrackForm
from safeward.reports.models import Report, ServiceCategory, normal_tracking_code
from safeward.reports.stats import unit_stats

TRACKED_KEY = "safeward_reports_tracked"
JUST_SUBMITTED_KEY = "safeward_reports_submitted"


def too_many(request: HttpRequest, exc: ratelimit.RateLimited) -> HttpResponse:
    response = render(request, "reports/rate_limited.html", {"message": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


WEB_IDEMPOTENCY_OWNER = "web"


def wants_json(request: HttpRequest) -> bool:
    """A form sent by the page's own script (offline drafts) asks for a JSON answer."""
    return "application/json" in request.headers.get("Accept", "")


def idempotency_key(request: HttpRequest) -> str | None:
    """The ``Idempotency-Key`` header in its canonical UUID form; "" when absent, None when bad."""
    raw = request.headers.get("Idempotency-Key", "").strip()
    if not raw:
        return ""
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None


def json_errors(errors: dict[str, list[str]], status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


def json_too_many(exc: ratelimit.RateLimited) -> JsonResponse:
    response = json_errors({"__all__": [exc.message]}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def bad_key_message() -> str:
    return _("This draft's key is not valid. Delete the draft and write the report again.")


def submit(request: HttpRequest) -> HttpResponse:
    """The resident form: works as plain HTML; a map and the phone's location when JS runs."""
    if request.method == "POST" and wants_json(request):
        return _submit_json(request)
    initial = {}
    if request.method == "GET" and request.GET.get("bulletin"):
        # Answering a bulletin with "I have information": the report starts by naming it.
        opening = bulletins.report_prefill(
            request.user, request.GET["bulletin"], (get_language() or "vi")[:2]
        )
        if opening:
            initial["description"] = opening
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.check_public_intake(current().ip, form.cleaned_data.get("phone") or "")
            submission = _submit_form(request, form)
        except ratelimit.RateLimited as exc:
            return too_many(request, exc)
        except DomainError as exc:
            form.apply_error(exc)
        else:
            _remember(request, submission.report)
            request.session[JUST_SUBMITTED_KEY] = [
                submission.report.tracking_code,
                submission.secret,
            ]
            return redirect("reports:submitted")
    status = 400 if request.method == "POST" else 200
    if status == 400:
        form.ask_for_files_again()
    return render(request, "reports/submit.html", {"form": form}, status=status)


def _submit_form(request: HttpRequest, form: ReportForm) -> services.Submission:
    return services.report_submit(request.user, channel="web", **form.submission())


def _landed(request: HttpRequest, report: Report, secret: str, status: int) -> JsonResponse:
    _remember(request, report)
    return JsonResponse(
        {
            "tracking_code": report.tracking_code,
            "secret": secret,
            "track_url": reverse("reports:track_detail", args=[report.tracking_code]),
        },
        status=status,
    )


def _submit_json(request: HttpRequest) -> JsonResponse:
    """A draft sent by the page's script: 201 with code and secret, 400 with field messages.

    A key that already landed means the first answer never reached the phone: the same
    report comes back with a new secret (the first was never seen), never a second report.
    """
    key = idempotency_key(request)
    if key is None:
        return json_errors({"__all__": [bad_key_message()]})
    if key:
        previous = services.replayed_report(WEB_IDEMPOTENCY_OWNER, key)
        if previous is not None:
            secret = services.report_secret_reissue(
                request.user, previous, reason="idempotent replay of a web submission"
            )
            return _landed(request, previous, secret, 200)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return json_errors(_form_messages(form))
    try:
        ratelimit.check_public_intake(current().ip, form.cleaned_data.get("phone") or "")
        submission = services.report_submit_once(
            request.user,
            channel="web",
            idempotency_owner=WEB_IDEMPOTENCY_OWNER,
            idempotency_key=key,
            **form.submission(),
        )
    except ratelimit.RateLimited as exc:
        return json_too_many(exc)
    except DomainError as exc:
        form.apply_error(exc)
        return json_errors(_form_messages(form))
    if submission.secret is None:
        # Two sends of one draft raced: the other stored it; this one answers with a new secret.
        secret = services.report_secret_reissue(
            request.user, submission.report, reason="idempotent replay of a web submission"
        )
        return _landed(request, submission.report, secret, 200)
    return _landed(request, submission.report, submission.secret, 201)


def _form_messages(form: Any) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages_] for field, messages_ in form.errors.items()}


def attribute_fields(request: HttpRequest) -> HttpResponse:
    """htmx partial: the extra questions of the chosen category."""
    category = ServiceCategory.objects.filter(
        code=request.GET.get("category", ""), active=True
    ).first()
    form = ReportForm(category=category)
    return render(request, "reports/_attribute_fields.html", {"form": form})


def submitted(request: HttpRequest) -> HttpResponse:
    """Shown once after submission: the tracking code and the secret (never shown again)."""
    pair = request.session.pop(JUST_SUBMITTED_KEY, None)
    if not pair:
        return redirect("reports:track")
    return render(request, "reports/submitted.html", {"code": pair[0], "secret": pair[1]})


def _remember(request: HttpRequest, report: Report) -> None:
    tracked = set(request.session.get(TRACKED_KEY, []))
    tracked.add(report.tracking_code)
    request.session[TRACKED_KEY] = sorted(tracked)[-20:]


def _proven(request: HttpRequest, report: Report) -> bool:
    return report.tracking_code in request.session.get(TRACKED_KEY, [])


def track(request: HttpRequest) -> HttpResponse:
    """Enter the tracking code (and secret, to see messages and reply)."""
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.check_public_lookup(current().ip)
        except ratelimit.RateLimited as exc:
            return too_many(request, exc)
        report = Report.objects.filter(tracking_code=form.cleaned_data["code"]).first()
        if report is None:
            form.add_error("code", _("No report has this tracking code."))
        elif form.cleaned_data["secret"] and not report.check_secret(form.cleaned_data["secret"]):
            form.add_error("secret", _("The secret does not match this report."))
        else:
            if form.cleaned_data["secret"]:
                _remember(request, report)
            return redirect("reports:track_detail", code=report.tracking_code)
    return render(request, "reports/track.html", {"form": form}, status=400 if form.errors else 200)


def track_detail(request: HttpRequest, code: str, form: MessageForm | None = None) -> HttpResponse:
    """Status for anyone with the code; public notes and messages once the secret was given.

    A code typed in another form (lower case, without dashes) leads to the page's own address.
    """
    if normal_tracking_code(code) != code:
        return redirect("reports:track_detail", code=normal_tracking_code(code))
    report = Report.objects.select_related("category", "ward").filter(tracking_code=code).first()
    if report is None:
        raise Http404
    proven = _proven(request, report)
    context: dict[str, Any] = {"report": report, "proven": proven}
    if proven:
        context["events"] = report.events.filter(public=True)
        context["messages_list"] = report.messages.all()
        context["form"] = form or MessageForm()
        context["place_form"] = PlaceForm(initial={"unit": report.ward_id})
    status = 400 if form is not None and form.errors else 200
    return render(request, "reports/track_detail.html", context, status=status)


@require_POST
def track_reply(request: HttpRequest, code: str) -> HttpResponse:
    report = Report.objects.filter(tracking_code=code).first()
    if report is None or not _proven(request, report):
        raise Http404
    form = MessageForm(request.POST)
    if not form.is_valid():
        # An empty or blank message: the page again, with the message's error and the text kept.
        return track_detail(request, code, form=form)
    try:
        ratelimit.check_public_intake(current().ip)
        services.report_message_as_proven_reporter(report, body=form.cleaned_data["body"])
    except ratelimit.RateLimited as exc:
        return too_many(request, exc)
    return redirect("reports:track_detail", code=code)


@require_POST
def track_place(request: HttpRequest, code: str) -> HttpResponse:
    """The reporter corrects the ward while the report still waits for triage."""
    report = Report.objects.filter(tracking_code=code).first()
    if report is None or not _proven(request, report):
        raise Http404
    form = PlaceForm(request.POST)
    if form.is_valid():
        try:
            services.report_place_by_reporter(report, unit=form.cleaned_data["unit"])
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("reports:track_detail", code=code)


@replica_reads
def stats(request: HttpRequest) -> HttpResponse:
    """Per ward or city: received and resolved by category and month; small counts suppressed."""
    units = AdminUnit.objects.filter(
        Q(level=UnitLevel.WARD, valid_to__isnull=True)
        | Q(level__in=[UnitLevel.PROVINCE, UnitLevel.DISTRICT])
    ).order_by("level", "name")
    unit_id = parse_id(request.GET.get("unit", ""))
    chosen = units.filter(pk=unit_id).first() if unit_id else None
    context = {"units": units, "chosen": chosen, "stats": unit_stats(chosen) if chosen else None}
    return render(request, "reports/stats.html", context)
