"""The XLSX report prints readably: wrapped narrative, A4, narrow sheets one page wide."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from safeward.analytics.exports import ReportContent, Section, render_xlsx


def test_sheets_are_set_up_for_printing() -> None:
    content = ReportContent(
        "Báo cáo SafeWard: Tỉnh Quảng Ninh",
        "Từ 2024-01-01 đến 2024-12-31",
        narrative=["Từ đầu năm 2024 đến nay, Tỉnh Quảng Ninh đã tổ chức 57 buổi tuyên truyền " * 3],
        sections=[
            Section("Chỉ tiêu", ["Chỉ tiêu", "Giá trị"], [["Tổ tự quản", 137.0]]),
            Section(
                "Theo tháng", ["Tháng", *[f"c{n}" for n in range(12)]], [["2024-01", *[1.0] * 12]]
            ),
        ],
    )
    book = load_workbook(io.BytesIO(render_xlsx(content)))
    cover, summary, monthly = book.worksheets
    narrative = cover["A3"]
    assert narrative.alignment.wrap_text
    assert cover.row_dimensions[3].height >= 30  # room for the wrapped lines
    for sheet in book.worksheets:
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert summary.sheet_properties.pageSetUpPr.fitToPage
    assert summary.page_setup.fitToWidth == 1 and summary.page_setup.fitToHeight == 0
    # a wide table keeps its size and repeats its first column and header on every page
    assert monthly.page_setup.orientation == "landscape"
    assert not monthly.sheet_properties.pageSetUpPr.fitToPage
    assert monthly.print_title_cols == "$A:$A" and monthly.print_title_rows == "$1:$1"
    assert summary["B2"].value == 137
