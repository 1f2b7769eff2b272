import json

from django.core.management.base import BaseCommand

from lvliang_eco.formatting import jsonable, plain_number
from lvliang_eco.reconcile import reconcile


class Command(BaseCommand):
    help = (
        "核对规划文本声明的数字（表3、正文中的项数）与数据实际合计；"
        "不一致是发现，不是错误（退出码为0）"
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
        self.stdout.write(f"{'核对项':<{width}}  {'声明':>12}  {'计算':>12}  结果  说明")
        for check in checks:
            mark = "一致" if check.ok else "不一致"
            self.stdout.write(
                f"{check.key:<{width}}  {plain_number(check.declared)!s:>12}  "
                f"{plain_number(check.computed)!s:>12}  {mark}  {check.detail}"
            )
        disagreeing = sum(1 for check in checks if not check.ok)
        self.stdout.write(f"共 {len(checks)} 项核对，{disagreeing} 项不一致")
