import getpass
import sys

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from counties.models import Area
from counties.roles import Role
from counties.services import UserExists, user_create

ROLES = {"bureau": Role.BUREAU, "county": Role.COUNTY, "leadership": Role.LEADERSHIP}


def read_password(*, stdin, interactive: bool) -> str:
    """The password typed twice at a terminal, or the first line of standard input (for
    scripts: `printf '%s\\n' "$PW" | manage.py create_user …`). Never a command-line argument:
    those end up in the shell history and in `ps`."""
    if not interactive:
        line = stdin.readline()
        if not line.strip():
            raise CommandError("标准输入中没有密码：请在第一行提供密码，或在终端中运行以便输入")
        return line.rstrip("\r\n")
    first = getpass.getpass("密码：")
    second = getpass.getpass("再次输入密码：")
    if first != second:
        raise CommandError("两次输入的密码不一致，未创建")
    return first


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = (
        "创建一个用户：市局（bureau）、县区分局（county，须指定县）或领导小组（leadership）。"
        "密码在终端输入两次，或从标准输入的第一行读取；修改已有用户须加 --update"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument(
            "--area", default="", help="县区分局用户所属县（市、区）的代码，如 141122"
        )
        parser.add_argument("--name", default="", help="显示的姓名")
        parser.add_argument(
            "--update",
            action="store_true",
            help="用户已存在时修改其角色、所属县、姓名并重设密码（不加则拒绝修改已有用户）",
        )

    def handle(self, *args, username, role, area, name, update, **options) -> None:
        target = None
        if role == "county":
            target = Area.objects.filter(code=area).exclude(kind=Area.Kind.CITY).first()
            if target is None:
                raise CommandError("县区分局用户须用 --area 指定一个县（市、区）的代码")
        existed = User.objects.filter(username=username).exists()
        stdin = options.get("stdin") or sys.stdin
        password = read_password(stdin=stdin, interactive=stdin.isatty())
        try:
            user = user_create(
                username=username,
                password=password,
                role=ROLES[role],
                area=target,
                full_name=name,
                update=update,
            )
        except UserExists as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(f"未创建：{'；'.join(error.messages)}") from None
        except ValueError as error:
            raise CommandError(f"未创建：{error}") from None
        where = f"（{target.name}）" if target else ""
        verb = "已修改" if existed else "已创建"
        self.stdout.write(f"{verb}用户 {user.username}：{ROLES[role].label}{where}")
