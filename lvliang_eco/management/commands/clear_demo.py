from django.core.management.base import BaseCommand

from counties.services import demo_users_delete
from lvliang_eco.demo import demo_clear


class Command(BaseCommand):
    help = "清除全部演示数据（只删除标记为演示的记录）和演示账号"

    def handle(self, *args, **options) -> None:
        report = demo_clear()
        self.stdout.write(
            f"已清除演示数据：指标值 {report.values} 条，创建进程 {report.milestones} 条，"
            f"地区指标值 {report.overrides} 条，项目进展 {report.progress} 条。"
        )
        users = demo_users_delete()
        self.stdout.write(f"已删除演示账号 {users} 个。")
        if report.skipped:
            self.stdout.write(
                f"已审核通过（锁定）的年度中的 {report.skipped} 条演示数据未清除：如需清除，"
                "请市局先重新开放该年度"
            )
