import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from counties.models import Area
from indicators.models import IndicatorValue
from projects.models import ProjectProgress
from submissions import services
from submissions.models import Submission, SubmissionEvent, Upload, ValueChange
from submissions.services import SubmissionError

from .helpers import GOOD, fill, state, template

pytestmark = pytest.mark.django_db


def jiaocheng() -> Area:
    return Area.objects.get(code="141122")


def preview(user, content: bytes, year: int = 2025) -> Upload:
    return services.upload_preview(
        user=user, area=jiaocheng(), year=year, name="交城.xlsx", content=content
    )


def saved(user, values=None, progress=None) -> Upload:
    upload = preview(user, fill(template(), values, progress))
    assert upload.status == Upload.Status.PREVIEW, upload.errors
    return services.upload_confirm(user=user, upload=upload)


def test_the_template_holds_every_indicator_and_the_countys_rows(jiaocheng_officer):
    workbook = load_workbook(io.BytesIO(template()))
    assert workbook.sheetnames == ["指标填报", "项目进展", "模板信息"]
    assert workbook["模板信息"].sheet_state == "veryHidden"
    indicators = workbook["指标填报"]
    codes = [indicators.cell(row=r, column=1).value for r in range(4, indicators.max_row + 1)]
    assert codes[55:] == [None, "填表人", "联系电话", "填表日期"]  # lines for who filled it in
    codes = codes[:55]
    assert codes[:3] == ["1", "2", "3"] and "7.1" in codes
    assert indicators.protection.sheet is True
    row = codes.index("28") + 4
    assert indicators.cell(row=row, column=7).protection.locked is False  # input
    assert indicators.cell(row=row, column=4).protection.locked is True  # standard
    assert indicators.cell(row=row, column=4).value == "≥95"
    choices = {dv.formula1 for dv in indicators.data_validations.dataValidation}
    assert '"是,否,撤回"' in choices and '"制定实施,否,撤回"' in choices
    assert indicators.page_setup.orientation == "landscape"
    progress = workbook["项目进展"]
    keys = [progress.cell(row=r, column=1).value for r in range(4, progress.max_row + 1)]
    assert "4-4-2" in keys  # 交城 100MW wind
    assert "4-4-12" not in keys  # 兴县 solar
    assert "1-4-1" in keys  # 13个县（区、市）: shared by all
    assert "4-2-2" in keys and "4-2-1" not in keys  # 柳林、兴县、文水、交城 vs 方山、岚县
    assert progress.cell(row=4 + keys.index("4-4-2"), column=7).value == "76000"


def test_the_template_shows_the_previous_years_value(jiaocheng_officer):
    saved(jiaocheng_officer, {"28": (96.5, None, None)})
    workbook = load_workbook(io.BytesIO(template(year=2026)))
    sheet = workbook["指标填报"]
    row = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == "28")
    assert sheet.cell(row=row, column=6).value == "96.5"


def test_a_preview_changes_nothing_and_shows_the_status_each_value_would_get(jiaocheng_officer):
    before = state()
    upload = preview(jiaocheng_officer, fill(template(), {**GOOD, "32": ("１２．５", None, None)}))
    assert state() == before
    rows = {r["code"]: r for r in upload.preview_rows("indicators") if not r["empty"]}
    assert rows["28"]["status_label"] == "达标" and rows["28"]["reason"] == "96.5 ≥ 95"
    assert rows["32"]["status_label"] == "未达标"
    assert rows["32"]["normalised"] == ["G列“１２．５”按 12.5 读取"]
    assert rows["2"]["new"] == "有效开展" and rows["2"]["changed"] is True
    assert (upload.added, upload.changed, upload.unchanged) == (5, 0, 0)


def test_confirming_saves_every_row_and_records_who_changed_what(jiaocheng_officer):
    upload = saved(jiaocheng_officer, GOOD, {"4-4-2": ("在建", "12,000", "一期并网")})
    value = IndicatorValue.objects.get(area__code="141122", year=2025, indicator__code="28")
    assert (value.number, value.source, value.updated_by) == (
        Decimal("96.5"),
        "upload",
        jiaocheng_officer,
    )
    yes = IndicatorValue.objects.get(area__code="141122", year=2025, indicator__code="9")
    assert (yes.flag, yes.state) == (True, "")
    progress = ProjectProgress.objects.get(area__code="141122", year=2025)
    assert (progress.status, progress.completed_amount, progress.note) == (
        "在建",
        Decimal("12000"),
        "一期并网",
    )
    assert (upload.status, upload.added, upload.changed) == (Upload.Status.CONFIRMED, 5, 0)
    change = ValueChange.objects.get(area__code="141122", indicator__code="28", field="数值")
    assert (change.old, change.new, change.changed_by, change.upload, change.via) == (
        "", "96.5", jiaocheng_officer, upload, "upload",
    )  # fmt: skip
    assert Submission.objects.get(area__code="141122", year=2025).version == 1


