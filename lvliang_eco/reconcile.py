"""Every figure the plan declares, held against what its own rows add up to, and every figure
its text states about an indicator (fixtures/prose_figures.csv), held against Table 1.

A disagreement is a finding about the document, reported, never "fixed" in the data.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from counties.models import CITY_CODE
from indicators.models import DeclaredFigure, Domain, Indicator, IndicatorValue, StatedFigure
from indicators.rules import OPERATORS, describe_rule, fmt
from projects.models import ProjectGroup
from projects.selectors import investment_summary

from .formatting import wan
from .plan_document import plan_text

ZERO = Decimal("0")


@dataclass
class Check:
    """One figure of the document held against what the data says. `ok` is None for a stated
    figure of another measure or scope: listed with its line, not compared."""

    key: str
    declared: Decimal | None
    computed: Decimal | None
    ok: bool | None
    detail: str
    line: int | None = None  # the line of fixtures/source/plan.txt that prints the figure
    label: str = ""  # what the figure is, in Chinese

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def verdict(self) -> str:
        return {True: "一致", False: "不一致", None: "不比对"}[self.ok]


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return _round(part * 100 / whole) if whole else ZERO


def _line_of(quote: str) -> int | None:
    """The one line of the plan that prints `quote`, or None when none or several do."""
    found = [n for n, text in enumerate(plan_text().split("\n"), 1) if quote and quote in text]
    return found[0] if len(found) == 1 else None


class _Checks(list[Check]):
    def __init__(self) -> None:
        super().__init__()
        self.figures = {f.key: f for f in DeclaredFigure.objects.all()}
        self.declared = {key: f.value for key, f in self.figures.items()}

    def add(self, key: str, computed: Decimal | int, detail: str) -> None:
        figure = self.figures.get(key)
        value = figure.value if figure else None
        computed = Decimal(computed)
        self.append(
            Check(
                key, value, computed, value is not None and value == computed, detail,
                line=_line_of(figure.quote) if figure else None,
                label=f"{figure.source}：{figure.quote}" if figure else key,
            )
        )  # fmt: skip


def _numbers(indicators: list[Indicator]) -> str:
    return "、".join(str(i.number) for i in indicators)


def _indicator_checks(checks: _Checks) -> None:
    top = list(
        Indicator.objects.filter(parent__isnull=True).select_related("task").order_by("number")
    )
    binding = [i for i in top if i.attribute == Indicator.Attribute.BINDING]
    reference = [i for i in top if i.attribute == Indicator.Attribute.REFERENCE]
    characteristic = [i for i in top if i.note == "新增特色指标"]
    checks.add("indicator_count", len(top), f"表1列出{len(top)}项指标")
    checks.add(
        "binding_count", len(binding), f"表1中约束性指标{len(binding)}项：{_numbers(binding)}"
    )
    checks.add(
        "reference_count",
        len(reference),
        f"表1中参考性指标{len(reference)}项：{_numbers(reference)}",
    )
    checks.add(
        "characteristic_indicator_count",
        len(characteristic),
        f"表1标注“新增特色指标”的{len(characteristic)}项：{_numbers(characteristic)}",
    )
    checks.add(
        "national_indicator_count",
        len(top) - len(characteristic),
        "表1指标数减去标注“新增特色指标”的项数",
    )
    domains = {i.task.domain_id for i in top}
    checks.add("indicator_domain_count", len(domains), f"表1指标覆盖{len(domains)}个领域")


def _group_checks(checks: _Checks) -> None:
    groups = list(ProjectGroup.objects.all())
    with_groups = {g.domain_id for g in groups}
    checks.add("domain_count", len(with_groups), f"表2列出{len(with_groups)}个领域的重点工程")
    checks.add("project_group_count", len(groups), f"表2共列出{len(groups)}项重点工程")
    for domain in Domain.objects.order_by("order"):
        own = [g for g in groups if g.domain_id == domain.pk]
        repeated = [n for n, count in Counter(g.number for g in own).items() if count > 1]
        detail = f"表2本领域列出{len(own)}项"
        if repeated:
            detail += "；序号" + "、".join(f"“{n}”" for n in repeated) + "重复出现"
        checks.add(f"project_group_count:{domain.name}", len(own), detail)


def _investment_checks(checks: _Checks) -> None:
    summary = investment_summary()
    domains = summary["domains"]
    total, government = summary["total"], summary["government"]
    not_given = sum(d["not_given_rows"] for d in domains)
    checks.add(
        "investment_total",
        total,
        f"表2各行金额合计{wan(total)}万元；{not_given}行金额为“--”（未列），未计入",
    )
    for d in domains:
        checks.add(
            f"investment_total:{d['domain']}",
            d["total"],
            f"表2本领域各行合计{wan(d['total'])}万元；{d['not_given_rows']}行金额为“--”，未计入",
        )
    checks.add(
        "government_investment_total",
        government,
        f"资金来源含“财政”的行合计{wan(government)}万元（含财政与企业共同出资的行）",
    )
    for d in domains:
        checks.add(
            f"government_investment_total:{d['domain']}",
            d["government"],
            f"本领域资金来源含“财政”的行合计{wan(d['government'])}万元",
        )

    # The text rounds to 0.01 亿元 (1632.90亿元), Table 3 to 0.01 %.
    total_yi, government_yi = _round(total / 10000), _round(government / 10000)
    checks.add("investment_total_text", total_yi, f"表2合计折合{total_yi}亿元（保留两位小数）")
    checks.add(
        "government_investment_total_text",
        government_yi,
        f"政府投资折合{government_yi}亿元（保留两位小数）",
    )
    for d in domains:
        share = _percent(d["total"], total)
        checks.add(f"investment_share:{d['domain']}", share, f"占表2总投资的{share}%")
    shares = _round(sum((d["total"] * 100 / total for d in domains), ZERO)) if total else ZERO
    printed = sum(
        (checks.declared.get(f"investment_share:{d['domain']}", ZERO) for d in domains), ZERO
    )
    checks.add(
        "investment_share",
        shares,
        f"各领域占比相加为{shares}%；表3所列各领域占比相加为{printed}%（四舍五入所致）",
    )
    overall = _percent(government, total)
    checks.add("government_share", overall, f"政府投资占{overall}%")
    for d in domains:
        share = _percent(d["government"], d["total"])
        checks.add(f"government_share:{d['domain']}", share, f"本领域政府投资占{share}%")


# ---------------------------------------------------------------------------------------------
# Figures the text states about indicators (StatedFigure), against Table 1

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _same(stated: Decimal, printed: Decimal) -> bool:
    """Equal at the coarser of the two printed precisions (93.33 and 93.3 agree)."""
    places = max(stated.normalize().as_tuple().exponent, printed.normalize().as_tuple().exponent)
    step = Decimal(1).scaleb(min(int(places), 0))
    return stated.quantize(step, ROUND_HALF_UP) == printed.quantize(step, ROUND_HALF_UP)


def _stated(figure: StatedFigure) -> str:
    return f"{OPERATORS.get(figure.op, '')}{fmt(figure.value)}{figure.unit}"


def _slot(indicator: Indicator, slot: str) -> tuple[str, dict | None]:
    """Table 1's printed text and rule of `slot` (standard, target_2025, target_2030); a
    sub-indicator without its own takes its parent's."""
    for item in (indicator, indicator.parent):
        if item is not None and getattr(item, slot):
            return getattr(item, slot), getattr(item, f"{slot}_rule")
    return "", None


