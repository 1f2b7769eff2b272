"""Every figure the plan declares, held against what its own rows add up to.

A disagreement is a finding about the document, reported, never "fixed" in the data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from indicators.models import DeclaredFigure, Domain, Indicator
from projects.models import ProjectGroup
from projects.selectors import investment_summary

from .formatting import wan

ZERO = Decimal("0")


@dataclass
class Check:
    key: str
    declared: Decimal | None
    computed: Decimal | None
    ok: bool
    detail: str

    def as_dict(self) -> dict:
        return asdict(self)


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return _round(part * 100 / whole) if whole else ZERO


class _Checks(list[Check]):
    def __init__(self) -> None:
        super().__init__()
        self.declared = dict(DeclaredFigure.objects.values_list("key", "value"))

    def add(self, key: str, computed: Decimal | int, detail: str) -> None:
        value = self.declared.get(key)
        computed = Decimal(computed)
        self.append(Check(key, value, computed, value is not None and value == computed, detail))


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


def reconcile() -> list[Check]:
    checks = _Checks()
    _indicator_checks(checks)
    _group_checks(checks)
    _investment_checks(checks)
    return list(checks)
