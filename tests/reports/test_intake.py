"""Intake through ``report_submit``: placing, anonymity, identity, idempotency, bad input."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safeward.core.errors import DomainError
from safeward.core.models import AuditEvent
from safeward.geo.models import AdminUnit
from safeward.reports.models import Report, ReporterIdentity, RoutingRule
from safeward.reports.placing import clear_index
from safeward.reports.services import (
    category_by_code,
    report_submit,
    reporter_identity_view,
    routing_rule_create,
)
from safeward.reports.services.intake import CODE_ALPHABET, new_secret, new_tracking_code

pytestmark = pytest.mark.django_db
Submit = Callable[..., Any]


def square(unit: AdminUnit, lat: float, lon: float, half: float) -> None:
    """Give ``unit`` a square boundary around (lat, lon)."""
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    AdminUnit.objects.filter(pk=unit.pk).update(
        boundary={"type": "Polygon", "coordinates": [ring]},
        bbox_south=lat - half,
        bbox_north=lat + half,
        bbox_west=lon - half,
        bbox_east=lon + half,
    )
    clear_index()


def test_point_goes_to_the_neighbourhood_whose_boundary_contains_it(
    submit: Submit, demo_units: dict[str, Any]
) -> None:
    khu = demo_units["cam_thinh_khu1_2025"]
    square(khu, khu.centroid_lat, khu.centroid_lon, 0.002)
    report = submit(latitude=khu.centroid_lat + 0.001, longitude=khu.centroid_lon).report
    assert report.unit == khu


def test_point_in_a_ward_goes_to_its_nearest_neighbourhood_centroid(
    submit: Submit, demo_units: dict[str, Any]
) -> None:
    ward, khu = demo_units["cua_ong"], demo_units["cam_thinh_khu1_2025"]
    square(ward, khu.centroid_lat, khu.centroid_lon, 0.2)
    report = submit(latitude=khu.centroid_lat + 0.0001, longitude=khu.centroid_lon).report
    assert report.unit == khu


def test_point_outside_every_boundary_goes_to_the_nearest_ward(
    submit: Submit, demo_units: dict[str, Any]
) -> None:
    ward = demo_units["bai_chay"]
    report = submit(latitude=ward.centroid_lat, longitude=ward.centroid_lon + 0.0005).report
    assert report.unit == ward
    assert report.unit_path == ward.path


def test_incident_before_the_reform_is_stored_against_the_legacy_unit(
    submit: Submit, demo_units: dict[str, Any]
) -> None:
    legacy = demo_units["cam_thinh"]
    when = timezone.make_aware(dt.datetime(2024, 5, 3, 21, 0))
    report = submit(latitude=legacy.centroid_lat, longitude=legacy.centroid_lon, occurred_at=when)
    assert report.report.ward == legacy


def test_secret_is_stored_only_as_a_hash(submit: Submit) -> None:
    submission = submit()
    stored = Report.objects.get(pk=submission.report.pk)
    assert submission.secret and submission.secret not in stored.secret_hash
    assert stored.check_secret(submission.secret)
    assert not stored.check_secret("WRONG-SECRET")


def test_anonymous_report_stores_no_identity(submit: Submit) -> None:
    report = submit(reporter={"name": "Lan", "phone": "0912345678", "anonymous": True}).report
    assert report.anonymous
    assert not ReporterIdentity.objects.filter(report=report).exists()


def test_named_identity_is_kept_apart_from_the_report(submit: Submit) -> None:
    report = submit(reporter={"name": "Lan", "phone": "0912345678", "anonymous": False}).report
    assert not report.anonymous
    assert ReporterIdentity.objects.get(report=report).phone == "0912345678"


def test_identity_is_refused_without_view_reporter(
    submit: Submit, personas: dict[str, Any]
) -> None:
    report = submit(reporter={"name": "Lan", "anonymous": False}).report
    with pytest.raises(PermissionDenied):
        reporter_identity_view(personas["front_member"], report)


def test_every_identity_view_writes_a_sensitive_audit_event(
    submit: Submit, personas: dict[str, Any]
) -> None:
    report = submit(reporter={"name": "Lan", "anonymous": False}).report
    identity = reporter_identity_view(personas["ward_officer"], report)
    assert identity is not None and identity.name == "Lan"
    event = AuditEvent.objects.filter(action="reports.view_reporter").latest("id")
    assert event.sensitive_read and event.object_id == str(report.pk)
    assert event.actor_label == "ward_officer"


def test_same_idempotency_key_stores_one_report(submit: Submit) -> None:
    first = submit(idempotency_owner="client:1", idempotency_key="abc")
    again = submit(idempotency_owner="client:1", idempotency_key="abc")
    assert again.report.pk == first.report.pk and not again.created
    assert Report.objects.filter(pk=first.report.pk).count() == 1


def test_unknown_category_is_refused() -> None:
    with pytest.raises(DomainError) as err:
        category_by_code("kidnapping-aliens")
    assert err.value.field == "category"


def test_missing_required_attribute_is_refused_and_nothing_stored(submit: Submit) -> None:
    before = Report.objects.count()
    with pytest.raises(DomainError) as err:
        submit(category="drugs", attributes={})
    assert err.value.field == "attribute[activity]"
    assert Report.objects.count() == before


def test_description_over_4000_characters_is_refused(submit: Submit) -> None:
    with pytest.raises(DomainError) as err:
        submit(description="x" * 4001)
    assert err.value.code == "too_long"


def test_point_outside_vietnam_is_refused(submit: Submit) -> None:
    with pytest.raises(DomainError) as err:
        submit(latitude=48.85, longitude=2.35)
    assert err.value.code == "outside"


def test_incident_in_the_future_is_refused(submit: Submit) -> None:
    with pytest.raises(DomainError) as err:
        submit(occurred_at=timezone.now() + dt.timedelta(days=2))
    assert err.value.field == "occurred_at"


def test_crime_tip_must_be_decided_within_20_days(submit: Submit) -> None:
    report = submit(category="theft").report
    assert report.track == "crime_tip"
    assert report.due_on == timezone.localdate() + dt.timedelta(days=20)


def test_staff_channel_needs_permission_in_the_unit(
    submit: Submit, personas: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied):
        submit(channel="phone", actor=personas["other_ward_officer"])


def test_routing_rule_assigns_the_officer_automatically(
    submit: Submit, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    officer = personas["ward_officer"]
    routing_rule_create(
        officer, unit=demo_units["cua_ong"], category=category_by_code("theft"), assignee=officer
    )
    report = submit(unit=demo_units["cam_thinh_khu1_2025"], latitude=None, longitude=None).report
    assert report.assignee == officer and report.status == "assigned"
    assert RoutingRule.objects.count() == 1


def test_unit_without_point_is_accepted_for_staff_entry(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    report = report_submit(
        personas["ward_officer"],
        category=category_by_code("noise"),
        description="Karaoke quá 22 giờ",
        channel="phone",
        unit=demo_units["cam_thinh_khu1_2025"],
    ).report
    assert report.channel == "phone" and report.latitude is None
    assert report.track == "mediation"


def test_tracking_codes_and_secrets_draw_evenly_from_the_alphabet() -> None:
    # A random byte picks a letter without bias only if the alphabet's size divides 256.
    assert 256 % len(CODE_ALPHABET) == 0
    code, secret = new_tracking_code(), new_secret()
    assert code.startswith("SW-") and len(code) == 12 and len(secret) == 11
    letters = Counter("".join(new_tracking_code()[3:].replace("-", "") for _ in range(2000)))
    assert set(letters) <= set(CODE_ALPHABET) and len(letters) == len(CODE_ALPHABET)
