"""Kept upload files: refused ones are deleted after the retention days, each user has a quota."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from counties.models import Area
from submissions import services
from submissions.models import Upload

from ..conftest import logged_in
from .helpers import GOOD, fill, template

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(user, content: bytes, *, days_ago: int = 0) -> Upload:
    made = services.upload_preview(
        user=user,
        area=Area.objects.get(code="141122"),
        year=2025,
        name="交城.xlsx",
        content=content,
    )
    Upload.objects.filter(pk=made.pk).update(uploaded_at=timezone.now() - timedelta(days=days_ago))
    made.refresh_from_db()
    return made


def bad_file() -> bytes:
    return fill(template(), {"28": ("九十", None, None)})


def test_it_deletes_refused_files_older_than_the_retention_and_keeps_the_record(
    jiaocheng_officer, settings
):
    settings.SUBMISSION_REJECTED_KEEP_DAYS = 30
    old = upload(jiaocheng_officer, bad_file(), days_ago=31)
    recent = upload(jiaocheng_officer, bad_file(), days_ago=29)
    saved = services.upload_confirm(
        user=jiaocheng_officer,
        upload=upload(jiaocheng_officer, fill(template(), GOOD), days_ago=90),
    )
    old_path = Path(old.file.path)
    out = StringIO()
    call_command("purge_uploads", stdout=out)
    assert "已删除 30 天前出错或过期的上传文件 1 个" in out.getvalue()
    old.refresh_from_db()
    assert not old.file and not old_path.exists()
    assert old.status == Upload.Status.REJECTED and old.errors  # the record and its errors stay
    recent.refresh_from_db()
    saved.refresh_from_db()
    assert Path(recent.file.path).exists() and Path(saved.file.path).exists()


def test_it_keeps_everything_with_zero_days(jiaocheng_officer):
    old = upload(jiaocheng_officer, bad_file(), days_ago=400)
    call_command("purge_uploads", "--days", "0", stdout=StringIO())
    old.refresh_from_db()
    assert Path(old.file.path).exists()


def test_it_answers_404_for_a_purged_file(jiaocheng_officer):
    old = upload(jiaocheng_officer, bad_file(), days_ago=400)
    call_command("purge_uploads", "--days", "1", stdout=StringIO())
    response = logged_in(jiaocheng_officer).get(f"/submissions/uploads/{old.pk}/file/")
    assert response.status_code == 404


def test_it_refuses_an_upload_over_the_users_quota(jiaocheng_officer, xingxian_officer, settings):
    content = bad_file()
    settings.SUBMISSION_USER_QUOTA_BYTES = len(content) * 2 + 10
    upload(jiaocheng_officer, content)
    upload(jiaocheng_officer, content)
    client = logged_in(jiaocheng_officer)
    page = client.post(
        "/submissions/141122/2025/upload/",
        {"file": SimpleUploadedFile("third.xlsx", content)},
        follow=True,
    ).content.decode()
    assert "将超过每人" in page and "的上限" in page
    assert Upload.objects.filter(uploaded_by=jiaocheng_officer).count() == 2
    # Another user's quota is their own; purged files no longer count.
    services.upload_preview(
        user=xingxian_officer,
        area=Area.objects.get(code="141123"),
        year=2025,
        name="兴县.xlsx",
        content=fill(template("141123")),
    )
    Upload.objects.filter(uploaded_by=jiaocheng_officer).update(
        uploaded_at=timezone.now() - timedelta(days=60)
    )
    call_command("purge_uploads", "--days", "30", stdout=StringIO())
    assert upload(jiaocheng_officer, content).file