def _against_table_1(figure: StatedFigure, values: dict) -> tuple[Decimal | None, bool, str]:
    """(Table 1's figure, agrees, detail) for a figure compared with Table 1."""
    Compare = StatedFigure.Compare
    indicator, stated = figure.indicator, _stated(figure)
    if figure.compare in {Compare.VALUE, Compare.VALUE_TEXT}:
        value = values.get((indicator.pk, figure.year))
        if value is None:
            return None, False, f"表1没有{figure.year}年的现状值；原文此处为{stated}"
        if figure.compare == Compare.VALUE:
            numbers = [value.number] if value.number is not None else []
        else:
            numbers = [Decimal(n) for n in _NUMBER.findall(value.value_text)]
        match = next((n for n in numbers if _same(figure.value, n)), None)
        shown = value.value_text.replace("\n", "")
        shown = shown if len(shown) <= 40 else shown[:40] + "…"
        if match is not None:
            return match, True, f"表1 {figure.year}年现状值“{shown}”中为{fmt(match)}"
        first = numbers[0] if numbers else None
        return first, False, f"表1 {figure.year}年现状值为“{shown}”，原文此处为{stated}"
    text, rule = _slot(indicator, figure.compare)
    text = text.replace("\n", " ")
    name = Compare(figure.compare).label
    if rule and rule["kind"] == "threshold":
        bar = Decimal(rule["value"])
        agrees = rule["op"] == figure.op and bar == figure.value
        verdict = "相同" if agrees else f"不同：原文此处为{stated}"
        return bar, agrees, f"{name}为“{text}”（{describe_rule(rule)}），{verdict}"
    return (
        None,
        False,
        f"{name}为“{text}”（{describe_rule(rule)}），不是数值标准；原文此处为{stated}",
    )


