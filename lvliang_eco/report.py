"""The annual implementation report (规划实施年度评估报告) the leadership group reviews each year
(the plan's 保障措施: the group "每年对规划实施情况进行核查和监督，评价规划实施情况及效益"), as a
Word document.

`report_data` reads everything through the pages' own selectors, with the downloading user's
visibility, so every figure in the document is the figure the overview and investment pages
show for the same year and data scope; `report_document` lays it out (python-docx: real Word
tables, charts as PNG images from report_charts.py). The document says which data it counts
and how recent they are."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from counties.access import Visibility
from counties.models import CITY_CODE, Area
from indicators.models import Indicator
from indicators.results import results_years
from indicators.statuses import Basis, ProgressStatus, Status
from submissions.models import SubmissionEvent
from submissions.selectors import submissions_overview

from . import report_charts, selectors
from .demo import demo_exists
from .formatting import wan, yi
from .templatetags.lvliang import reported, share

TARGET_YEARS = (2025, 2030)
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NO_FONT_NOTE = "（本机未安装中文字体，无法绘制图表，此处从略；下表数据完整。）"


def scope_text(vis: Visibility) -> str:
    """What the figures include, in the words of the pages' data bar."""
    if vis.restricted:
        return "本县全部数据；其他县（市、区）仅计入市局已审核通过的年度"
    if vis.approved_only:
        return "仅市局已审核通过的县区年度（未审核的县区数据不计入任何数字）"
    return "全部上报数据，含未审核的县区年度"


def report_filename(year: int, vis: Visibility) -> str:
    scope = "仅已审核数据" if vis.scope == "approved" else "全部上报数据"
    return f"吕梁市生态文明建设示范区{year}年度规划实施评估报告（{scope}）.docx"


def _local(moment: datetime | None) -> str:
    return date_format(timezone.localtime(moment), "Y年n月j日 H:i") if moment else ""


def _city_rows(city) -> list[dict]:
    """The city's indicators and sub-indicators in Table 1's order, as table rows."""
    rows = []
    for top in city.indicators if city else []:
        for item in [top, *top.subs]:
            indicator = item.indicator
            rows.append(
                {
                    "code": indicator.code,
                    "sub": indicator.parent_id is not None,
                    "name": indicator.label,
                    "attribute": "" if indicator.parent_id else indicator.attribute,
                    "standard": (item.standard or "").replace("\n", " "),
                    "value": "见子指标" if item.subs else reported(item.value, indicator.unit),
                    "status": Status(item.status),
                    "judged": item.assessment.basis == Basis.JUDGEMENT,
                }
            )
    return rows


def _status_by_domain(city) -> list[dict]:
    """The city's 40 indicators counted by domain and status: [{"domain", "counts"}]."""
    domains = dict(
        Indicator.objects.filter(parent__isnull=True).values_list("pk", "task__domain__name")
    )
    counts: dict[str, dict[Status, int]] = {}
    for top in city.indicators if city else []:
        entry = counts.setdefault(domains[top.indicator.pk], defaultdict(int))
        entry[Status(top.status)] += 1
    return [{"domain": name, "counts": dict(c)} for name, c in counts.items()]


def _progress(year: int, vis: Visibility) -> dict:
    """The city's progress toward every numeric 2025/2030 target, as the indicator pages show
    it: rows [{"code", "name", "value", "targets": {year: (text, Progress | None)}}] and
    counts {2025: {ProgressStatus: int}, 2030: {...}}."""
    city = results_years(vis, years=[year], area_codes=[CITY_CODE], goals=False)[year].areas[0]
    rows = []
    counts: dict[int, dict[ProgressStatus, int]] = {y: defaultdict(int) for y in TARGET_YEARS}
    for item in city.all_results():
        if not item.progress:
            continue
        indicator = item.indicator
        targets = {}
        for target_year in TARGET_YEARS:
            found = item.progress.get(target_year)
            text = getattr(indicator, f"target_{target_year}") or (
                indicator.parent and getattr(indicator.parent, f"target_{target_year}")
            )
            targets[target_year] = ((text or "").replace("\n", " "), found)
            if found:
                counts[target_year][ProgressStatus(found.status)] += 1
        rows.append(
            {
                "code": indicator.code,
                "name": indicator.label,
                "value": reported(item.value, indicator.unit),
                "targets": targets,
            }
        )
    return {"rows": rows, "counts": {y: dict(c) for y, c in counts.items()}}


