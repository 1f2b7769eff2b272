from django.conf import settings
from django.core.management.base import BaseCommand

from submissions.storage import uploads_purge


class Command(BaseCommand):
    help = (
        "删除出错（未保存）或已过期的上传文件：超过保留天数的原件删除，上传记录和错误清单保留。"
        "默认保留天数为 SUBMISSION_REJECTED_KEEP_DAYS"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="保留天数（默认取 SUBMISSION_REJECTED_KEEP_DAYS；0 表示不删除）",
        )

    def handle(self, *args, days: int | None, **options) -> None:
        keep = settings.SUBMISSION_REJECTED_KEEP_DAYS if days is None else days
        report = uploads_purge(keep_days=keep)
        self.stdout.write(
            f"已删除 {keep} 天前出错或过期的上传文件 {report.files} 个，"
            f"共 {report.bytes / 1024 / 1024:.1f} MB；上传记录保留。"
        )
