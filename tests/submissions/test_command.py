from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from indicators.models import IndicatorValue
from submissions.models import Upload, ValueChange

from .helpers import GOOD, fill, state, template

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_submission", *args, stdout=out)
    return out.getvalue()


def test_it_previews_without_saving_on_a_dry_run(tmp_path, bureau_user):
    path = tmp_path / "交城.xlsx"
    path.write_bytes(fill(template(), GOOD))
    before = state()
    text = run(
        str(path), "--area", "141122", "--year", "2025", "--dry-run", "--user", bureau_user.username
    )
    assert "96.5 ≥ 95" in text and "试运行（--dry-run）：未保存" in text
    assert "预览：新增 4，修改 0，未变 0" in text
    assert state() == before


def test_it_saves_through_the_same_code_as_the_page(tmp_path, bureau_user):
    path = tmp_path / "交城.xlsx"
    path.write_bytes(fill(template(), GOOD))
    text = run(str(path), "--area", "141122", "--year", "2025", "--user", bureau_user.username)
    assert "已保存：新增 4，修改 0，未变 0" in text
    assert IndicatorValue.objects.filter(area__code="141122", year=2025).count() == 4
    assert set(ValueChange.objects.filter(area__code="141122").values_list("via", flat=True)) == {
        "command"
    }
    assert Upload.objects.get().uploaded_by == bureau_user


def test_it_exits_non_zero_on_any_error_and_saves_nothing(tmp_path, bureau_user):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(fill(template(), {"28": ("九十", None, None)}))
    before = state()
    out = StringIO()
    with pytest.raises(CommandError, match="文件有 1 处错误，未保存任何数据"):
        call_command(
            "import_submission",
            str(path),
            "--area",
            "141122",
            "--year",
            "2025",
            "--user",
            bureau_user.username,
            stdout=out,
        )
    assert "G列：应为数字，实际为“九十”" in out.getvalue()
    assert state() == before


def test_it_refuses_a_file_for_another_county(tmp_path, bureau_user):
    path = tmp_path / "兴县.xlsx"
    path.write_bytes(template("141123"))
    with pytest.raises(CommandError, match="文件有 1 处错误"):
        run(str(path), "--area", "141122", "--year", "2025", "--user", bureau_user.username)


def test_it_says_what_is_missing(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run(str(tmp_path / "none.xlsx"), "--area", "141122", "--year", "2025")
