from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lvliang_eco.demo import demo_load


class Command(BaseCommand):
    help = "生成13个县（市、区）2022—2024年的演示数据（均标记为演示，可用 clear_demo 清除）"

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "DEBUG 已关闭：演示数据只用于演示环境（make run），不会写入正式数据库"
            )
        report = demo_load()
        self.stdout.write(
            f"演示数据已就绪：本次新写入或更新指标值 {report.values} 条、"
            f"项目进展 {report.progress} 条（与上次相同的不再重复写入），"
            f"创建进程 {report.milestones} 条，地区指标值 {report.overrides} 条。"
            "页面顶部会提示正在显示演示数据。"
        )
        if report.skipped:
            self.stdout.write(f"已审核通过（锁定）的年度未改动：跳过 {report.skipped} 条。")
