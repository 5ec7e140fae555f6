"""Workflow, clocks, outcomes, assignment, duplicates and messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safeward.core.errors import DomainError
from safeward.reports import services
from safeward.reports.duplicates import possible_duplicates
from safeward.reports.models import Report, ReportEvent, ReportMessage

pytestmark = pytest.mark.django_db
Submit = Callable[..., Any]


def test_assigning_moves_a_received_report_to_assigned(
    report: Report, personas: dict[str, Any]
) -> None:
    officer = personas["ward_officer"]
    services.report_assign(officer, report, assignee=officer)
    assert report.status == "assigned" and report.assignee == officer


def test_assignee_must_be_able_to_handle_the_unit(report: Report, personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as err:
        services.report_assign(
            personas["ward_officer"], report, assignee=personas["other_ward_officer"]
        )
    assert err.value.field == "assignee"


def test_officer_outside_the_unit_cannot_assign(report: Report, personas: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.report_triage(personas["other_ward_officer"], report)


def test_full_workflow_reaches_closed_and_can_reopen(
    report: Report, personas: dict[str, Any]
) -> None:
    officer = personas["ward_officer"]
    services.report_triage(officer, report)
    services.report_assign(officer, report, assignee=officer)
    services.report_start_verifying(officer, report)
    services.report_resolve(officer, report, outcome="warning", public_note="Đã nhắc nhở")
    services.report_close(officer, report)
    assert report.status == "closed" and report.outcome == "warning"
    services.report_reopen(officer, report, reason="Tái diễn")
    assert report.status == "triaged" and report.outcome == ""


def test_invalid_transition_is_refused(report: Report, personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as err:
        services.report_close(personas["ward_officer"], report)
    assert err.value.code == "bad_transition"


def test_crime_tip_extends_once_within_two_months_with_reason(
    report: Report, personas: dict[str, Any]
) -> None:
    officer = personas["ward_officer"]
    new_due = timezone.localdate(report.received_at) + dt.timedelta(days=50)
    services.report_extend(officer, report, due_on=new_due, reason="Cần trích xuất camera")
    assert report.due_on == new_due and report.extension_reason == "Cần trích xuất camera"
    with pytest.raises(DomainError) as err:
        services.report_extend(officer, report, due_on=new_due + dt.timedelta(days=1), reason="x")
    assert err.value.code == "extended"


def test_extension_beyond_two_months_is_refused(report: Report, personas: dict[str, Any]) -> None:
    too_late = timezone.localdate(report.received_at) + dt.timedelta(days=70)
    with pytest.raises(DomainError) as err:
        services.report_extend(personas["ward_officer"], report, due_on=too_late, reason="x")
    assert err.value.code == "bad_extension"


def test_extension_needs_a_reason(report: Report, personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as err:
        services.report_extend(
            personas["ward_officer"], report, due_on=report.due_on + dt.timedelta(1), reason=" "
        )
    assert err.value.field == "reason"


def test_other_tracks_have_no_extension(submit: Submit, personas: dict[str, Any]) -> None:
    report = submit(category="noise").report
    with pytest.raises(DomainError) as err:
        services.report_extend(
            personas["ward_officer"], report, due_on=report.due_on + dt.timedelta(1), reason="x"
        )
    assert err.value.code == "no_extension"


def test_overdue_and_due_soon_lists(report: Report) -> None:
    Report.objects.filter(pk=report.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    assert Report.objects.overdue().filter(pk=report.pk).exists()
    Report.objects.filter(pk=report.pk).update(due_on=timezone.localdate() + dt.timedelta(days=2))
    assert Report.objects.due_soon().filter(pk=report.pk).exists()
    assert not Report.objects.overdue().filter(pk=report.pk).exists()


def test_nearby_report_of_same_category_is_a_possible_duplicate(submit: Submit) -> None:
    first = submit().report
    second = submit(latitude=first.latitude + 0.0005).report
    far = submit(latitude=first.latitude + 0.05).report
    found = set(possible_duplicates(second).values_list("pk", flat=True))
    assert first.pk in found and far.pk not in found


def test_merge_resolves_as_duplicate_and_tells_its_reporter(
    submit: Submit, personas: dict[str, Any]
) -> None:
    first, second = submit().report, submit().report
    services.report_merge(personas["ward_officer"], second, into=first)
    assert second.duplicate_of == first and second.outcome == "duplicate"
    public = ReportEvent.objects.filter(report=second, public=True, kind="merged")
    assert first.tracking_code in public.get().note


def test_status_change_of_original_notifies_merged_reporters(
    submit: Submit,
    personas: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    mailoutbox: Any,
    settings: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    first = submit(reporter={"email": "a@example.vn", "anonymous": False}).report
    second = submit(reporter={"email": "b@example.vn", "anonymous": False}).report
    officer = personas["ward_officer"]
    services.report_merge(officer, second, into=first)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_triage(officer, first)
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.vn", "b@example.vn"]


def test_anonymous_reporter_and_officer_exchange_messages(
    submit: Submit, personas: dict[str, Any]
) -> None:
    submission = submit()
    report = submission.report
    services.report_message_staff(
        personas["ward_officer"], report, body="Anh/chị thấy biển số không?"
    )
    services.report_message_reporter(report, secret=submission.secret, body="29X1-12345")
    senders = list(ReportMessage.objects.filter(report=report).values_list("sender", "author"))
    assert senders == [("staff", personas["ward_officer"].pk), ("reporter", None)]


def test_reporter_message_with_wrong_secret_is_refused(report: Report) -> None:
    with pytest.raises(PermissionDenied):
        services.report_message_reporter(report, secret="AAAAA-AAAAA", body="hi")


def test_correcting_the_place_moves_the_report(
    report: Report, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    services.report_place(personas["ward_officer"], report, unit=demo_units["cua_ong"])
    assert report.unit == demo_units["cua_ong"] and report.unit_path == demo_units["cua_ong"].path


def test_named_reporter_is_emailed_when_the_officer_writes(
    submit: Submit,
    personas: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    mailoutbox: Any,
    settings: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    report = submit(reporter={"email": "c@example.vn", "anonymous": False}).report
    with django_capture_on_commit_callbacks(execute=True):
        services.report_message_staff(personas["ward_officer"], report, body="Xin gọi lại")
    assert mailoutbox[-1].to == ["c@example.vn"]
    assert "message" in mailoutbox[-1].body or "tin nhắn" in mailoutbox[-1].body
