"""The data version the dashboards' cached content is keyed on (lvliang_eco.pagecache)."""

from django.db import models


class DataVersion(models.Model):
    """One row whose token changes with every change of the data the pages show (values,
    statuses, approvals, standards, projects, areas): pagecache.data_changed() draws a new
    random token inside the writing transaction, so content cached under the old one is never
    served again. Random, not counted: a database restored from a backup, or a transaction
    rolled back, returns to a token whose content was made from exactly that data."""

    token = models.BigIntegerField("版本", default=0)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self) -> str:
        return f"数据版本 {self.token}"
