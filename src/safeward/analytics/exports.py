"""Periodic report content, and its XLSX and PDF renderings."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from safeward.analytics import registry
from safeward.analytics.dashboards import change, default_indicator, headline_order
from safeward.analytics.freshness import as_of_text
from safeward.analytics.mapping import source_weights
from safeward.analytics.narratives import figure, narrative
from safeward.analytics.periods import periods_between, same_day_last_year
from safeward.analytics.queries import Query, values
from safeward.analytics.registry import Aggregation, Indicator, Kind, Period
from safeward.core.csvsafe import sheet_append
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FONT_ITALIC = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"


@dataclass
class Section:
    title: str
    header: list[str]
    rows: list[list[Any]]


@dataclass
class ReportContent:
    title: str
    subtitle: str
    narrative: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    chart: tuple[str, list[tuple[str, float]]] | None = None
    issuer: str = ""
    number: str = ""
    place_date: str = ""
    as_of: str = ""


def issuing_body(unit: AdminUnit) -> str:
    """The people's committee the report is issued under, as an official header names it."""
    return _("People's Committee of {unit}").format(unit=unit.name).upper()


def place_and_date(unit: AdminUnit, day: dt.date) -> str:
    """ "Quảng Ninh, ngày 02 tháng 12 năm 2026" (Decree 30/2020/NĐ-CP): the province, then the date."""
    province = next((u for u in [*unit.ancestors(), unit] if u.level == UnitLevel.PROVINCE), unit)
    place = province.short_name or province.name
    return _("{place}, day {day} month {month} year {year}").format(
        place=place, day=f"{day.day:02d}", month=f"{day.month:02d}", year=day.year
    )


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _shown(indicator: Indicator, value: float | None) -> float | None:
    """Shares as percentages (0.873 → 87.3); a stock with nothing in it as 0 (no pending
    cases reads 0, not a blank); every other value as it is."""
    if value is None and indicator.kind == Kind.STOCK and indicator.is_stored:
        return 0.0
    if value is not None and indicator.aggregation == Aggregation.RATIO:
        return round(100.0 * value, 1)
    return value


def _measure(indicator: Indicator) -> str:
    measure = "%" if indicator.aggregation == Aggregation.RATIO else str(indicator.unit_of_measure)
    if indicator.kind == Kind.STOCK:
        return _("{measure} (at the end of the period)").format(measure=measure)
    return _("{measure} (in the period)").format(measure=measure)


def _value(
    indicator: Indicator, units: tuple[AdminUnit, ...], start: dt.date, end: dt.date, **kw: Any
) -> dict[tuple, float | None]:
    return values(Query(indicator, units, start, end, **kw))


def summary_section(unit: AdminUnit, start: dt.date, end: dt.date) -> Section:
    """Every indicator against the same days of the year before: the figures a province
    reports first, in the dashboard's order, then the rest."""
    rows = []
    for ind in sorted(registry.all_indicators(), key=headline_order):
        now = _value(ind, (unit,), start, end).get((unit.pk, None, None))
        then = _value(ind, (unit,), same_day_last_year(start), same_day_last_year(end)).get(
            (unit.pk, None, None)
        )
        rows.append(
            [str(ind.name), _measure(ind), _shown(ind, now), _shown(ind, then), change(now, then)]
        )
    header = [
        _("Indicator"),
        _("Unit of measure"),
        _("Value"),
        _("Same period last year"),
        _("Change (%)"),
    ]
    return Section(_("Indicators"), header, rows)


def monthly_section(unit: AdminUnit, start: dt.date, end: dt.date) -> Section:
    indicators = [
        i for i in registry.all_indicators() if i.supports(Period.MONTH) or not i.is_stored
    ]
    months = periods_between(Period.MONTH, start, end)
    found = {i.code: _value(i, (unit,), start, end, period=Period.MONTH) for i in indicators}
    rows = [
        [
            m.strftime("%m/%Y"),
            *[_shown(i, found[i.code].get((unit.pk, m, None))) for i in indicators],
        ]
        for m in months
    ]
    return Section(_("By month"), [_("Month"), *[str(i.name) for i in indicators]], rows)


def children_section(unit: AdminUnit, start: dt.date, end: dt.date) -> Section | None:
    children = list(unit.children.valid_on(end).natural())
    if not children:
        return None
    indicators = registry.all_indicators()
    weights = source_weights([c.pk for c in children], as_is=True)
    found = {i.code: _value(i, tuple(children), start, end, weights=weights) for i in indicators}
    rows = [
        [c.name, *[_shown(i, found[i.code].get((c.pk, None, None))) for i in indicators]]
        for c in children
    ]
    return Section(_("Units"), [_("Unit"), *[str(i.name) for i in indicators]], rows)


