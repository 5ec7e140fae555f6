from __future__ import annotations

from typing import Any

import pytest

from safeward.analytics.freshness import rollups_catch_up
from safeward.analytics.public import public_counts
from safeward.cameras import services as camera_services
from safeward.core.errors import DomainError
from safeward.evidence import services
from safeward.evidence.models import FootageRequest
from safeward.evidence.stats import FIRST_DAY, ward_request_stats
from tests.evidence.conftest import window

pytestmark = pytest.mark.django_db


def _create(personas: dict[str, Any], rep: Any, camera: Any, **kw: Any) -> FootageRequest:
    args: dict[str, Any] = {
        "report": rep,
        "purpose": "Xác minh",
        "radius_m": 200,
        "cameras": [camera],
        **window(rep),
    }
    args.update(kw)
    return services.footage_request_create(personas["ward_officer"], **args)


def test_request_within_caps_needs_one_approval(footage_request: FootageRequest) -> None:
    assert footage_request.approvals_needed == 1
    assert footage_request.status == "pending"
    assert footage_request.targets.get().kept_until > footage_request.incident_at


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"purpose": " "}, "purpose"),
        ({"report": None}, "report"),
        ({"radius_m": 0}, "radius_m"),
        ({"cameras": []}, "cameras"),
    ],
)
def test_bad_requests_are_refused_and_nothing_stored(
    personas: dict[str, Any], report: Any, camera: Any, kw: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as err:
        _create(personas, report, camera, **kw)
    assert err.value.field == field
    assert FootageRequest.objects.count() == 0


def test_window_beyond_cap_needs_a_second_approval(
    personas: dict[str, Any], report: Any, camera: Any
) -> None:
    request = _create(personas, report, camera, **window(report, minutes=180))
    assert request.approvals_needed == 2
    assert services.footage_request_approve(personas["front_member"], request) == {}
    request.refresh_from_db()
    assert request.status == "pending"
    tokens = services.footage_request_approve(personas["city_officer"], request)
    request.refresh_from_db()
    assert request.status == "approved" and len(tokens) == 1


def test_camera_with_withdrawn_consent_cannot_be_asked(
    personas: dict[str, Any], report: Any, camera: Any
) -> None:
    camera_services.consent_withdraw(personas["resident"], camera)
    with pytest.raises(DomainError) as err:
        _create(personas, report, camera)
    assert err.value.field == "cameras"


def test_consent_withdrawn_before_approval_means_the_custodian_is_not_contacted(
    personas: dict[str, Any], footage_request: FootageRequest, camera: Any
) -> None:
    camera_services.consent_withdraw(personas["resident"], camera)
    tokens = services.footage_request_approve(personas["front_member"], footage_request)
    assert tokens == {}
    assert footage_request.targets.get().response == "skipped"


def test_creator_cannot_approve_own_request(
    personas: dict[str, Any], footage_request: FootageRequest
) -> None:
    with pytest.raises(DomainError) as err:
        services.footage_request_approve(personas["ward_officer"], footage_request)
    assert err.value.field == "approver"


def test_ward_officer_without_approval_right_cannot_approve(
    personas: dict[str, Any], footage_request: FootageRequest
) -> None:
    with pytest.raises(DomainError):
        services.footage_request_approve(personas["group_leader"], footage_request)


def test_custodian_may_decline_and_stats_count_it(
    personas: dict[str, Any], footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    target = footage_request.targets.get()
    services.target_respond(personas["resident"], target, response="declined")
    target.refresh_from_db()
    assert target.response == "declined" and target.upload_token_hash == ""
    rollups_catch_up()
    declined = public_counts(
        "evidence.requests_declined", footage_request.ward, FIRST_DAY, target.responded_at.date()
    )
    assert sum(declined.values()) == 1
    [row] = ward_request_stats(footage_request.ward)
    assert (row["sent"], row["answered"], row["declined"]) == (None, None, None)


def test_one_time_link_finds_its_target(
    footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    [token] = approved.values()
    assert services.target_for_token(token) == footage_request.targets.get()
    assert services.target_for_token("forged") is None


def test_rejection_needs_a_reason(
    personas: dict[str, Any], footage_request: FootageRequest
) -> None:
    with pytest.raises(DomainError):
        services.footage_request_reject(personas["front_member"], footage_request, note="")
    services.footage_request_reject(
        personas["front_member"], footage_request, note="Không đủ căn cứ"
    )
    footage_request.refresh_from_db()
    assert footage_request.status == "rejected"
