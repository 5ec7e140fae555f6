"""Periodic reports: built in the background as XLSX and PDF, listed, downloadable, failing cleanly."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from safeward.analytics import exports
from safeward.analytics.choices import ReportStatus
from safeward.analytics.models import PeriodicReport
from safeward.analytics.services import periodic_report_request


@pytest.fixture
def immediate(settings: Any, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def facts(record: Callable[..., Any], demo_units: dict[str, Any]) -> None:
    for month in (1, 2, 2, 5):
        record(demo_units["cam_thinh_khu1"], dt.date(2024, month, 10), "theft", value=3.0)


def request_report(
    personas: dict[str, Any],
    demo_units: dict[str, Any],
    fmt: str,
    commits: Any,
    language: str = "en",
) -> PeriodicReport:
    with commits(execute=True):
        with_commit = periodic_report_request(
            personas["province_admin"],
            unit=demo_units["cam_thinh"],
            date_from=dt.date(2024, 1, 1),
            date_to=dt.date(2024, 12, 31),
            fmt=fmt,
            language=language,
        )
    with_commit.refresh_from_db()
    return with_commit


def test_xlsx_report_has_numbers_as_numbers(
    immediate: None,
    facts: None,
    personas: dict[str, Any],
    demo_units: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = request_report(personas, demo_units, "xlsx", django_capture_on_commit_callbacks)
    assert report.status == ReportStatus.DONE, report.error
    book = load_workbook(io.BytesIO(report.file.read()))
    monthly = book["By month"] if "By month" in book.sheetnames else book.worksheets[2]
    header = [c.value for c in monthly[1]]
    column = header.index("Synthetic reports") + 1
    assert monthly.cell(3, 1).value == "02/2024"
    assert monthly.cell(3, column).value == 2
    assert monthly.cell(3, column).data_type == "n"
    assert "Cẩm Thịnh" in book.worksheets[0]["A1"].value


def test_pdf_report_embeds_a_unicode_font(
    immediate: None,
    facts: None,
    personas: dict[str, Any],
    demo_units: dict[str, Any],
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = request_report(personas, demo_units, "pdf", django_capture_on_commit_callbacks, "vi")
    assert report.status == ReportStatus.DONE, report.error
    data = report.file.read()
    assert data.startswith(b"%PDF") and b"DejaVu" in data
    if shutil.which("pdftotext"):
        (tmp_path / "r.pdf").write_bytes(data)
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, check=True
        ).stdout.decode()
        assert "Cẩm Thịnh" in text


def test_a_failed_build_leaves_an_error_and_no_file(
    immediate: None,
    personas: dict[str, Any],
    demo_units: dict[str, Any],
    monkeypatch: Any,
    synthetic: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    def broken(_content: Any) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setitem(exports.RENDERERS, "pdf", broken)
    report = request_report(personas, demo_units, "pdf", django_capture_on_commit_callbacks)
    assert report.status == ReportStatus.FAILED
    assert "disk full" in report.error
    assert not report.file


def test_reports_are_listed_and_downloadable_in_scope(
    client_for: Callable[[str], Any],
    personas: dict[str, Any],
    demo_units: dict[str, Any],
    synthetic: None,
) -> None:
    from django.core.files.base import ContentFile

    report = PeriodicReport.objects.create(
        unit=demo_units["bai_chay"],
        date_from=dt.date(2024, 1, 1),
        date_to=dt.date(2024, 12, 31),
        fmt="pdf",
        status=ReportStatus.DONE,
    )
    report.file.save("x.pdf", ContentFile(b"%PDF-1.4"), save=True)
    admin = client_for("province_admin")
    assert demo_units["bai_chay"].name in admin.get(reverse("analytics:reports")).content.decode()
    assert admin.get(reverse("analytics:report_download", args=[report.pk])).status_code == 200
    ward = client_for("ward_officer")
    assert ward.get(reverse("analytics:report_download", args=[report.pk])).status_code == 404
    report.file.delete(save=False)


def test_report_form_refuses_reversed_range(
    client_for: Callable[[str], Any], demo_units: dict[str, Any], synthetic: None
) -> None:
    response = client_for("ward_officer").post(
        reverse("analytics:reports"),
        {
            "unit": demo_units["cua_ong"].pk,
            "date_from": "2024-12-01",
            "date_to": "2024-01-01",
            "fmt": "xlsx",
            "language": "vi",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not PeriodicReport.objects.exists()


def test_requesting_a_report_from_the_page_queues_it(
    client_for: Callable[[str], Any],
    demo_units: dict[str, Any],
    synthetic: None,
    django_capture_on_commit_callbacks: Any,
    immediate: None,
) -> None:
    client = client_for("ward_officer")
    assert client.get(reverse("analytics:reports")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("analytics:reports"),
            {
                "unit": demo_units["cua_ong"].pk,
                "date_from": "2024-01-01",
                "date_to": "2024-12-31",
                "fmt": "xlsx",
                "language": "en",
            },
        )
    assert response.status_code == 302
    report = PeriodicReport.objects.get()
    assert report.status == ReportStatus.DONE and report.file
    report.file.delete(save=False)


def test_a_unit_outside_scope_cannot_be_chosen(
    client_for: Callable[[str], Any], demo_units: dict[str, Any], synthetic: None
) -> None:
    response = client_for("ward_officer").post(
        reverse("analytics:reports"),
        {
            "unit": demo_units["bai_chay"].pk,
            "date_from": "2024-01-01",
            "date_to": "2024-12-31",
            "fmt": "xlsx",
            "language": "en",
        },
    )
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert not PeriodicReport.objects.exists()


def test_pdf_report_carries_the_official_heading_in_vietnamese(
    db: Any, demo_units: dict[str, Any]
) -> None:
    import datetime as dt

    from django.utils import translation

    from safeward.analytics.exports import render_pdf, report_content

    with translation.override("vi"):
        content = report_content(
            demo_units["cam_thinh"], dt.date(2024, 1, 1), dt.date(2024, 12, 31), lambda n: None
        )
        data = render_pdf(content)
    assert content.place_date.startswith("Quảng Ninh, ngày ")
    assert content.subtitle == "Từ 01/01/2024 đến 31/12/2024"
    assert content.issuer == "ỦY BAN NHÂN DÂN PHƯỜNG CẨM THỊNH"
    assert content.as_of.startswith("Số liệu")
    assert data.startswith(b"%PDF")
    shares = [r for r in content.sections[0].rows if r[1].startswith("%")]
    assert shares and all(r[2] is None or r[2] > 1 for r in shares)


def _pdf_lines(data: bytes, tmp_path: Path) -> list[str]:
    (tmp_path / "r.pdf").write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(tmp_path / "r.pdf"), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return text.splitlines()


def test_pdf_report_in_arabic_reads_right_to_left_with_every_letter(
    db: Any, demo_units: dict[str, Any], tmp_path: Path
) -> None:
    """Arabic headings sit on the right, the issuing body on the right-hand side of the heading,
    and no text falls back to a face without Arabic letters (the figures-as-of line is italic)."""
    import warnings

    from django.utils import translation

    from safeward.analytics.exports import render_pdf, report_content

    with translation.override("ar"):
        content = report_content(
            demo_units["cam_thinh"], dt.date(2024, 1, 1), dt.date(2024, 12, 31), lambda n: None
        )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            data = render_pdf(content)
    assert not [w for w in caught if "missing the following glyphs" in str(w.message)]
    lines = _pdf_lines(data, tmp_path)
    heading = next(line for line in lines if "المؤشرات" in line and "وحدة" not in line)
    width = max(len(line) for line in lines)
    assert heading.index("المؤشرات") > width / 2, heading
    top = next(line for line in lines if "CẨM THỊNH" in line)
    assert top.index("CẨM THỊNH") > top.index("فيتنام"), top  # issuer right, motto left


def test_the_report_chart_follows_the_dashboard_opening_figure(
    db: Any, demo_units: dict[str, Any]
) -> None:
    from django.utils import translation

    from safeward.analytics.exports import report_content

    with translation.override("en"):
        content = report_content(
            demo_units["cam_thinh"], dt.date(2024, 1, 1), dt.date(2024, 12, 31), lambda n: None
        )
        assert content.chart is not None and content.chart[0] == "Reports received"
        names = [row[0] for row in content.sections[0].rows]
        assert names[:3] == [
            "Self-managed groups active",
            "Group members",
            "Mass-movement models active",
        ]
