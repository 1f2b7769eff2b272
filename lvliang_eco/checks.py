"""System checks for a production start: they name what is missing and the command that fixes
it, instead of letting every page answer 500.

They run with every management command (`check`, `migrate`, `runserver`) and, because gunicorn
runs no checks, once more when the WSGI application is loaded (lvliang_eco/wsgi.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

STATIC_MANIFEST = "staticfiles.json"


@register(Tags.staticfiles)
def static_collected(app_configs=None, **kwargs) -> list[Warning]:
    """With DEBUG off, pages name their CSS and scripts through the manifest that collectstatic
    writes; without it every page, the login page included, fails. A warning here (migrate
    comes before collectstatic in an installation); the WSGI application refuses to start."""
    if settings.DEBUG:
        return []
    manifest = settings.STATIC_ROOT / STATIC_MANIFEST
    if manifest.exists():
        return []
    return [
        Warning(
            f"静态文件尚未收集：{manifest} 不存在，DEBUG 关闭时每个页面都会出错。",
            hint="请运行 python manage.py collectstatic --noinput（升级后也要重新运行）。",
            id="lvliang_eco.W002",
        )
    ]


@register()
def templates_present(app_configs=None, **kwargs) -> list[Error]:
    """The application runs from its checkout (README 生产部署): templates/, static/ and
    fixtures/ are read from beside the packages, not from site-packages."""
    missing = [
        name
        for name in ("templates", "static", "fixtures")
        if not (settings.BASE_DIR / name).is_dir()
    ]
    if not missing:
        return []
    return [
        Error(
            f"在 {settings.BASE_DIR} 下找不到 {'、'.join(missing)} 目录。",
            hint="本系统从代码目录运行：在代码目录中用 pip install -e . 安装，不要用 pip install .",
            id="lvliang_eco.E002",
        )
    ]


@register(Tags.security, deploy=False)
def demo_logins_absent(app_configs=None, **kwargs) -> list[Warning]:
    """Demo logins share a published password; with DEBUG off they cannot log in and should be
    removed."""
    if settings.DEBUG:
        return []
    from django.db import DatabaseError

    from counties.services import demo_users

    try:
        names = sorted(demo_users().filter(is_active=True).values_list("username", flat=True))
    except DatabaseError:  # not migrated yet: nothing to warn about
        return []
    if not names:
        return []
    return [
        Warning(
            f"仍有 {len(names)} 个演示账号（{'、'.join(names[:5])}…），DEBUG 关闭时它们不能登录。",
            hint="请运行 python manage.py clear_demo 删除演示数据和演示账号。",
            id="lvliang_eco.W001",
        )
    ]
