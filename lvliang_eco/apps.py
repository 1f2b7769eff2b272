from django.apps import AppConfig


class LvliangEcoConfig(AppConfig):
    name = "lvliang_eco"
    verbose_name = "吕梁市生态文明建设示范区"