def report_content(
    unit: AdminUnit, start: dt.date, end: dt.date, progress: Callable[[int], None]
) -> ReportContent:
    """Every section of a periodic report, reporting progress as it goes."""
    today = timezone.localdate()
    content = ReportContent(
        _("SafeWard report: {unit}").format(unit=unit.name),
        _("{start} to {end}").format(start=_day(start), end=_day(end)),
        issuer=issuing_body(unit),
        number=_("No.: …/BC-{year}").format(year=today.year),
        place_date=place_and_date(unit, today),
        as_of=as_of_text(),
    )
    content.narrative = [
        strip_tags(s.html)
        for s in narrative(unit, since_year=start.year, today=timezone.localdate(), end=end)
    ]
    progress(20)
    content.sections.append(summary_section(unit, start, end))
    progress(45)
    monthly = monthly_section(unit, start, end)
    content.sections.append(monthly)
    progress(70)
    if (kids := children_section(unit, start, end)) is not None:
        content.sections.append(kids)
    content.chart = opening_column(monthly) or busiest_column(monthly)
    progress(85)
    return content


def opening_column(section: Section) -> tuple[str, list[tuple[str, float]]] | None:
    """The column of the indicator a dashboard opens on (reports received), as (title, points):
    the report's chart shows what happened month by month, not a running total of money."""
    opening = default_indicator()
    name = str(opening.name) if opening is not None else None
    if name not in section.header[1:]:
        return None
    column = section.header.index(name)
    return name, [(r[0], float(r[column] or 0)) for r in section.rows]


def busiest_column(section: Section) -> tuple[str, list[tuple[str, float]]] | None:
    """The column with the largest total, as (title, points) for the report's chart."""
    if len(section.header) < 2 or not section.rows:
        return None
    totals = [sum(float(r[c] or 0) for r in section.rows) for c in range(1, len(section.header))]
    column = 1 + max(range(len(totals)), key=lambda c: totals[c])
    return section.header[column], [(r[0], float(r[column] or 0)) for r in section.rows]


def sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]\*\?/\\:]", " ", title)[:28] or "Sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name)
    return name


def render_xlsx(content: ReportContent) -> bytes:
    """One formatted sheet per section; numbers stay numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    cover = book.active
    cover.title = sheet_title(_("Summary"), set())
    sheet_append(cover, [content.title])
    cover["A1"].font = Font(bold=True, size=14)
    sheet_append(cover, [content.subtitle])
    for line in content.narrative:
        sheet_append(cover, [line])
        cover.cell(row=cover.max_row, column=1).alignment = Alignment(
            wrap_text=True, vertical="top"
        )
        # spreadsheet programs do not grow a row for wrapped text on their own
        cover.row_dimensions[cover.max_row].height = 15 * (1 + len(line) // 90)
    sheet_append(cover, [content.as_of])
    cover.column_dimensions["A"].width = 100
    _print_setup(cover, landscape=False)
    used = {cover.title}
    for section in content.sections:
        sheet = book.create_sheet(sheet_title(section.title, used))
        sheet_append(sheet, section.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1F5F8B")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in section.rows:
            sheet_append(sheet, row)
        for column in range(1, len(section.header) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 34 if column == 1 else 18
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                if isinstance(cell.value, float):
                    cell.number_format = "#,##0" if cell.value.is_integer() else "#,##0.0"
        sheet.freeze_panes = "B2"
        sheet.print_title_rows = "1:1"
        sheet.print_title_cols = "A:A"
        _print_setup(sheet, landscape=len(section.header) > 4, fit=len(section.header) <= 8)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _print_setup(sheet: Any, *, landscape: bool, fit: bool = True) -> None:
    """Print on A4: a narrow sheet as wide as one page, a wide one over several pages at
    full size (its first column and header repeated on each)."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    if fit:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float | int):
        return figure(value)
    return str(value)