def _reporting(year: int, vis: Visibility, results) -> list[dict]:
    """Each county's report for `year`: its state, how many of the 40 indicators have data
    that this report counts, when it was first submitted (and whether by the year's due date,
    submissions.timeliness) and last approved, and how many days after the year's end it was
    first submitted. Twelve queries."""
    reported = {
        row["area"].pk: row for row in submissions_overview(Area.objects.counties(), [year])
    }
    approved: dict[int, datetime] = {}
    returned: dict[int, int] = defaultdict(int)
    events = SubmissionEvent.objects.filter(submission__year=year).order_by("at", "pk")
    for area_id, action, at in events.values_list("submission__area_id", "action", "at"):
        if action == SubmissionEvent.Action.APPROVE:
            approved[area_id] = at
        elif action == SubmissionEvent.Action.RETURN:
            returned[area_id] += 1
    rows = []
    for result in results.areas:
        area = result.area
        if area.is_city:
            continue
        row = reported[area.pk]
        total = result.summary["binding_total"] + result.summary["reference_total"]
        first = row["submitted_on"]
        first_at = row["submitted_at"]
        rows.append(
            {
                "name": area.name,
                "state": row["state"],
                "counted": vis.counts(area.pk, year),
                "with_data": total - result.summary[Status.NO_DATA],
                "total": total,
                "submitted": _local(first_at),
                "days_after": (first - date(year, 12, 31)).days if first else None,
                "due_on": row["period"].due_on if row["period"] else None,
                "timeliness": row["timeliness"].label,
                "approved": _local(approved.get(area.pk)),
                "returned": returned[area.pk],
            }
        )
    return rows


def report_data(year: int, vis: Visibility) -> dict:
    """Everything the report for `year` shows, with `vis` (the downloading user's visibility
    and data scope) applied as on the pages. Amounts are the selectors' Decimals in 万元 (the
    document prints 万元 in its tables, 亿元 in its text; shares in %). Keys: year, scope,
    scope_text, as_of, demo, overview (the overview page's selector output), investment (the
    investment page's), city_rows, status_by_domain, progress, reporting."""
    page = selectors.overview(year, vis)
    return {
        "year": year,
        "scope": vis.scope,
        "scope_text": scope_text(vis),
        "as_of": selectors.data_as_of(vis),
        "demo": demo_exists(),
        "overview": page,
        "investment": selectors.investment(vis),
        "city_rows": _city_rows(page["city"]),
        "status_by_domain": _status_by_domain(page["city"]),
        "progress": _progress(year, vis),
        "reporting": _reporting(year, vis, page["results"]),
    }


# The document --------------------------------------------------------------------------------

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
HEADER_FILL = "DCE6F1"  # as the xlsx exports


def _fonts(style_or_run, east_asian: str, size: float | None = None) -> None:
    font = style_or_run.font
    font.name = LATIN_FONT
    if size:
        font.size = Pt(size)
    fonts = style_or_run.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")
    style_or_run.element.get_or_add_rPr().append(language)


def _new_document(year: int) -> DocxDocument:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.2)  # 16.6 cm of text
    styles = document.styles
    _fonts(styles["Normal"], BODY_FONT, 10.5)
    for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 12.5)):
        _fonts(styles[name], HEADING_FONT, size)
        styles[name].font.color.rgb = RGBColor(0, 0, 0)
        styles[name].font.bold = True
    properties = document.core_properties
    properties.title = f"吕梁市生态文明建设示范区{year}年度规划实施评估报告"
    properties.author = "吕梁市生态文明建设示范区规划实施跟踪系统"
    properties.language = "zh-CN"
    _page_numbers(section)
    return document


