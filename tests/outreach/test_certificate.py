"""The completion certificate is a PDF with the Vietnamese text and the font embedded."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from safeward.core.errors import DomainError
from safeward.outreach.certificates import certificate_pdf
from tests.outreach import factories as f


def test_certificate_embeds_dejavu_and_renders(demo_units: dict[str, Any], tmp_path: Path) -> None:
    participant = f.participant(
        f.course(demo_units["cua_ong"]), completed=True, certificate_number="2025-0001-00001"
    )
    pdf = certificate_pdf(participant)
    assert pdf.startswith(b"%PDF")
    assert b"DejaVu" in pdf
    if shutil.which("pdftotext"):
        (tmp_path / "c.pdf").write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "GIẤY CHỨNG NHẬN HOÀN THÀNH KHÓA TẬP HUẤN" in text
        assert participant.person.full_name in text


def test_no_certificate_before_completion(demo_units: dict[str, Any]) -> None:
    participant = f.participant(f.course(demo_units["cua_ong"]))
    with pytest.raises(DomainError):
        certificate_pdf(participant)


def test_certificate_download_over_the_api(
    demo_units: dict[str, Any], personas: dict[str, Any]
) -> None:
    from rest_framework.test import APIClient

    participant = f.participant(
        f.course(demo_units["cua_ong"]), completed=True, certificate_number="2025-0001-00002"
    )
    client = APIClient()
    client.force_authenticate(personas["ward_officer"])
    response = client.get(f"/api/v1/course-participants/{participant.pk}/certificate/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    client.force_authenticate(personas["other_ward_officer"])
    assert (
        client.get(f"/api/v1/course-participants/{participant.pk}/certificate/").status_code == 404
    )
