import json

from django.core.management.base import BaseCommand

from lvliang_eco.formatting import jsonable, plain_number
from lvliang_eco.reconcile import reconcile


class Command(BaseCommand):
    help = (
        "核对规划文本声明的数字（表3、正文中的项数）与数据实际合计，以及正文和表2效益分析"
        "所述的指标数字与表1；不一致是发现，不是错误（退出码为0）"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, format: str, **options) -> None:
        checks = reconcile()
        if format == "json":
            payload = [jsonable(check.as_dict()) for check in checks]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        width = max(len(check.key) for check in checks)
        self.stdout.write(
            f"{'核对项':<{width}}  {'行号':>5}  {'声明':>12}  {'计算':>12}  结果    说明"
        )
        for check in checks:
            self.stdout.write(
                f"{check.key:<{width}}  {check.line or '':>5}  "
                f"{plain_number(check.declared)!s:>12}  {plain_number(check.computed)!s:>12}  "
                f"{check.verdict:<6}  {check.detail}"
            )
        disagreeing = sum(1 for check in checks if check.ok is False)
        listed = sum(1 for check in checks if check.ok is None)
        prose = sum(1 for check in checks if check.key.startswith("prose:"))
        self.stdout.write(
            f"共 {len(checks)} 项核对，{disagreeing} 项不一致；其中正文所述指标数字 {prose} 个，"
            f"{listed} 个口径不同、仅列出不比对"
        )