def _page_numbers(section) -> None:
    """A centred page number in the footer (a PAGE field, filled in by Word or LibreOffice)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _paragraph(document, text: str, *, size: float | None = None, grey: bool = False):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    if size:
        run.font.size = Pt(size)
    if grey:
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    return paragraph


def _caption(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(9.5)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _tint(colour: str, keep: float = 0.3) -> str:
    """A light tint of a status colour (`#009E73` → mixed with white), for a cell fill."""
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "".join(f"{round(255 - (255 - c) * keep):02X}" for c in channels)


def _table(
    document,
    caption: str,
    headers: list[str],
    rows: list[list],
    widths: list[float],
    right: tuple[int, ...] = (),
):
    """A real Word table under its caption: a header row repeated on every page, 9-point text,
    column widths in cm, the columns numbered in `right` right-aligned. A cell is text, or
    (text, fill) for a shaded cell."""
    _caption(document, caption)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header.cells, headers, strict=True):
        _fill(cell, text, bold=True)
        _shade(cell, HEADER_FILL)
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            text, fill = value if isinstance(value, tuple) else (value, None)
            _fill(cell, "" if text is None else str(text), right=index in right)
            if fill:
                _shade(cell, fill)
    # Word reads the cells' widths, LibreOffice the grid's: both are set.
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    document.add_paragraph()
    return table


def _fill(cell, text: str, *, bold: bool = False, right: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    lines = text.split("\n")
    run = paragraph.add_run(lines[0])
    run.font.size = Pt(9)
    run.bold = bold
    for line in lines[1:]:  # detail under the main text, smaller and grey
        detail = cell.add_paragraph().add_run(line)
        detail.font.size = Pt(7.5)
        detail.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _chart(document, png: bytes | None, caption: str) -> None:
    if png is None:
        _paragraph(document, NO_FONT_NOTE, grey=True)
        return
    document.add_picture(io.BytesIO(png), width=Cm(report_charts.WIDTH_CM))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _caption(document, caption)


def _status(status: Status, judged: bool = False) -> tuple[str, str]:
    text = f"{status.sign} {status.label}" + ("（记录的判断）" if judged else "")
    return text, _tint(status.colour)


def _met(flag: bool) -> tuple[str, str]:
    return (
        ("已达到", _tint(Status.MET.colour)) if flag else ("未达到", _tint(Status.NOT_MET.colour))
    )


def report_document(data: dict) -> bytes:
    """The report as .docx bytes, from report_data()'s output."""
    year = data["year"]
    document = _new_document(year)
    title = document.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(f"吕梁市生态文明建设示范区\n{year}年度规划实施评估报告")
    numbers = {"figure": 0, "table": 0}

    def figure(png: bytes | None, text: str) -> None:
        numbers["figure"] += png is not None
        _chart(document, png, f"图{numbers['figure']}　{text}")

    def table(text: str, headers: list[str], rows: list[list], widths: list[float], right=()):
        numbers["table"] += 1
        return _table(document, f"表{numbers['table']}　{text}", headers, rows, widths, right)

    _front_matter(document, data)
    _summary(document, data, table)
    _city(document, data, figure, table)
    _counties(document, data, figure, table)
    _missed(document, data, table)
    _investment(document, data, figure, table)
    _targets(document, data, figure, table)
    _reporting_section(document, data, table)
    _notes(document, data)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _front_matter(document, data: dict) -> None:
    page = data["overview"]
    lines = [
        f"数据范围：{data['scope_text']}",
        f"数据截至：{_local(data['as_of']) or '尚无上报数据'}"
        "（所计入的指标值和项目进展的最后更新时间）",
        f"报告生成：{_local(timezone.now())}，由规划实施跟踪系统根据当时的数据自动生成",
        f"建设标准判定规则：{page['results'].rule.description}（{page['results'].rule.basis}）",
    ]
    if data["demo"]:
        lines.append(
            "注意：当前数据含演示数据（各县2022—2024年数值、创建进程等为生成的示例，并非真实上报），"
            "本报告仅供熟悉系统使用。"
        )
    for line in lines:
        _paragraph(document, line, size=9.5, grey=True)


