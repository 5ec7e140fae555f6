"""Bulk actions on the report list: the chosen rows are named before anything changes,
every row is changed through its service (history and audit), and the whole action is
refused, changing nothing, when one row is out of reach or refused."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from safeward.core.models import AuditEvent
from safeward.reports.choices import Outcome, ReportStatus
from safeward.reports.models import Report
from safeward.reports.services import Submission

pytestmark = pytest.mark.django_db

ASSIGN = reverse("reports:bulk", args=["assign"])
MERGE = reverse("reports:bulk", args=["merge"])


@pytest.fixture
def three(submit: Callable[..., Submission]) -> list[Report]:
    return [submit(description=f"Trộm xe máy lần {n}").report for n in range(3)]


def test_the_list_offers_a_box_per_row_and_the_actions_to_those_who_may_change(
    officer: Any, client_for: Any, three: list[Report]
) -> None:
    page = officer.get(reverse("reports:list")).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="pk" value="(\d+)"[^>]*form="bulk-form"', page)
    assert {str(r.pk) for r in three} <= set(boxes)
    assert f'formaction="{ASSIGN}"' in page and f'formaction="{MERGE}"' in page
    assert "Choose every row on this page" in page

    front = client_for("front_member")
    front.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    seen = front.get(reverse("reports:list"))  # a reader of reports who may not change them
    assert seen.status_code == 200 and three[0].tracking_code in seen.content.decode()
    assert 'form="bulk-form"' not in seen.content.decode()
    assert front.post(ASSIGN, {"pk": [three[0].pk]}).status_code == 404


def test_the_export_carries_no_check_box_column(officer: Any, three: list[Report]) -> None:
    export = officer.get(reverse("reports:list") + "?export=csv")
    text = b"".join(export.streaming_content).decode()
    header = text.splitlines()[0]
    assert "Code" in header and "Choose" not in header and "<input" not in text


def test_assigning_the_chosen_reports_names_them_then_assigns_each(
    officer: Any, personas: dict[str, Any], three: list[Report]
) -> None:
    chosen = {"pk": [r.pk for r in three[:2]], "next": "/reports/?status=received"}
    asked = officer.post(ASSIGN, chosen)
    body = asked.content.decode()
    assert asked.status_code == 200
    assert "Assign the chosen reports" in body and "2 chosen rows" in body
    assert three[0].tracking_code in body and three[1].tracking_code in body
    assert three[2].tracking_code not in body
    for r in three:
        r.refresh_from_db()
        assert r.assignee_id is None

    me = personas["ward_officer"]
    done = officer.post(ASSIGN, {**chosen, "apply": "1", "assignee": me.pk}, follow=True)
    assert done.redirect_chain[-1][0] == "/reports/?status=received"
    assert "2 reports assigned." in done.content.decode()
    for r in three[:2]:
        r.refresh_from_db()
        assert (r.assignee_id, r.status) == (me.pk, ReportStatus.ASSIGNED)
        assert AuditEvent.objects.filter(
            action="reports.assign", object_id=str(r.pk), actor_id=me.pk
        ).exists()
    three[2].refresh_from_db()
    assert three[2].assignee_id is None


def test_a_chosen_row_out_of_reach_refuses_the_whole_action(
    officer: Any, submit: Callable[..., Submission], three: list[Report], personas: dict[str, Any]
) -> None:
    elsewhere = submit(unit_key="bai_chay_khu").report
    posted = {"pk": [three[0].pk, elsewhere.pk], "apply": "1"}
    refused = officer.post(ASSIGN, {**posted, "assignee": personas["ward_officer"].pk})
    assert refused.status_code == 404
    three[0].refresh_from_db()
    assert three[0].assignee_id is None


def test_no_row_or_a_bad_row_number_goes_back_with_a_message(officer: Any) -> None:
    none = officer.post(ASSIGN, {"next": "/reports/"}, follow=True)
    assert "Choose at least one row first." in none.content.decode()
    bad = officer.post(ASSIGN, {"pk": ["x1"], "next": "https://evil.example/"}, follow=True)
    assert bad.redirect_chain[-1][0] == reverse("reports:list")
    assert "A chosen row is not a row number." in bad.content.decode()


def test_closing_duplicates_keeps_the_chosen_report_and_merges_the_others(
    officer: Any, three: list[Report]
) -> None:
    chosen = {"pk": [r.pk for r in three]}
    page = officer.post(MERGE, chosen).content.decode()
    radios = re.findall(r'<input type="radio" name="keep" value="(\d+)"([^>]*)>', page)
    assert [v for v, _a in radios] == [str(r.pk) for r in three]
    assert not any("checked" in attrs for _v, attrs in radios), "no report is kept by default"

    unchosen = officer.post(MERGE, {**chosen, "apply": "1"})
    assert unchosen.status_code == 400
    assert "Choose the report to keep: nothing is merged until you do." in unchosen.content.decode()

    keep = three[1]
    done = officer.post(MERGE, {**chosen, "apply": "1", "keep": keep.pk}, follow=True)
    assert "2 reports closed as duplicates." in done.content.decode()
    keep.refresh_from_db()
    assert keep.is_open and keep.duplicate_of_id is None
    for r in (three[0], three[2]):
        r.refresh_from_db()
        assert (r.duplicate_of_id, r.outcome) == (keep.pk, Outcome.DUPLICATE)
        assert r.status == ReportStatus.RESOLVED


def test_one_refused_merge_leaves_every_report_as_it_was(officer: Any, three: list[Report]) -> None:
    first, second, keep = three
    keep.duplicate_of = second  # merging ``second`` into ``keep`` is refused by the service
    keep.save(update_fields=["duplicate_of"])
    posted = {"pk": [first.pk, second.pk, keep.pk], "apply": "1", "keep": keep.pk}
    refused = officer.post(MERGE, posted)
    body = refused.content.decode()
    assert refused.status_code == 400
    assert f"{second}: A report cannot be merged into itself." in body
    first.refresh_from_db()
    assert first.duplicate_of_id is None and first.is_open


def test_merging_needs_two_reports(officer: Any, three: list[Report]) -> None:
    one = officer.post(MERGE, {"pk": [three[0].pk], "apply": "1", "keep": three[0].pk})
    assert one.status_code == 400
    assert "Choose two or more reports to merge." in one.content.decode()


def test_the_search_finds_words_of_the_description(officer: Any, three: list[Report]) -> None:
    found = officer.get(reverse("reports:list") + "?q=lần 2").content.decode()
    assert three[2].tracking_code in found
    assert three[0].tracking_code not in found