def render_pdf(content: ReportContent) -> bytes:
    """A PDF with the DejaVu font embedded, so Vietnamese diacritics render everywhere.

    In a right-to-left language (Arabic) the text is shaped (letters joined, runs ordered
    right to left), aligned right, the heading's two blocks change sides and tables read
    from the right; DejaVu's oblique face has no Arabic letters, so its upright face is used.
    """
    from fpdf import FPDF

    rtl = get_language_bidi()
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.add_font("DejaVu", "", FONT)
    pdf.add_font("DejaVu", "B", FONT_BOLD)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("DejaVu", "I", FONT if rtl else FONT_ITALIC)
    if rtl:
        pdf.set_text_shaping(use_shaping_engine=True, direction="rtl")
    pdf.add_page()
    _official_header(pdf, content)
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, _("REPORT"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 7, content.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, content.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "I", 9)
    pdf.multi_cell(0, 6, content.as_of, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.ln(2)
    for line in content.narrative:
        pdf.multi_cell(0, 6, "• " + line, align="R" if rtl else "L", new_x="LMARGIN", new_y="NEXT")
    if content.chart:
        _bar_chart(pdf, *content.chart)
    for section in content.sections:
        _table(pdf, section)
    return bytes(pdf.output())


def _official_header(pdf: Any, content: ReportContent) -> None:
    """The heading block of an administrative document (Decree 30/2020/NĐ-CP): issuing body and
    number on the left, the national name and motto on the right, then place and date."""
    top, half = pdf.get_y(), (pdf.w - 2 * pdf.l_margin) / 2
    left, right = pdf.l_margin, pdf.l_margin + half
    if get_language_bidi():  # the issuing body stands first, on the reader's side
        left, right = right + half * 0.1, pdf.l_margin
    pdf.set_font("DejaVu", "B", 10)
    pdf.set_xy(left, top)
    pdf.multi_cell(half * 0.9, 5, content.issuer, align="C", new_x="LMARGIN", new_y="NEXT")
    _underline(pdf, left + half * 0.3, left + half * 0.6)
    pdf.set_font("DejaVu", "", 10)
    pdf.set_x(left)
    pdf.multi_cell(half * 0.9, 6, content.number, align="C", new_x="LMARGIN", new_y="NEXT")
    below_left = pdf.get_y()
    pdf.set_xy(right, top)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(half, 5, _("SOCIALIST REPUBLIC OF VIETNAM"), align="C", new_x="LEFT")
    pdf.set_x(right)
    pdf.multi_cell(half, 5, _("Independence - Freedom - Happiness"), align="C", new_x="LEFT")
    _underline(pdf, right + half * 0.25, right + half * 0.75)
    pdf.set_font("DejaVu", "I", 10)
    pdf.set_xy(right, pdf.get_y() + 2)
    pdf.multi_cell(half, 6, content.place_date, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(below_left, pdf.get_y()) + 4)


def _underline(pdf: Any, start: float, end: float) -> None:
    y = pdf.get_y() + 0.5
    pdf.line(start, y, end, y)
    pdf.set_y(y + 0.5)


def _bar_chart(pdf: Any, title: str, points: list[tuple[str, float]]) -> None:
    if not points:
        return
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 7, title, align="R" if get_language_bidi() else "L", new_x="LMARGIN", new_y="NEXT")
    top, height, left = pdf.get_y() + 2, 45.0, pdf.l_margin
    width = (pdf.w - 2 * pdf.l_margin) / max(len(points), 1)
    peak = max(v for _label, v in points) or 1.0
    pdf.set_font("DejaVu", "", 6)
    pdf.set_fill_color(31, 95, 139)
    for n, (label, value) in enumerate(points):
        bar = height * value / peak
        x = left + n * width
        if bar > 0:
            pdf.rect(x + width * 0.15, top + height - bar, width * 0.7, bar, style="F")
        pdf.text(x + 1, top + height + 4, label)
        pdf.text(x + 1, top + height - bar - 1, _text(value))
    pdf.set_fill_color(255, 255, 255)
    pdf.set_y(top + height + 8)


PDF_COLUMNS = 7


def _table(pdf: Any, section: Section) -> None:
    """The section as one or more tables of at most ``PDF_COLUMNS`` value columns each."""
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 12)
    align = "R" if get_language_bidi() else "L"
    pdf.cell(0, 8, section.title, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 7)
    for first in range(1, max(len(section.header), 2), PDF_COLUMNS):
        picked = [0, *range(first, min(first + PDF_COLUMNS, len(section.header)))]
        _table_part(
            pdf, [section.header[c] for c in picked], [[r[c] for c in picked] for r in section.rows]
        )
        pdf.ln(2)


def _table_part(pdf: Any, header: list[str], rows: list[list[Any]]) -> None:
    """One table: figures aligned on the end side, text on the start side; in a right-to-left
    language the columns run from the right."""
    widths = [3, *([2] * (len(header) - 1))]
    numeric = [
        c > 0 and all(isinstance(r[c], int | float) or r[c] is None for r in rows)
        for c in range(len(header))
    ]
    rtl = get_language_bidi()
    start, end = ("RIGHT", "LEFT") if rtl else ("LEFT", "RIGHT")
    aligns = [end if n else start for n in numeric]
    if rtl:
        header, rows = header[::-1], [r[::-1] for r in rows]
        widths, aligns = widths[::-1], aligns[::-1]
    with pdf.table(
        col_widths=widths,
        text_align=aligns,
        cell_fill_color=(238, 242, 245),
        cell_fill_mode="ROWS",
        line_height=5,
    ) as table:
        table.row([str(h) for h in header])
        for row in rows:
            table.row([_text(v) for v in row])


RENDERERS: dict[str, Callable[[ReportContent], bytes]] = {"xlsx": render_xlsx, "pdf": render_pdf}