def _summary(document, data: dict, table) -> None:
    page, year = data["overview"], data["year"]
    city, goals = page["city"], page["results"].goals
    s = city.summary
    reaching = goals["reaching_standard"]
    money = data["investment"]["summary"]
    document.add_heading("一、总体情况", level=1)
    sentences = [
        f"{year}年，吕梁市40项指标中达标{s[Status.MET]}项、未达标{s[Status.NOT_MET]}项、"
        f"无数据{s[Status.NO_DATA]}项、待核定{s[Status.NEEDS_REVIEW]}项；约束性指标达标"
        f"{s['binding_met']}/{s['binding_total']}项，参考性指标达标{s['reference_met']}/"
        f"{s['reference_total']}项，{'达到' if city.reaches_standard else '未达到'}建设标准。",
        f"全市{goals['counties_total']}个县（市、区）中，{reaching['count']}个达到建设标准"
        + (f"（{'、'.join(page['reaching_names'])}）" if page["reaching_names"] else "")
        + "；"
        + "；".join(
            f"{g['year']}年目标不少于{g['required']}个，"
            + ("已达到" if g["met"] else f"尚差{g['required'] - g['current']}个")
            for g in page["standard_goals"]
        )
        + "。",
        f"规划重点工程计划投资{yi(money['total'])}亿元（按表2明细合计），其中政府投资"
        f"{yi(money['government'])}亿元（{share(money['government'], money['total'])}）。",
    ]
    _paragraph(document, "".join(sentences))
    rows = [
        ["吕梁市达标指标（项）", f"{s[Status.MET]} / 40"],
        ["约束性指标达标（项）", f"{s['binding_met']} / {s['binding_total']}"],
        ["参考性指标达标（项）", f"{s['reference_met']} / {s['reference_total']}"],
        ["吕梁市建设标准", "达到" if city.reaches_standard else "未达到"],
        ["达到建设标准的县（市、区）", f"{reaching['count']} / {goals['counties_total']}"],
        ["其中", "、".join(page["reaching_names"]) or "无"],
        ["完成创建（命名）的县（市、区）", f"{len(goals['named'])} / {goals['counties_total']}"],
        ["未达标或无法判定的指标（项）", str(len(page["missed"]))],
        ["规划重点工程计划投资（亿元）", yi(money["total"])],
        ["其中政府投资（亿元）", yi(money["government"])],
    ]
    table(f"{year}年主要数据", ["项目", "数值"], rows, [8, 8])


def _city(document, data: dict, figure, table) -> None:
    year = data["year"]
    document.add_heading("二、吕梁市40项指标达标情况", level=1)
    _paragraph(
        document,
        f"按各指标的指标值（标准）判定吕梁市{year}年的现状值；“记录的判断”指规则无法自动判定时"
        "采用的人工判断。含子指标的指标须各子指标均达标。",
    )
    figure(
        report_charts.city_status_by_domain(data["status_by_domain"]), "吕梁市各领域指标达标情况"
    )
    rows = [
        [
            r["code"],
            ("　" if r["sub"] else "") + r["name"],
            r["attribute"],
            r["standard"],
            r["value"],
            _status(r["status"], r["judged"]),
        ]
        for r in data["city_rows"]
    ]
    table(
        f"吕梁市{year}年指标达标情况",
        ["序号", "指标名称", "属性", "指标值", f"{year}年现状值", "达标情况"],
        rows,
        [1.2, 4.6, 1.4, 3.2, 3.2, 2.4],
    )


def _counties(document, data: dict, figure, table) -> None:
    page, year = data["overview"], data["year"]
    goals = page["results"].goals
    document.add_heading("三、各县（市、区）达到建设标准情况", level=1)
    _paragraph(
        document,
        "规划目标：到2025年，30%以上的县（市、区）达到建设标准、10%以上完成创建；到2030年，"
        "80%以上达到建设标准、60%以上完成创建，吕梁市达到建设标准。"
        + (
            f"{page['hidden_counties']}个县（市、区）本年度数据未计入本报告（见表注）。"
            if page["hidden_counties"]
            else ""
        ),
    )
    figure(
        report_charts.counties_reaching(
            page["timeline"], page["standard_goals"], goals["counties_total"]
        ),
        "历年达到建设标准的县（市、区）数与规划目标",
    )
    table(
        "规划目标完成情况",
        ["规划目标", "要求", f"{year}年", "是否达到"],
        [
            [
                f"{t['year']}年 {t['label']}",
                "吕梁市达到" if t["kind"] == "city_standard" else f"{t['required']}个县（市、区）",
                t["current"],
                _met(t["met"]),
            ]
            for t in goals["targets"]
        ],
        [6.5, 4.5, 2.2, 2.8],
        right=(2,),
    )
    visible = {c.area.pk for c in page["counties"]}
    rows = []
    for result in page["results"].areas:
        if result.area.is_city:
            continue
        if result.area.pk not in visible:
            rows.append([result.area.name, *["—"] * 6, "本年度尚未审核通过，不计入"])
            continue
        s = result.summary
        rows.append(
            [
                result.area.name,
                s[Status.MET],
                s[Status.NOT_MET],
                s[Status.NO_DATA],
                s[Status.NEEDS_REVIEW],
                f"{s['binding_met']}/{s['binding_total']}",
                f"{s['reference_met']}/{s['reference_total']}",
                ("达到", _tint(Status.MET.colour))
                if result.reaches_standard
                else ("未达到", _tint(Status.NOT_MET.colour)),
            ]
        )
    table(
        f"各县（市、区）{year}年指标达标情况",
        [
            "县（市、区）",
            "达标",
            "未达标",
            "无数据",
            "待核定",
            "约束性达标",
            "参考性达标",
            "建设标准",
        ],
        rows,
        [2.0, 1.2, 1.3, 1.3, 1.3, 1.9, 1.9, 4.7],
        right=(1, 2, 3, 4, 5, 6),
    )


