from django.apps import AppConfig


class CountiesConfig(AppConfig):
    name = "counties"
    verbose_name = "行政区划与用户"
