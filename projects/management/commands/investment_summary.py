import json

from django.core.management.base import BaseCommand

from lvliang_eco.formatting import jsonable, wan
from projects.selectors import investment_summary


class Command(BaseCommand):
    help = "重点工程投资汇总（万元）：按领域、按县（单独实施 / 共同实施的均摊估算）、全市性"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, format: str, **options) -> None:
        summary = investment_summary()
        if format == "json":
            self.stdout.write(json.dumps(jsonable(summary), ensure_ascii=False, indent=2))
            return
        out = self.stdout.write
        out("按领域（万元）：")
        out(
            f"{'领域':<6}{'工程':>5}{'行数':>5}{'合计':>14}{'政府':>14}{'企业':>14}{'未列金额行':>8}{'表3合计':>14}{'表3政府':>14}"
        )
        for d in summary["domains"]:
            out(
                f"{d['domain']:<6}{d['groups']:>6}{d['rows']:>6}{wan(d['total']):>16}"
                f"{wan(d['government']):>16}{wan(d['enterprise']):>16}{d['not_given_rows']:>10}"
                f"{wan(d['declared_total']):>16}{wan(d['declared_government']):>16}"
            )
        out(
            f"合计：{wan(summary['total'])} 万元，其中政府 {wan(summary['government'])} 万元"
            f"（表3合计 {wan(summary['declared_total'])}，"
            f"政府 {wan(summary['declared_government'])}）"
        )
        out("")
        out("按县（万元；共同实施的行按涉及县数均摊，为估算）：")
        out(f"{'县（市、区）':<8}{'单独实施':>14}{'均摊估算':>14}{'涉及行数':>8}")
        for c in summary["counties"]:
            out(f"{c['name']:<8}{wan(c['sole']):>16}{wan(c['shared_estimate']):>16}{c['rows']:>10}")
        out(f"全市性（不分县）：{wan(summary['city_wide'])} 万元")
        out(
            f"地点未能识别（不分县）：{wan(summary['unresolved'])} 万元，"
            f"{summary['unresolved_rows']} 行"
        )