def _missed(document, data: dict, table) -> None:
    page, year = data["overview"], data["year"]
    document.add_heading("四、未达标的指标及其重点工程和投资", level=1)
    missed = page["missed_binding"] + [
        m for m in page["missed"] if not m["result"].indicator.is_binding
    ]
    unsupported = sum(1 for m in missed if not m["groups"])
    _paragraph(
        document,
        f"吕梁市{year}年未达标或无法判定的指标共{len(missed)}项（约束性在前），其中"
        f"{unsupported}项在规划的效益分析中没有重点工程支撑（标为“无工程支撑”）。计划投资为"
        "效益分析提到该指标的重点工程的投资合计，同一工程可能支撑多项指标。",
    )
    rows = [
        [
            m["result"].indicator.code,
            m["result"].indicator.display_name,
            m["result"].indicator.attribute,
            _status(Status(m["result"].status)),
            m["result"].assessment.reason,
            "；".join(f"{g.domain.name}{g.number} {g.display_name}" for g in m["groups"])
            or ("无工程支撑", _tint(Status.NOT_MET.colour)),
            wan(m["money"]) if m["groups"] else "—",
        ]
        for m in missed
    ]
    if not rows:
        rows = [["", "吕梁市本年度所有指标均已达标。", "", "", "", "", ""]]
    table(
        f"吕梁市{year}年未达标的指标",
        ["序号", "指标", "属性", "状态", "原因", "保障该指标的重点工程", "计划投资（万元）"],
        rows,
        [1.1, 3.0, 1.4, 1.7, 3.4, 3.4, 2.0],
        right=(6,),
    )


def _investment(document, data: dict, figure, table) -> None:
    invest = data["investment"]
    summary = invest["summary"]
    completed = {d["label"]: d["completed"] for d in invest["progress"]["domains"]}
    document.add_heading("五、重点工程投资（对照表3）", level=1)
    _paragraph(
        document,
        f"按表2明细重新合计，六大领域计划投资{wan(summary['total'])}万元（{yi(summary['total'])}"
        f"亿元），表3声明{wan(summary['declared_total'])}万元；政府投资{wan(summary['government'])}"
        f"万元，表3声明{wan(summary['declared_government'])}万元。明细与表3不一致之处按原文保留，"
        "列于“核对”栏。已完成投资为县区上报的累计完成投资（按本报告的数据范围）。",
    )
    figure(report_charts.domain_investment(summary["domains"]), "各领域计划投资与表3声明")
    rows = []
    for d in summary["domains"]:
        same = d["total"] == d["declared_total"] and d["government"] == d["declared_government"]
        check = "一致" if same else "不一致"
        if d["not_given_rows"]:
            check += f"；{d['not_given_rows']}行未列金额"
        rows.append(
            [
                d["domain"],
                d["groups"],
                wan(d["total"]),
                share(d["total"], summary["total"]),
                wan(d["government"]),
                wan(d["declared_total"]),
                wan(d["declared_government"]),
                wan(completed.get(d["domain"])),
                check if same else (check, _tint(Status.NOT_MET.colour)),
            ]
        )
    rows.append(
        [
            "合计",
            sum(d["groups"] for d in summary["domains"]),
            wan(summary["total"]),
            "100.0%",
            wan(summary["government"]),
            wan(summary["declared_total"]),
            wan(summary["declared_government"]),
            wan(sum(completed.values())),
            "一致"
            if summary["total"] == summary["declared_total"]
            else ("不一致", _tint(Status.NOT_MET.colour)),
        ]
    )
    table(
        "各领域重点工程投资（万元）",
        [
            "领域",
            "工程",
            "总投资",
            "占比",
            "政府投资",
            "表3总投资",
            "表3政府投资",
            "已完成",
            "核对",
        ],
        rows,
        [1.8, 1.0, 2.1, 1.4, 1.9, 2.1, 1.9, 2.2, 2.2],
        right=(1, 2, 3, 4, 5, 6, 7),
    )


