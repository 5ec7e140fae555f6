"""Every scoped model is proven scoped: by a permission suite (its API), or, for a row that
lives under another, by showing each persona on the full demo never more of it than what
they see of its parent.

A new model with ``restrict`` fails here until it is given one or the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import override_settings

from safeward.core.scoping import clear_scope_cache
from safeward.core.testing import PERSONA_NAMES
from tests.core.test_suite_coverage import _suites

# A row that belongs to another: (the field naming its parent, the action read on it).
CHILDREN: dict[str, str] = {
    "bulletins.CohortMember": "cohort",
    "bulletins.Delivery": "bulletin",
    "community.GroupStatusChange": "group",
    "evidence.Approval": "request",
    "evidence.CustodyEvent": "item",
    "evidence.RequestTarget": "request",
    "reports.ReportAttachment": "report",
    "reports.ReportEvent": "report",
    "reports.ReportMessage": "report",
}
# Rows no role reads through ``restrict``: each is opened only as its reason says.
NOBODY: dict[str, str] = {
    "bulletins.BulletinAudience": (
        "read only nested in its bulletin, through the bulletin's scope; the cohort it names "
        "only for the cohort's keepers and approvers (tests/bulletins/test_api.py)"
    ),
    "bulletins.BulletinText": "read only nested in its bulletin, through the bulletin's scope",
    "cameras.CustodianInvite": "opened only with its one-time token, by the invited custodian",
    "evidence.Delivery": (
        "read only on its footage request's page, through the request's own scope, by who "
        "may change the request (tests/evidence/test_deliveries.py)"
    ),
    "reports.ReporterIdentity": (
        "read one report at a time by reporter_identity_view, which checks the permission "
        "and audits the look (tests/reports)"
    ),
}
# Scoped by their unit, with tests of their own, each named.
OWN_TESTS: dict[str, str] = {
    "accounts.User": "tests/accounts/test_users_api.py",
    "analytics.PeriodicReport": "tests/analytics/test_periodic_reports.py",
    "core.ImportJob": "test_an_import_is_seen_by_its_uploader_and_by_importers_of_its_kind_in_its_unit",
    "core.AuditEvent": "tests/core/test_audit.py::test_audit_list_shows_only_the_users_scope",
    "reports.ServiceCategory": "tests/reports/test_catalogue_translation.py",
}


def _scoped_models() -> list[Any]:
    return sorted(
        (
            model
            for model in apps.get_models()
            if model.__module__.startswith("safeward") and hasattr(model.objects, "restrict")
        ),
        key=lambda m: m._meta.label,
    )


def test_every_scoped_model_is_proven_scoped() -> None:
    covered = {m._meta.label for m in _suites()}
    unproven = [
        m._meta.label
        for m in _scoped_models()
        if m._meta.label not in covered | set(CHILDREN) | set(OWN_TESTS) | set(NOBODY)
    ]
    assert len(_scoped_models()) >= 40
    assert not unproven, f"scoped models with no proof of their scope: {unproven}"


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[None]:
    from safeward.demo.scenario import run_demo

    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        run_demo(seed=2024, log=lambda _m: None)
        _invite_some_custodians()
        _pause_some_groups()
        _talk_about_some_reports()
        yield
        transaction.set_rollback(True)


def _invite_some_custodians() -> None:
    """The demo sends no invitation; one camera per ward gets one, through the service."""
    from safeward.accounts.models import User
    from safeward.cameras import services
    from safeward.cameras.models import Camera

    admin = User.objects.get(username="province_admin")
    wards = set()
    for camera in Camera.objects.select_related("unit").order_by("pk"):
        ward = camera.unit.path.split("/")[:4]
        if tuple(ward) not in wards and camera.contact:
            wards.add(tuple(ward))
            services.custodian_invite(admin, camera=camera)


def _pause_some_groups() -> None:
    """The demo changes no group's status; the first group of each ward pauses."""
    from safeward.accounts.models import User
    from safeward.community import services
    from safeward.community.models import Group

    admin = User.objects.get(username="province_admin")
    wards = set()
    for group in Group.objects.select_related("unit").filter(status="active").order_by("pk"):
        ward = tuple(group.unit.path.split("/")[:4])
        if ward not in wards:
            wards.add(ward)
            services.group_set_status(admin, group, status="inactive", reason="Tạm dừng")