def _prose_checks(checks: list[Check]) -> None:
    figures = list(
        StatedFigure.objects.select_related("indicator", "indicator__parent").order_by("line", "pk")
    )
    values = {
        (v.indicator_id, v.year): v
        for v in IndicatorValue.objects.filter(area__code=CITY_CODE).only(
            "indicator_id", "year", "value_text", "number"
        )
    }
    seen: Counter[str] = Counter()
    same_measure: dict[tuple, list[StatedFigure]] = defaultdict(list)
    for figure in figures:
        indicator = figure.indicator
        key = f"prose:{figure.line}:{indicator.code}"
        seen[key] += 1
        key += f":{seen[key]}" if seen[key] > 1 else ""
        label = f"{figure.source}：“{figure.quote}”（指标{indicator.code} {indicator.label}）"
        if figure.compare:
            computed, ok, detail = _against_table_1(figure, values)
            checks.append(Check(key, figure.value, computed, ok, detail, figure.line, label))
            continue
        detail = f"口径不同，不与表1比对：{figure.scope}" + (
            f"。{figure.note}" if figure.note else ""
        )
        checks.append(Check(key, figure.value, None, None, detail, figure.line, label))
        same_measure[(indicator.code, figure.year, figure.kind, figure.scope)].append(figure)
    # The same measure stated twice (森林覆盖率 2025: ≥35% and 27%): the text against itself.
    for (code, year, kind, scope), group in same_measure.items():
        stated = {(f.op, f.value) for f in group}
        if len(group) < 2:
            continue
        where = "；".join(f"第{f.line}行“{f.quote}”" for f in group)
        ok = len(stated) == 1
        detail = f"原文{len(group)}处所述{'相同' if ok else '不同'}：{where}"
        first, last = group[0], group[-1]
        checks.append(
            Check(
                f"prose-self:{first.line}:{code}:{kind}", first.value, last.value, ok, detail,
                first.line, f"原文所述{scope}（{year or '不限'}年，指标{code}）前后对照",
            )
        )  # fmt: skip


def reconcile() -> list[Check]:
    """Every check, in order: the counts of Table 1, the groups of Table 2, the investment of
    Table 3 against Table 2's rows, then the figures stated in the text against Table 1 and
    against each other. Amounts in 万元 (亿元 where the text rounds to 亿元), shares in %."""
    checks = _Checks()
    _indicator_checks(checks)
    _group_checks(checks)
    _investment_checks(checks)
    _prose_checks(checks)
    return list(checks)
