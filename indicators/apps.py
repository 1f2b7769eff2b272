from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _fill_results(sender, using: str = "default", **kwargs) -> None:
    """After migrating an installation that has values but no stored results yet (the
    upgrade that introduced them), compute them once."""
    from .models import AreaYearResult, IndicatorValue
    from .results import results_rebuild

    if IndicatorValue.objects.using(using).exists() and not AreaYearResult.objects.exists():
        results_rebuild()


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "考核指标"

    def ready(self) -> None:
        post_migrate.connect(_fill_results, sender=self)
