"""Pages that take a unit from the query string show only what the user may see there."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from safeward.community import services
from tests.outreach import factories as of

PRIVATE = "Tổ dân phố ký cam kết riêng 2026"


@pytest.fixture
def hood(demo_units: dict[str, Any]) -> Any:
    return demo_units["cam_thinh_khu1_2025"]


@pytest.fixture
def ward_criterion(personas: dict[str, Any], hood: Any) -> Any:
    return services.criterion_add(
        personas["ward_officer"], unit=hood.parent, code="private_pledge", label=PRIVATE
    )


@pytest.mark.parametrize("persona", ["resident", "other_ward_officer", "outsider"])
def test_assessment_form_hides_another_units_checklist(
    client_for: Any, hood: Any, ward_criterion: Any, persona: str
) -> None:
    response = client_for(persona).get(reverse("community:assessment_add"), {"unit": hood.pk})
    assert response.status_code == 404
    assert PRIVATE not in response.content.decode()


def test_assessment_form_shows_the_ward_officer_the_checklist(
    client_for: Any, hood: Any, ward_criterion: Any
) -> None:
    response = client_for("ward_officer").get(
        reverse("community:assessment_add"), {"unit": hood.pk}
    )
    assert response.status_code == 200, response
    assert PRIVATE in response.content.decode()


def test_assessment_form_for_a_missing_unit_answers_404(client_for: Any) -> None:
    for unit in ("999999999", "abc"):
        response = client_for("ward_officer").get(
            reverse("community:assessment_add"), {"unit": unit}
        )
        assert response.status_code == 404


def test_assessment_form_needs_the_add_permission(client_for: Any) -> None:
    assert client_for("resident").get(reverse("community:assessment_add")).status_code == 404


def test_trained_leaders_of_another_ward_answer_like_a_missing_unit(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cua_ong"]
    leader = of.participant(of.course(ward), completed=True, result="passed").person
    client = client_for("other_ward_officer")
    response = client.get(reverse("outreach:trained"), {"unit": ward.pk})
    missing = client.get(reverse("outreach:trained"), {"unit": 999_999_999})
    # The unit filter refuses an invisible unit exactly as it refuses one that does not exist.
    assert response.status_code == missing.status_code == 400
    assert leader.full_name not in response.content.decode()


def test_trained_leaders_need_the_participant_permission(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cua_ong"]
    response = client_for("resident").get(reverse("outreach:trained"), {"unit": ward.pk})
    assert response.status_code == 404
