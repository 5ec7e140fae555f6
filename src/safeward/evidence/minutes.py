"""The extraction minutes (biên bản trích xuất dữ liệu camera) as a PDF in Vietnamese."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone
from fpdf import FPDF

FONT_CANDIDATES = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]


def font_path() -> Path:
    """DejaVu Sans from the system, else the copy bundled with matplotlib."""
    for path in FONT_CANDIDATES:
        if path.exists():
            return path
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%H:%M:%S ngày %d/%m/%Y") if value else "—"


def _lines(item: Any) -> list[tuple[str, str]]:
    camera, request = item.camera, item.request
    return [
        ("Số biên bản", item.minutes_reference or f"BB-{item.pk}"),
        ("Yêu cầu trích xuất", f"#{request.pk} — {request.purpose}" if request else "—"),
        ("Đơn vị", str(item.unit)),
        ("Camera", f"#{camera.pk}, người quản lý: {camera.custodian_label}" if camera else "—"),
        ("Cách thu thập", str(item.get_acquisition_display())),
        ("Tệp gốc", f"{item.original_name} ({item.size_bytes:,} byte, {item.content_type})"),
        ("Mã băm SHA-256", item.sha256),
        ("Giờ trên đầu ghi", f"{_local(item.recorded_start)} → {_local(item.recorded_end)}"),
        ("Độ lệch đồng hồ", f"{item.clock_offset_s} giây"),
        ("Giờ đã hiệu chỉnh", f"{_local(item.corrected_start)} → {_local(item.corrected_end)}"),
        ("Thời điểm tiếp nhận", _local(item.received_at)),
        ("Người tiếp nhận", item.received_by.get_username() if item.received_by else "—"),
    ]


def minutes_pdf(item: Any) -> bytes:
    """Render the minutes for one evidence item; DejaVu Sans carries every Vietnamese diacritic."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(font_path()))
    pdf.set_font("DejaVu", size=11)
    pdf.cell(0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "Độc lập — Tự do — Hạnh phúc", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", size=15)
    pdf.cell(0, 9, "BIÊN BẢN TRÍCH XUẤT DỮ LIỆU CAMERA", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", size=10)
    for label, value in _lines(item):
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(0, 6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.multi_cell(
        0,
        6,
        "Biên bản được lập thành hai bản, mỗi bên giữ một bản. Các bên đã đọc lại và ký tên.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(10)
    pdf.cell(90, 6, "NGƯỜI QUẢN LÝ CAMERA", align="C")
    pdf.cell(90, 6, "CÁN BỘ TRÍCH XUẤT", align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
