from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class LvliangEcoConfig(AppConfig):
    default = True
    name = "lvliang_eco"
    verbose_name = "吕梁市生态文明建设示范区"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .pagecache import connect_signals

        connect_signals()


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the site that asks counties/access.py."""

    default = False
    default_site = "lvliang_eco.admin_site.AdminSite"
