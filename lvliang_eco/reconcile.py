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


@dataclass
class Check:
    key: str
    declared: Decimal | None
    computed: Decimal | None
    ok: bool
    detail: str

    def as_dict(self) -> dict:
        return asdict(self)


def _round(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return _round(part * 100 / whole) if whole else Decimal("0")


def _check(key: str, declared: dict, computed: Decimal, detail: str) -> Check:
    value = declared.get(key)
    ok = value is not None and Decimal(value) == Decimal(computed)
    return Check(key, value, computed, ok, detail)


def reconcile() -> list[Check]:
    declared = dict(DeclaredFigure.objects.values_list("key", "value"))
    quotes = dict(DeclaredFigure.objects.values_list("key", "quote"))
    checks: list[Check] = []

    top = list(
        Indicator.objects.filter(parent__isnull=True).select_related("task").order_by("number")
    )
    binding = [i.number for i in top if i.attribute == Indicator.Attribute.BINDING]
    reference = [i.number for i in top if i.attribute == Indicator.Attribute.REFERENCE]
    checks.append(
        _check("indicator_count", declared, Decimal(len(top)), f"表1列出{len(top)}项指标")
    )
    checks.append(
        _check(
            "binding_count",
            declared,
            Decimal(len(binding)),
            f"表1中约束性指标{len(binding)}项：{'、'.join(map(str, binding))}",
        )
    )
    checks.append(
        _check(
            "reference_count",
            declared,
            Decimal(len(reference)),
            f"表1中参考性指标{len(reference)}项：{'、'.join(map(str, reference))}",
        )
    )

    characteristic = [i.number for i in top if i.note == "新增特色指标"]
    checks.append(
        _check(
            "characteristic_indicator_count",
            declared,
            Decimal(len(characteristic)),
            f"表1标注“新增特色指标”的{len(characteristic)}项："
            + "、".join(map(str, characteristic)),
        )
    )
    checks.append(
        _check(
            "national_indicator_count",
            declared,
            Decimal(len(top) - len(characteristic)),
            "表1指标数减去标注“新增特色指标”的项数",
        )
    )
    with_indicators = {i.task.domain_id for i in top}
    checks.append(
        _check(
            "indicator_domain_count",
            declared,
            Decimal(len(with_indicators)),
            f"表1指标覆盖{len(with_indicators)}个领域",
        )
    )

    groups = list(ProjectGroup.objects.select_related("domain"))
    domains = list(Domain.objects.order_by("order"))
    with_groups = {g.domain_id for g in groups}
    checks.append(
        _check(
            "domain_count",
            declared,
            Decimal(len(with_groups)),
            f"表2列出{len(with_groups)}个领域的重点工程",
        )
    )
    checks.append(
        _check(
            "project_group_count",
            declared,
            Decimal(len(groups)),
            f"表2共列出{len(groups)}项重点工程（{quotes.get('project_group_count', '')}）",
        )
    )
    for domain in domains:
        own = [g for g in groups if g.domain_id == domain.pk]
        repeated = [n for n, count in Counter(g.number for g in own).items() if count > 1]
        detail = f"表2本领域列出{len(own)}项"
        if repeated:
            detail += "；序号" + "、".join(f"“{n}”" for n in repeated) + "重复出现"
        checks.append(
            _check(f"project_group_count:{domain.name}", declared, Decimal(len(own)), detail)
        )

    summary = investment_summary()
    total, government = summary["total"], summary["government"]
    not_given = sum(d["not_given_rows"] for d in summary["domains"])
    checks.append(
        _check(
            "investment_total",
            declared,
            total,
            f"表2各行金额合计{wan(total)}万元；{not_given}行金额为“--”（未列），未计入",
        )
    )
    for item in summary["domains"]:
        name = item["domain"]
        checks.append(
            _check(
                f"investment_total:{name}",
                declared,
                item["total"],
                f"表2本领域各行合计{wan(item['total'])}万元；"
                f"{item['not_given_rows']}行金额为“--”，未计入",
            )
        )
    checks.append(
        _check(
            "government_investment_total",
            declared,
            government,
            f"资金来源含“财政”的行合计{wan(government)}万元（含财政与企业共同出资的行）",
        )
    )
    for item in summary["domains"]:
        name = item["domain"]
        checks.append(
            _check(
                f"government_investment_total:{name}",
                declared,
                item["government"],
                f"本领域资金来源含“财政”的行合计{wan(item['government'])}万元",
            )
        )

    total_yi = _round(total / 10000)
    government_yi = _round(government / 10000)
    checks.append(
        _check(
            "investment_total_text",
            declared,
            total_yi,
            f"表2合计折合{total_yi}亿元（保留两位小数）",
        )
    )
    checks.append(
        _check(
            "government_investment_total_text",
            declared,
            government_yi,
            f"政府投资折合{government_yi}亿元（保留两位小数）",
        )
    )
    for item in summary["domains"]:
        name = item["domain"]
        share = _percent(item["total"], total)
        checks.append(_check(f"investment_share:{name}", declared, share, f"占表2总投资的{share}%"))
    shares = _round(sum((item["total"] * 100 / total for item in summary["domains"]), Decimal("0")))
    declared_shares = sum(
        (
            declared.get(f"investment_share:{item['domain']}", Decimal("0"))
            for item in summary["domains"]
        ),
        Decimal("0"),
    )
    checks.append(
        _check(
            "investment_share",
            declared,
            shares,
            f"各领域占比相加为{shares}%；表3所列各领域占比相加为{declared_shares}%（四舍五入所致）",
        )
    )
    overall = _percent(government, total)
    checks.append(_check("government_share", declared, overall, f"政府投资占{overall}%"))
    for item in summary["domains"]:
        name = item["domain"]
        share = _percent(item["government"], item["total"])
        checks.append(
            _check(f"government_share:{name}", declared, share, f"本领域政府投资占{share}%")
        )
    return checks