def _talk_about_some_reports() -> None:
    """The demo's reports carry no photo and no message; a photo report and a staff reply
    in each ward, through the services."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from safeward.accounts.models import User
    from safeward.geo.models import AdminUnit
    from safeward.reports import services
    from safeward.reports.uploads import clean_upload

    admin = User.objects.get(username="province_admin")
    wards = AdminUnit.objects.filter(level="ward", valid_to__isnull=True).exclude(centroid_lat=None)
    for ward in wards.order_by("pk")[:3]:
        buf = io.BytesIO()
        Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, "JPEG")
        photo = clean_upload(SimpleUploadedFile("p.jpg", buf.getvalue(), "image/jpeg"))
        submission = services.report_submit(
            None,
            category=services.category_by_code("theft"),
            description="Mất xe đạp ở chợ",
            channel="web",
            latitude=ward.centroid_lat,
            longitude=ward.centroid_lon,
            uploads=[photo],
        )
        services.report_message_staff(admin, submission.report, body="Đã tiếp nhận.")


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(CHILDREN))
def test_no_persona_sees_a_row_whose_parent_they_cannot_see(
    demo: None, personas: dict[str, Any], label: str
) -> None:
    model = apps.get_model(label)
    parent_field = CHILDREN[label]
    parent = model._meta.get_field(parent_field).related_model
    assert model.objects.exists(), f"the demo has no {label} to check"
    seen_by_someone = False
    for name in PERSONA_NAMES:
        user = personas.get(name)
        if user is None:
            continue
        clear_scope_cache(user)
        visible_parents = set(
            parent._default_manager.all().restrict(user, "view").values_list("pk", flat=True)
        )
        rows = list(model.objects.all().restrict(user, "view").values_list(parent_field, flat=True))
        outside = [pk for pk in rows if pk not in visible_parents]
        assert not outside, f"{name} sees {len(outside)} {label} rows under unseen {parent_field}s"
        seen_by_someone |= bool(rows)
    assert seen_by_someone, f"no persona sees any {label}: the check proved nothing"


@pytest.mark.django_db
def test_an_import_is_seen_by_its_uploader_and_by_importers_of_its_kind_in_its_unit(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    from safeward.core.models import ImportJob

    ward = demo_units["cua_ong"]
    mine = ImportJob.objects.create(
        user=personas["ward_officer"], kind="cameras", file_name="c.csv", unit=ward
    )
    elsewhere = ImportJob.objects.create(
        user=personas["other_ward_officer"],
        kind="cameras",
        file_name="d.csv",
        unit=demo_units["bai_chay"],
    )
    seen = {
        name: set(ImportJob.objects.restrict(personas[name]).values_list("pk", flat=True))
        for name in ("ward_officer", "other_ward_officer", "province_admin", "resident")
    }
    assert seen["ward_officer"] == {mine.pk}
    assert seen["other_ward_officer"] == {elsewhere.pk}
    assert seen["province_admin"] == {mine.pk, elsewhere.pk}
    assert seen["resident"] == set()


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(NOBODY))
def test_rows_opened_only_otherwise_are_read_by_no_persona(
    demo: None, personas: dict[str, Any], label: str
) -> None:
    model = apps.get_model(label)
    assert model.objects.exists(), f"the demo has no {label} to check"
    for name in PERSONA_NAMES:
        if name in personas:
            clear_scope_cache(personas[name])
            assert not model.objects.all().restrict(personas[name], "view").exists(), name
