from django.core.management.base import BaseCommand, CommandError

from lvliang_eco.seed import SeedError, seed_load


class Command(BaseCommand):
    help = "加载规划文本数据（fixtures/ 下的 CSV），可重复运行：已有且未变的数据不会被改动"

    def handle(self, *args, **options) -> None:
        try:
            report = seed_load()
        except SeedError as error:
            raise CommandError(str(error)) from None
        for item in report.files:
            counts = f"新增 {item.new:>4}  更新 {item.updated:>4}  未变 {item.unchanged:>4}"
            self.stdout.write(f"{item.name:<24} {counts}")
        self.stdout.write(
            f"投资明细派生字段更新 {report.rows_changed} 行；工程与指标关联 {report.links} 条"
        )
        if report.unresolved_rows:
            count = len(report.unresolved_rows)
            self.stdout.write(f"实施地点未能完全识别的投资明细 {count} 行（不计入分县统计）：")
            for row in report.unresolved_rows:
                place = (row.place or "（与上行合并）").replace("\n", "")
                self.stdout.write(f"  - {row}｜{place[:40]}｜{row.resolution_note}")
