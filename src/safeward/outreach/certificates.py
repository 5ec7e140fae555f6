"""Completion certificates: a one-page A4 landscape PDF in Vietnamese (DejaVu Sans embedded)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF

from safeward.core.errors import Conflict
from safeward.outreach.models import Participant

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"


def _pdf() -> FPDF:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    bold = FONT_DIR / "DejaVuSans-Bold.ttf"
    pdf.add_font(FONT, "B", str(bold if bold.exists() else FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_page()
    return pdf


def _line(pdf: FPDF, text: str, size: int, style: str = "", gap: float = 4) -> None:
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(0, size * 0.5, text, align="C")
    pdf.ln(gap)


def certificate_pdf(participant: Participant) -> bytes:
    """The certificate of a participant who completed the course (Vietnamese text)."""
    if not participant.completed:
        # The participant's result, not the request, is at fault: a state conflict.
        raise Conflict(
            _("Only a participant who completed the course gets a certificate."), field="completed"
        )
    course = participant.course
    pdf = _pdf()
    pdf.set_draw_color(150, 30, 30)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_y(22)
    _line(pdf, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, "B", 1)
    _line(pdf, "Độc lập - Tự do - Hạnh phúc", 12, "", 10)
    pdf.set_text_color(150, 30, 30)
    _line(pdf, "GIẤY CHỨNG NHẬN HOÀN THÀNH KHÓA TẬP HUẤN", 20, "B", 8)
    pdf.set_text_color(0, 0, 0)
    _line(pdf, "Chứng nhận ông/bà", 13, "", 2)
    _line(pdf, participant.person.full_name, 22, "B", 4)
    if participant.group_id:
        _line(pdf, f"Thành viên {participant.group}", 12, "", 4)
    _line(pdf, "đã hoàn thành khóa tập huấn", 13, "", 2)
    _line(pdf, f"“{course.title}”", 15, "B", 3)
    _line(
        pdf,
        f"từ ngày {course.start_date:%d/%m/%Y} đến ngày {course.end_date:%d/%m/%Y} "
        f"tại {course.place}",
        12,
        "",
        3,
    )
    if course.topics:
        _line(pdf, f"Nội dung: {course.topics}", 10, "", 3)
    pdf.set_y(170)
    _line(pdf, f"Số: {participant.certificate_number}    ·    {course.unit}", 11, "", 0)
    return bytes(pdf.output())
