from django.core.management.base import BaseCommand

from lvliang_eco.demo import demo_load


class Command(BaseCommand):
    help = "生成13个县（市、区）2022—2024年的演示数据（均标记为演示，可用 clear_demo 清除）"

    def handle(self, *args, **options) -> None:
        report = demo_load()
        self.stdout.write(
            f"已生成演示数据：指标值 {report.values} 条，创建进程 {report.milestones} 条，"
            f"地区指标值 {report.overrides} 条，项目进展 {report.progress} 条。"
            "页面顶部会提示正在显示演示数据。"
        )
