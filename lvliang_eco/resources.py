"""The shared base of every django-import-export resource in the project.

One mapping layer: the seed loader, the admin's import/export and (later) county uploads all go
through these resources, with the model's own validation switched on.
"""

from __future__ import annotations

from import_export import resources


class BaseResource(resources.ModelResource):
    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
