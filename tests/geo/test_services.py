from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from safeward.core.errors import DomainError
from safeward.geo.csv_import import import_neighbourhoods_csv
from safeward.geo.models import AdminUnit, UnitSuccession
from safeward.geo.services import succession_create, unit_create, unit_move

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages() -> Any:
    """The checks below read the English source messages; the default language is Vietnamese."""
    with translation.override("en"):
        yield


SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[107.3, 21.0], [107.31, 21.0], [107.31, 21.01], [107.3, 21.01], [107.3, 21.0]]
    ],
}


def test_ward_officer_adds_a_neighbourhood_with_boundary(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    unit = unit_create(
        personas["ward_officer"],
        parent=demo_units["cua_ong"],
        code="X-KP99",
        name="Khu 99",
        boundary=SQUARE,
    )
    assert unit.path == f"{demo_units['cua_ong'].path}{unit.pk}/"
    assert unit.centroid_lat == pytest.approx(21.005)
    assert unit.bbox() == pytest.approx((21.0, 107.3, 21.01, 107.31))


def test_a_unit_code_twice_is_refused_naming_the_code(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    existing = demo_units["cam_thinh_khu1_2025"].code
    before = AdminUnit.objects.count()
    with pytest.raises(DomainError, match=existing):
        unit_create(
            personas["ward_officer"], parent=demo_units["cua_ong"], code=existing, name="Khu X"
        )
    assert AdminUnit.objects.count() == before


def test_a_malformed_boundary_is_refused(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[107, 21], [107.1, 21.1], [107.1, 21], [107, 21.1], [107, 21]]],
    }
    with pytest.raises(DomainError, match="Self-intersection"):
        unit_create(
            personas["ward_officer"],
            parent=demo_units["cua_ong"],
            code="X-BAD",
            name="Khu bad",
            boundary=bowtie,
        )
    assert not AdminUnit.objects.filter(code="X-BAD").exists()


def test_a_point_outside_vietnam_is_refused(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    with pytest.raises(DomainError, match="outside Vietnam"):
        unit_create(
            personas["ward_officer"],
            parent=demo_units["cua_ong"],
            code="X-PAR",
            name="Paris",
            centroid_lat=48.85,
            centroid_lon=2.35,
        )


def test_a_unit_cannot_be_added_below_a_dissolved_ward(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    with pytest.raises(DomainError, match="ceased to exist"):
        unit_create(
            personas["province_admin"],
            parent=demo_units["cam_thinh"],
            code="X-OLD",
            name="Khu 12",
            valid_from=dt.date(2026, 1, 1),
        )


def test_adding_outside_scope_is_denied(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied):
        unit_create(
            personas["other_ward_officer"], parent=demo_units["cua_ong"], code="X-OUT", name="Khu"
        )


def test_a_move_that_would_make_a_cycle_is_refused(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    admin = personas["province_admin"]
    khu = demo_units["cam_thinh_khu1_2025"]
    with pytest.raises(DomainError, match="cycle"):
        unit_move(admin, demo_units["cua_ong"], new_parent=khu)
    assert AdminUnit.objects.get(pk=khu.pk).parent == demo_units["cua_ong"]


def test_moving_a_neighbourhood_rewrites_its_path(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    khu = unit_move(
        personas["province_admin"],
        demo_units["cam_thinh_khu1_2025"],
        new_parent=demo_units["bai_chay"],
    )
    assert khu.path.startswith(demo_units["bai_chay"].path)


def test_succession_shares_above_one_are_refused(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    admin = personas["province_admin"]
    cam_thinh = demo_units["cam_thinh"]  # already passes share 1 to Cửa Ông
    before = UnitSuccession.objects.count()
    with pytest.raises(DomainError, match="more than 1"):
        succession_create(
            admin,
            predecessor=cam_thinh,
            successor=demo_units["bai_chay"],
            date=dt.date(2025, 7, 1),
            share=0.2,
        )
    assert UnitSuccession.objects.count() == before


def test_csv_import_creates_every_row(personas: dict[str, Any], demo_units: dict[str, Any]) -> None:
    code = demo_units["cua_ong"].code
    data = f"parent_code,code,name,kind,lat,lon,population\n{code},CSV-1,Khu A,Khu phố,21.02,107.35,1200\n{code},CSV-2,Khu B,,,,\n"
    result = import_neighbourhoods_csv(personas["ward_officer"], data.encode())
    assert (result.created, result.errors) == (2, [])
    assert AdminUnit.objects.get(code="CSV-1").population == 1200


def test_csv_import_with_one_bad_row_writes_nothing_and_names_the_row(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    code = demo_units["cua_ong"].code
    data = (
        f"parent_code,code,name,lat,lon\n{code},CSV-3,Khu C,21.02,107.35\n"
        f"{code},CSV-4,Khu D,abc,107.35\nNOPE,CSV-5,Khu E,,\n"
    )
    result = import_neighbourhoods_csv(personas["ward_officer"], data.encode())
    assert result.created == 0
    assert [e.row for e in result.errors] == [3, 4]
    assert "abc" in result.errors[0].message and "NOPE" in result.errors[1].message
    assert not AdminUnit.objects.filter(code__in=["CSV-3", "CSV-4", "CSV-5"]).exists()


def test_api_rejects_a_bad_boundary_with_a_precise_400(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(personas["ward_officer"])
    response = client.post(
        "/api/v1/units/",
        {
            "parent": demo_units["cua_ong"].pk,
            "code": "API-1",
            "name": "Khu",
            "level": "neighbourhood",
            "boundary": {"type": "Point"},
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Polygon" in response.json()["detail"]
    assert response.json()["errors"] == {"boundary": [response.json()["detail"]]}
    assert not AdminUnit.objects.filter(code="API-1").exists()


def test_composition_endpoint_maps_history(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(personas["ward_officer"])
    response = client.get(
        f"/api/v1/units/{demo_units['cua_ong'].pk}/composition/", {"date": "2024-01-01"}
    )
    assert response.status_code == 200
    assert "Phường Cẩm Thịnh" in {row["name"] for row in response.json()}
    bad = client.get(
        f"/api/v1/units/{demo_units['cua_ong'].pk}/composition/", {"date": "01/01/2024"}
    )
    assert bad.status_code == 400
