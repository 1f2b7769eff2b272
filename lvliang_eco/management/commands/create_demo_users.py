from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from counties.services import demo_users_create


class Command(BaseCommand):
    help = "创建演示用户：市局、领导小组各一名，每个县（市、区）一名分局用户，并打印登录信息"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--password", default="lvliang-demo-2025", help="演示用户的共同密码")

    def handle(self, *args, password: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "DEBUG 已关闭：演示账号的密码是公开的，只能在演示环境中创建。"
                "真实用户请用 python manage.py create_user 创建"
            )
        users = demo_users_create(password=password)
        self.stdout.write(f"演示用户（密码均为 {password}）：")
        for user in users:
            self.stdout.write(f"  {user.username:<12} {user.role_label}")
