from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from counties.access import can_review
from counties.models import Area
from submissions import services
from submissions.models import Upload


class Command(BaseCommand):
    help = "导入一个县区填报表（与网页上传同一流程）：打印预览，任何错误都不保存并以非零状态退出"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="填好的 .xlsx 模板")
        parser.add_argument("--area", required=True, help="县（市、区）行政区划代码，如 141122")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true", help="只预览，不保存")
        parser.add_argument(
            "--user", default="", help="记录为此用户上传；默认为第一个超级用户或市局用户"
        )

    def handle(self, *args, file: str, area: str, year: int, dry_run: bool, user: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        target = Area.objects.filter(code=area).first()
        if target is None:
            raise CommandError(f"没有行政区划代码为“{area}”的县（市、区）")
        actor = self._user(user)
        try:
            upload = services.upload_preview(
                user=actor,
                area=target,
                year=year,
                name=path.name,
                content=path.read_bytes(),
                via="command",
            )
        except (services.SubmissionError, PermissionDenied) as error:
            raise CommandError(str(error)) from None
        self._print(upload)
        if upload.status != Upload.Status.PREVIEW:
            raise CommandError(f"文件有 {len(upload.errors)} 处错误，未保存任何数据")
        if dry_run:
            self.stdout.write("试运行（--dry-run）：未保存")
            return
        try:
            with transaction.atomic():
                services.upload_confirm(user=actor, upload=upload, via="command")
        except (services.SubmissionError, PermissionDenied) as error:
            raise CommandError(str(error)) from None
        upload.refresh_from_db()
        self.stdout.write(
            f"已保存：新增 {upload.added}，修改 {upload.changed}，未变 {upload.unchanged}"
        )

    def _user(self, username: str):
        users = get_user_model().objects
        if username:
            actor = users.filter(username=username).first()
            if actor is None:
                raise CommandError(f"没有用户“{username}”")
            return actor
        actor = users.filter(is_superuser=True).first() or next(
            (u for u in users.filter(is_staff=True) if can_review(u)), None
        )
        if actor is None:
            raise CommandError("没有可记录为上传人的市局用户：请用 --user 指定，或先创建市局用户")
        return actor

    def _print(self, upload: Upload) -> None:
        out = self.stdout.write
        if upload.errors:
            for error in upload.errors:
                out(f"错误  {error}")
            return
        out(f"{'行':>4}  {'编码':<6}{'指标':<24}{'现有':<14}{'新值':<14}{'状态':<6}说明")
        for row in upload.preview_rows("indicators"):
            if row["empty"]:
                continue
            mark = "*" if row["changed"] else " "
            current = (row["current"] or "—")[:12]
            out(
                f"{row['row']:>4}{mark} {row['code']:<6}{row['name'][:22]:<24}{current:<14}"
                f"{row['new'][:12]:<14}{row['status_label']:<6}{row['reason']}"
            )
        for row in upload.preview_rows("progress"):
            if row["empty"]:
                continue
            mark = "*" if row["changed"] else " "
            current = row["current"] or "—"
            group = row["group"][:22]
            out(f"{row['row']:>4}{mark} {row['key']:<8}{group:<24}{current:<14}{row['new']}")
        out(
            f"预览：新增 {upload.added}，修改 {upload.changed}，未变 {upload.unchanged}"
            "（* 为有变动的行）"
        )