def test_a_second_upload_counts_changed_and_unchanged_rows_and_keeps_old_values(jiaocheng_officer):
    saved(jiaocheng_officer, GOOD)
    upload = saved(jiaocheng_officer, {**GOOD, "28": (97, None, None)})
    assert (upload.added, upload.changed, upload.unchanged) == (0, 1, 3)
    change = ValueChange.objects.filter(indicator__code="28", field="数值").first()
    assert (change.old, change.new) == ("96.5", "97")


def test_a_returned_submission_goes_back_to_draft_on_a_new_upload(jiaocheng_officer, bureau_user):
    saved(jiaocheng_officer, GOOD)
    submission = Submission.objects.get(area__code="141122", year=2025)
    services.submission_submit(user=jiaocheng_officer, submission=submission, incomplete_ok=True)
    services.submission_return(user=bureau_user, submission=submission, comment="28项请核实")
    saved(jiaocheng_officer, {**GOOD, "28": (97, None, None)})
    assert Submission.objects.get(pk=submission.pk).state == Submission.State.DRAFT


def test_the_review_workflow_records_every_step(jiaocheng_officer, bureau_user):
    saved(jiaocheng_officer, GOOD)
    submission = Submission.objects.get(area__code="141122", year=2025)
    services.submission_submit(user=jiaocheng_officer, submission=submission, incomplete_ok=True)
    with pytest.raises(SubmissionError, match="退回时须填写退回意见"):
        services.submission_return(user=bureau_user, submission=submission, comment=" ")
    services.submission_approve(user=bureau_user, submission=submission, comment="数据齐全")
    submission.refresh_from_db()
    assert submission.state == Submission.State.APPROVED and submission.is_locked
    with pytest.raises(SubmissionError, match="重新开放已审核的数据须填写理由"):
        services.submission_reopen(user=bureau_user, submission=submission, reason="")
    services.submission_reopen(user=bureau_user, submission=submission, reason="发现28项有误")
    actions = list(
        submission.events.order_by("at", "pk").values_list("action", "by__username", "comment")
    )
    assert actions == [
        ("submit", jiaocheng_officer.username, ""),
        ("approve", bureau_user.username, "数据齐全"),
        ("reopen", bureau_user.username, "发现28项有误"),
    ]


def test_an_approved_year_is_locked_against_everyone(jiaocheng_officer, bureau_user):
    saved(jiaocheng_officer, GOOD)
    submission = Submission.objects.get(area__code="141122", year=2025)
    services.submission_submit(user=jiaocheng_officer, submission=submission, incomplete_ok=True)
    services.submission_approve(user=bureau_user, submission=submission)
    for user in (jiaocheng_officer, bureau_user):
        with pytest.raises(SubmissionError, match="已审核通过并锁定"):
            preview(user, fill(template(), {"28": (99, None, None)}))


def test_an_upload_previewed_before_approval_cannot_be_saved_after(jiaocheng_officer, bureau_user):
    saved(jiaocheng_officer, GOOD)
    submission = Submission.objects.get(area__code="141122", year=2025)
    pending = preview(jiaocheng_officer, fill(template(), {"28": (99, None, None)}))
    services.submission_submit(user=jiaocheng_officer, submission=submission, incomplete_ok=True)
    services.submission_approve(user=bureau_user, submission=submission)
    before = state()
    with pytest.raises(SubmissionError, match="已审核通过并锁定"):
        services.upload_confirm(user=jiaocheng_officer, upload=pending)
    assert state() == before


def test_only_the_bureau_reviews(jiaocheng_officer, leader):
    saved(jiaocheng_officer, GOOD)
    submission = Submission.objects.get(area__code="141122", year=2025)
    services.submission_submit(user=jiaocheng_officer, submission=submission, incomplete_ok=True)
    from django.core.exceptions import PermissionDenied

    for user in (jiaocheng_officer, leader):
        with pytest.raises(PermissionDenied, match="只有市生态环境局工作人员可以审核"):
            services.submission_approve(user=user, submission=submission)