def _targets(document, data: dict, figure, table) -> None:
    progress = data["progress"]
    document.add_heading("六、规划目标进展", level=1)
    counts = progress["counts"]
    _paragraph(
        document,
        "按吕梁市历年数值的变化趋势，判断有数值的2025年、2030年规划目标能否按期实现："
        + "；".join(
            f"{y}年目标{sum(counts[y].values())}项，其中"
            + "、".join(f"{s.label}{counts[y][s]}项" for s in ProgressStatus if counts[y].get(s))
            for y in TARGET_YEARS
            if counts[y]
        )
        + "。",
    )
    figure(report_charts.progress_counts(counts), "吕梁市规划目标进展")
    table(
        "吕梁市规划目标进展",
        ["序号", "指标", "现状值", "2025年目标", "进展", "2030年目标", "进展"],
        [
            [
                r["code"],
                r["name"],
                r["value"],
                *[
                    cell
                    for y in TARGET_YEARS
                    for cell in (
                        r["targets"][y][0] or "—",
                        _progress_cell(r["targets"][y][1]),
                    )
                ],
            ]
            for r in progress["rows"]
        ],
        [1.1, 3.9, 2.2, 2.3, 2.1, 2.3, 2.1],
    )


def _progress_cell(found) -> str | tuple[str, str]:
    """A progress status, with its reason under it unless the target is already reached."""
    if found is None:
        return "—"
    status = ProgressStatus(found.status)
    detail = "" if status == ProgressStatus.TARGET_ACHIEVED else f"\n{found.reason}"
    return found.label + detail, _tint(status.colour)


def _reporting_section(document, data: dict, table) -> None:
    year = data["year"]
    document.add_heading("七、县区填报完整性和及时性", level=1)
    rows = data["reporting"]
    counted = [r for r in rows if r["counted"]]
    complete = sum(1 for r in counted if r["with_data"] == r["total"])
    due_on = next((r["due_on"] for r in rows if r["due_on"]), None)
    if due_on:
        on_time = sum(1 for r in rows if r["timeliness"] == "按时")
        deadline = (
            f"市局规定{year}年数据于{date_format(due_on, 'Y年n月j日')}前报送，{on_time}个按时"
            "首次提交；表中列出首次提交和审核通过的时间、及时性，以及首次提交距"
            f"{year}年年末的天数。"
        )
    else:
        deadline = (
            f"规划未规定报送期限，市局也未设定{year}年的报送截止日期；表中列出首次提交和审核"
            f"通过的时间，以及首次提交距{year}年年末的天数。"
        )
    _paragraph(
        document,
        f"{len(rows)}个县（市、区）中，{len(counted)}个的{year}年数据计入本报告，其中{complete}个"
        f"40项指标均有数据；{sum(1 for r in rows if r['approved'])}个已经市局审核通过。" + deadline,
    )
    table(
        f"各县（市、区）{year}年填报情况",
        [
            "县（市、区）",
            "填报状态",
            "有数据的指标",
            "首次提交",
            "及时性",
            "年末后天数",
            "审核通过",
            "退回次数",
        ],
        [
            [
                r["name"],
                r["state"],
                f"{r['with_data']}/{r['total']}" if r["counted"] else ("未审核，不计入", "EEEEEE"),
                r["submitted"] or "—",
                r["timeliness"],
                "—" if r["days_after"] is None else r["days_after"],
                r["approved"] or "—",
                r["returned"],
            ]
            for r in rows
        ],
        [2.0, 2.6, 2.0, 2.5, 1.8, 1.4, 2.7, 1.2],
        right=(5, 7),
    )


def _notes(document, data: dict) -> None:
    document.add_heading("说明", level=1)
    for line in (
        "达标：现状值满足指标值（标准）；未达标：不满足；无数据：未上报；待核定：有数值但规则"
        "无法自动判定（如趋势类指标缺少上一年数值），有人工判断时标为“记录的判断”。",
        "建设标准：约束性指标全部达标、参考性指标达标比例不低于规定比例（见文首判定规则）。",
        "投资金额按规划表2逐行录入，单位万元；原文为“--”的金额未列出，不计为0。",
        "规划目标进展按各指标历年数值的年均变化与实现目标所需的年均变化之比判断"
        "（已达到目标、按期可达、需加快进度、进展有限、退步、无法评估）。",
        f"本报告的数字与系统首页、投资页面在同一数据范围（{data['scope_text']}）下一致。",
    ):
        _paragraph(document, line, size=9.5)
