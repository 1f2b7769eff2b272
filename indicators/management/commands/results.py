from django.core.management.base import BaseCommand, CommandError

from indicators.results import results_drift, results_rebuild
from jobs.services import start_rebuild

SHOWN = 20


class Command(BaseCommand):
    help = "核对或重建存储的达标计算结果（页面、导出与 compliance 命令读取的结果）"

    def add_arguments(self, parser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--verify", action="store_true", help="与重新计算的结果逐项比较，报告不一致之处"
        )
        action.add_argument("--rebuild", action="store_true", help="全部重新计算并存储")
        parser.add_argument(
            "--background",
            action="store_true",
            help="与 --rebuild 同用：交给后台任务分步计算（manage.py jobs_worker 执行），立即返回",
        )

    def handle(self, *args, verify: bool, rebuild: bool, background: bool, **options) -> None:
        if background and not rebuild:
            raise CommandError("--background 只能与 --rebuild 同用")
        if rebuild and background:
            job = start_rebuild()
            self.stdout.write(
                f"已排入后台任务 {job.pk}：{job.title}（由 manage.py jobs_worker 执行，"
                f"进度见 /jobs/{job.pk}/）"
            )
            return
        if rebuild:
            written = results_rebuild()
            self.stdout.write(f"已重新计算并存储 {written} 条达标计算结果")
            return
        drift = results_drift()
        if not drift:
            self.stdout.write("存储的达标计算结果与重新计算完全一致")
            return
        for item in drift[:SHOWN]:
            self.stdout.write(str(item))
        more = f"（只列出前 {SHOWN} 处）" if len(drift) > SHOWN else ""
        raise CommandError(
            f"存储的达标计算结果有 {len(drift)} 处与重新计算不一致{more}："
            "运行 python manage.py results --rebuild 重建"
        )