def test_an_officer_cannot_upload_for_another_county(xingxian_officer):
    from django.core.exceptions import PermissionDenied

    before = state()
    with pytest.raises(PermissionDenied, match="无权为交城县上传或修改数据"):
        preview(xingxian_officer, fill(template(), GOOD))
    assert state() == before
    assert not Upload.objects.exists()


def test_batch_approval_is_all_or_nothing(bureau_user, jiaocheng_officer, xingxian_officer):
    saved(jiaocheng_officer, GOOD)
    jc = Submission.objects.get(area__code="141122", year=2025)
    services.submission_submit(user=jiaocheng_officer, submission=jc, incomplete_ok=True)
    xx = services.submission_get_or_create(area=Area.objects.get(code="141123"), year=2025)
    with pytest.raises(SubmissionError, match="兴县2025年当前状态为“填报中”，不能审核通过"):
        services.submissions_approve_many(user=bureau_user, submissions=[jc, xx])
    assert Submission.objects.get(pk=jc.pk).state == Submission.State.SUBMITTED
    with pytest.raises(SubmissionError, match="兴县2025年尚未填报任何数据，不能提交审核"):
        services.submission_submit(user=xingxian_officer, submission=xx, incomplete_ok=True)
    content = fill(template("141123"), GOOD)
    upload = services.upload_preview(
        user=xingxian_officer, area=xx.area, year=2025, name="兴县.xlsx", content=content
    )
    services.upload_confirm(user=xingxian_officer, upload=upload)
    services.submission_submit(user=xingxian_officer, submission=xx, incomplete_ok=True)
    services.submissions_approve_many(user=bureau_user, submissions=[jc, xx])
    assert set(Submission.objects.values_list("state", flat=True)) == {"approved"}
    assert SubmissionEvent.objects.filter(action="approve").count() == 2


def test_no_upload_while_a_submission_is_in_review(jiaocheng_officer, bureau_user):
    saved(jiaocheng_officer, GOOD)
    submission = Submission.objects.get(area__code="141122", year=2025)
    pending = preview(jiaocheng_officer, fill(template(), {"28": (97, None, None)}))
    services.submission_submit(user=jiaocheng_officer, submission=submission, incomplete_ok=True)
    before = state()
    for user in (jiaocheng_officer, bureau_user):
        with pytest.raises(SubmissionError, match="已提交审核，审核期间不能修改"):
            preview(user, fill(template(), {"28": (99, None, None)}))
    with pytest.raises(SubmissionError, match="已提交审核，审核期间不能修改"):
        services.upload_confirm(user=jiaocheng_officer, upload=pending)
    assert state() == before


def test_excel_percent_cells_and_tiny_numbers_are_read_as_meant(jiaocheng_officer):
    def typed(workbook):
        sheet = workbook["指标填报"]
        rows = {str(sheet.cell(row=r, column=1).value): r for r in range(4, sheet.max_row + 1)}
        cell = sheet.cell(row=rows["28"], column=7, value=0.965)  # Excel keeps 96.5% as 0.965
        cell.number_format = "0.0%"
        sheet.cell(row=rows["22"], column=7, value=0.0001)

    upload = preview(jiaocheng_officer, fill(template(), edit=typed))
    rows = {r["code"]: r for r in upload.preview_rows("indicators") if not r["empty"]}
    assert rows["28"]["new"] == "96.5"
    assert rows["28"]["normalised"] == ["G列“96.5%”（百分比格式）按 96.5 读取"]
    assert rows["22"]["new"] == "0.0001"


def test_too_many_decimals_are_refused_with_row_and_column(jiaocheng_officer):
    before = state()
    upload = preview(
        jiaocheng_officer,
        fill(template(), {"22": (0.00001, None, None)}, {"4-4-2": ("在建", 10.005, None)}),
    )
    assert upload.status == Upload.Status.REJECTED
    assert any("G列：最多保留4位小数，实际为0.00001" in e for e in upload.errors), upload.errors
    assert any("K列：最多保留2位小数，实际为10.005" in e for e in upload.errors), upload.errors
    assert state() == before


def test_a_sheet_far_wider_than_the_template_is_refused_quickly(jiaocheng_officer):
    def wide(workbook):
        workbook["指标填报"].cell(row=50, column=16384, value="x")

    upload = preview(jiaocheng_officer, fill(template(), edit=wide))
    assert upload.status == Upload.Status.REJECTED
    assert "有16384列内容，远多于模板的9列" in upload.errors[0]
