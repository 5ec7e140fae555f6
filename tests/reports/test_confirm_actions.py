"""Consequential workflow actions have no default and ask for confirmation: resolving
records a confirmed violation only once the officer has picked the outcome and seen it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from safeward.reports.choices import Outcome
from safeward.reports.models import Report

pytestmark = pytest.mark.django_db


def _action(report: Report, name: str) -> str:
    return reverse("reports:action", args=[report.pk, name])


def test_the_outcome_starts_empty_so_no_click_records_a_fine(officer: Any, report: Report) -> None:
    page = officer.get(reverse("reports:detail", args=[report.pk])).content.decode()
    select = re.search(r'<select name="outcome"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    options = re.findall(r'<option value="([^"]*)"( selected)?>', select.group(1))
    assert options[0] == ("", " selected")
    assert [value for value, _sel in options[1:]] == list(Outcome.values)

    refused = officer.post(_action(report, "resolve"), {"outcome": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    assert "Choose the outcome: nothing is recorded until you do." in refused.content.decode()
    report.refresh_from_db()
    assert (report.status, report.outcome) == ("received", "")


def test_resolving_shows_what_will_be_recorded_then_records_it_once_confirmed(
    officer: Any, report: Report
) -> None:
    data = {"outcome": Outcome.WARNING, "public_note": "Đã nhắc nhở chủ quán."}
    asked = officer.post(
        _action(report, "resolve"), data, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="panel"
    )
    body = asked.content.decode()
    assert asked.status_code == 200
    assert f"Resolve report {report.tracking_code} with this outcome?" in body
    assert "Violation confirmed: warning" in body and "Đã nhắc nhở chủ quán." in body
    assert 'name="confirmed" value="1"' in body and 'hx-target="#panel"' in body
    report.refresh_from_db()
    assert report.outcome == "" and report.resolved_at is None

    done = officer.post(
        _action(report, "resolve"), {**data, "confirmed": "1"}, HTTP_HX_REQUEST="true"
    )
    assert done.status_code == 200
    report.refresh_from_db()
    assert (report.status, report.outcome) == ("resolved", Outcome.WARNING)


def test_without_htmx_the_confirmation_is_a_page_and_closing_asks_too(
    officer: Any, report: Report
) -> None:
    asked = officer.post(_action(report, "resolve"), {"outcome": Outcome.UNFOUNDED})
    assert asked.status_code == 200 and b"<html" in asked.content
    confirmed = officer.post(
        _action(report, "resolve"), {"outcome": Outcome.UNFOUNDED, "confirmed": "1"}
    )
    assert confirmed.status_code == 302
    report.refresh_from_db()
    assert report.status == "resolved"

    asked = officer.post(_action(report, "close"))
    assert f"Close report {report.tracking_code}?" in asked.content.decode()
    report.refresh_from_db()
    assert report.status == "resolved"
    officer.post(_action(report, "close"), {"confirmed": "1"})
    report.refresh_from_db()
    assert report.status == "closed"


def test_merging_names_the_other_report_and_one_out_of_scope_is_a_404(
    officer: Any, submit: Any, report: Report
) -> None:
    other = submit().report
    asked = officer.post(_action(report, "merge"), {"into": other.pk}, HTTP_HX_REQUEST="true")
    assert asked.status_code == 200 and other.tracking_code in asked.content.decode()
    report.refresh_from_db()
    assert report.duplicate_of_id is None

    elsewhere = submit(unit_key="bai_chay").report
    hidden = officer.post(_action(report, "merge"), {"into": elsewhere.pk}, HTTP_HX_REQUEST="true")
    assert hidden.status_code == 404
    assert elsewhere.tracking_code not in hidden.content.decode()

    officer.post(_action(report, "merge"), {"into": other.pk, "confirmed": "1"})
    report.refresh_from_db()
    assert (report.duplicate_of_id, report.outcome) == (other.pk, Outcome.DUPLICATE)
