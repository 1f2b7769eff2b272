"""The disk space kept uploads take: a per-user quota and the removal of refused files.

Every upload is kept with its record (who, when, counts, errors). The file itself is needed
for a saved upload (it is what the county sent); a refused one is kept only for a while, so
that the bureau can look at what went wrong, then deleted by `purge_uploads`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from .models import Evidence, Upload

# Uploads whose file nobody needs once the reason is known: refused, or overtaken by a change
# made after the preview.
PURGED_STATUSES = (Upload.Status.REJECTED, Upload.Status.STALE)


class QuotaExceeded(Exception):
    """The user's kept files would pass SUBMISSION_USER_QUOTA_BYTES; the message is Chinese."""


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def upload_quota_check(*, user, size: int) -> None:
    """Refuse a new file of `size` bytes when the user's kept files (spreadsheets and
    supporting documents) would pass the quota (SUBMISSION_USER_QUOTA_BYTES; 0: no quota)."""
    quota = settings.SUBMISSION_USER_QUOTA_BYTES
    if not quota:
        return
    used = sum(
        model.objects.filter(uploaded_by=user)
        .exclude(file="")
        .aggregate(total=Sum("size"))["total"]
        or 0
        for model in (Upload, Evidence)  # a deleted document's file stays for the history
    )
    if used + size > quota:
        raise QuotaExceeded(
            f"您保存的上传文件和佐证材料已占用 {_mb(used)}，"
            f"再上传这个 {_mb(size)} 的文件将超过每人 "
            f"{_mb(quota)} 的上限。出错的上传文件会在 {settings.SUBMISSION_REJECTED_KEEP_DAYS} "
            "天后自动删除；如需立即上传，请联系市生态环境局。"
        )


@dataclass
class PurgeReport:
    files: int
    bytes: int


def uploads_purge(*, keep_days: int, now: datetime | None = None) -> PurgeReport:
    """Delete the files of refused or stale uploads older than `keep_days` days; the upload
    records stay, their file emptied. keep_days 0 deletes nothing."""
    if keep_days <= 0:
        return PurgeReport(0, 0)
    cutoff = (now or timezone.now()) - timedelta(days=keep_days)
    doomed = Upload.objects.filter(status__in=PURGED_STATUSES, uploaded_at__lt=cutoff).exclude(
        file=""
    )
    files = size = 0
    for upload in doomed:
        upload.file.delete(save=False)
        Upload.objects.filter(pk=upload.pk).update(file="")
        files += 1
        size += upload.size
    return PurgeReport(files, size)
