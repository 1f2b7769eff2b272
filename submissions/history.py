"""Recording every change of an indicator value or a progress record, and the lock of an
approved county-year. Used by every write path: uploads, the admin, the command line."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F

from .models import Submission, ValueChange

VALUE_FIELDS = {
    "value_text": "数值（原文）",
    "number": "数值",
    "state": "状态",
    "flag": "是/否",
    "note": "备注",
    "judgement": "记录的达标情况",
}
PROGRESS_FIELDS = {"status": "进展状态", "completed_amount": "累计完成投资", "note": "备注"}


def _text(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def snapshot(instance, fields: dict[str, str]) -> dict[str, str] | None:
    if instance is None or instance.pk is None:
        return None
    return {name: _text(getattr(instance, name)) for name in fields}


def changes(
    *,
    before: dict[str, str] | None,
    instance,
    fields: dict[str, str],
    area_id: int,
    year: int,
    via: str,
    user=None,
    upload=None,
    indicator_id: int | None = None,
    investment_row_id: int | None = None,
) -> list[ValueChange]:
    after = {name: _text(getattr(instance, name)) for name in fields}
    return [
        ValueChange(
            area_id=area_id,
            year=year,
            indicator_id=indicator_id,
            investment_row_id=investment_row_id,
            field=label,
            old=(before or {}).get(name, ""),
            new=after[name],
            via=via,
            upload=upload,
            changed_by=user if getattr(user, "pk", None) else None,
        )
        for name, label in fields.items()
        if (before or {}).get(name, "") != after[name]
    ]


def record(**kwargs) -> list[ValueChange]:
    """Save the changes of one instance now (admin edits); imports batch them instead."""
    found = changes(**kwargs)
    ValueChange.objects.bulk_create(found)
    return found


def ensure_unlocked(area_id: int, year: int) -> None:
    """Refuse any change to an approved (locked) county-year, whoever makes it."""
    submission = (
        Submission.objects.filter(area_id=area_id, year=year).select_related("area").first()
    )
    if submission is not None and submission.is_locked:
        raise ValidationError(
            f"{submission.area.name}{year}年的数据已审核通过并锁定，不能修改；如需修改请由市局重新开放"
        )


def version_bump(area_id: int, year: int) -> None:
    """A change outside an upload (admin edit or import) makes pending previews of that
    county-year stale, so confirming one cannot overwrite the change."""
    Submission.objects.filter(area_id=area_id, year=year).update(version=F("version") + 1)
