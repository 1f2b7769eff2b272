import json

from django.core.management.base import BaseCommand, CommandError

from counties.models import Area
from indicators.compliance import AreaResult, Compliance, IndicatorResult, compliance
from indicators.models import Scope
from indicators.results import stored_compliance_years, stored_years
from indicators.statuses import Basis, Status
from lvliang_eco.formatting import jsonable


def _value_text(result: IndicatorResult) -> str | None:
    return result.value.value_text if result.value else None


def indicator_json(result: IndicatorResult) -> dict:
    indicator = result.indicator
    recorded = result.value.judgement if result.value else ""
    return {
        "number": indicator.number if indicator.number else indicator.code,
        "code": indicator.code,
        "name": indicator.display_name,
        "binding": indicator.is_binding,
        "standard": result.standard,
        "rule": result.rule_description,
        "override": result.override.reason if result.override else None,
        "group_standard": result.group.source if result.group else None,
        "city_bar_note": result.city_bar_note or None,
        "status": result.status,
        "basis": result.assessment.basis,
        "reason": result.assessment.reason,
        "value": _value_text(result),
        "recorded_status": recorded or None,
        "agrees": result.agrees,
        "progress": {
            str(year): {
                "status": p.status,
                "label": p.label,
                "gap": p.gap,
                "ratio": None if p.ratio is None else round(p.ratio, 3),
                "reason": p.reason,
            }
            for year, p in result.progress.items()
        },
        "sub": [indicator_json(sub) for sub in result.subs],
    }


def area_json(result: AreaResult) -> dict:
    return {
        "code": result.area.code,
        "name": result.area.name,
        "reaches_standard": result.reaches_standard,
        "summary": result.summary,
        "indicators": [indicator_json(r) for r in result.indicators],
    }


def compliance_json(data: Compliance) -> dict:
    return {
        "year": data.year,
        "rule": {
            "binding": "all",
            "reference_min_share": data.rule.reference_min_share,
            "description": data.rule.description,
            "basis": data.rule.basis,
        },
        "areas": [area_json(area) for area in data.areas],
        "goals": data.goals,
    }


class Command(BaseCommand):
    help = "计算市、县各指标的达标情况、是否达到建设标准，以及规划目标的完成数"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True, help="年份，例如 2024")
        parser.add_argument("--area", default="all", help="行政区划代码（如 141100），或 all")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, year: int, area: str, format: str, **options) -> None:
        codes = None
        if area != "all":
            if not Area.objects.filter(code=area).exists():
                known = "、".join(Area.objects.values_list("code", flat=True))
                raise CommandError(f"没有行政区划代码为“{area}”的地区；可用：{known} 或 all")
            codes = [area]
        if year in stored_years():  # the stored results, as the pages show them
            data = stored_compliance_years(
                years=[year], area_codes=codes, scope_of=lambda _: Scope.ALL
            )[year]
        else:  # a year without values: every indicator without data
            data = compliance(year=year, area_codes=codes)
        if format == "json":
            self.stdout.write(
                json.dumps(jsonable(compliance_json(data)), ensure_ascii=False, indent=2)
            )
        else:
            self._table(data)

    def _table(self, data: Compliance) -> None:
        out = self.stdout.write
        out(f"{data.year}年达标情况（建设标准：{data.rule.description}）")
        for area in data.areas:
            s = area.summary
            out("")
            out(
                f"{area.area.name}（{area.area.code}）：达标 {s['met']}，未达标 {s['not_met']}，"
                f"无数据 {s['no_data']}，待核定 {s['needs_review']}；约束性 {s['binding_met']}/"
                f"{s['binding_total']}，参考性 {s['reference_met']}/{s['reference_total']}；"
                f"{'达到' if area.reaches_standard else '未达到'}建设标准"
            )
            for result in area.indicators:
                for item in [result, *result.subs]:
                    number = item.indicator.number or f"  {item.indicator.code}"
                    out(
                        f"  {number!s:<6}{item.indicator.display_name[:18]:<20}"
                        f"{Status(item.status).label:<5}{Basis(item.assessment.basis).label:<7}"
                        f"{item.assessment.reason}"
                    )
            disagreements = area.disagreements()
            out(f"  计算结果与记录的判断不一致：{len(disagreements)} 项")
            for item in disagreements:
                recorded = Status(item.value.judgement).judgement_label
                out(
                    f"    {item.indicator.code} {item.indicator.display_name}：计算为"
                    f"{Status(item.status).label}（{item.assessment.reason}），记录为{recorded}"
                )
            judged = area.judged()
            out(f"  规则无法自动判断、采用记录判断：{len(judged)} 项")
            for item in judged:
                name = f"{item.indicator.code} {item.indicator.display_name}"
                out(f"    {name}：{item.assessment.reason}")
        goals = data.goals
        out("")
        reaching = goals["reaching_standard"]
        out(
            f"{data.year}年达到建设标准的县（市、区）：{reaching['count']}/{goals['counties_total']}"
            f"（{'、'.join(reaching['names']) or '无'}）"
        )
        for target in goals["targets"]:
            state = "已达到" if target["met"] else "未达到"
            out(
                f"  {target['year']}年目标 {target['label']}：需 {target['required']}，"
                f"目前 {target['current']}，{state}（{target['quote']}）"
            )
