from django.apps import AppConfig


class LvliangEcoConfig(AppConfig):
    name = "lvliang_eco"
    verbose_name = "吕梁市生态文明建设示范区"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
