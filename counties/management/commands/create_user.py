import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from counties.models import Area
from counties.roles import Role
from counties.services import user_create

ROLES = {"bureau": Role.BUREAU, "county": Role.COUNTY, "leadership": Role.LEADERSHIP}


class Command(BaseCommand):
    help = (
        "创建或重置一个用户：市局（bureau）、县区分局（county，须指定县）或领导小组（leadership）"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument(
            "--area", default="", help="县区分局用户所属县（市、区）的代码，如 141122"
        )
        parser.add_argument("--name", default="", help="显示的姓名")
        parser.add_argument("--password", default="", help="不填则在终端输入")

    def handle(self, *args, username, role, area, name, password, **options) -> None:
        target = None
        if role == "county":
            target = Area.objects.filter(code=area).exclude(kind=Area.Kind.CITY).first()
            if target is None:
                raise CommandError("县区分局用户须用 --area 指定一个县（市、区）的代码")
        if not password:
            password = getpass.getpass("密码：")
        try:
            user = user_create(
                username=username, password=password, role=ROLES[role], area=target, full_name=name
            )
        except (ValidationError, ValueError) as error:
            raise CommandError(f"未创建：{error}") from None
        where = f"（{target.name}）" if target else ""
        self.stdout.write(f"已创建用户 {user.username}：{ROLES[role].label}{where}")
