"""Corrections, reverts, withdrawals, blank rows, demo data and standards: what a county
reported the second time is what is stored, judged and shown."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import tablib
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counties.models import Area
from indicators.compliance import compliance
from indicators.models import Indicator, IndicatorValue, StandardOverride
from lvliang_eco.demo import demo_clear, demo_load
from submissions import services
from submissions.models import Submission, SubmissionEvent, Upload, ValueChange
from submissions.resources import ValueResource
from tests.conftest import demo_loaded, logged_in

from .helpers import ROUTES, Typed, fill, jiaocheng, report, template

pytestmark = pytest.mark.django_db


def preview(user, content: bytes, *, code: str = "141122", year: int = 2025) -> Upload:
    return services.upload_preview(
        user=user, area=Area.objects.get(code=code), year=year, name="表.xlsx", content=content
    )


def rows(upload: Upload) -> dict[str, dict]:
    return {r["code"]: r for r in upload.preview_rows("indicators")}


def history(code: str, area: str = "141122", year: int = 2025) -> list[tuple]:
    return list(
        ValueChange.objects.filter(area__code=area, year=year, indicator__code=code)
        .order_by("pk")
        .values_list("field", "old", "new", "via")
    )


@pytest.mark.parametrize("route", ROUTES)
def test_it_judges_a_correction_from_50_to_10_everywhere(
    route, jiaocheng_officer, bureau_user, leader, tmp_path
):
    for text in ("50", "10"):
        report(route, "3", Typed(text), officer=jiaocheng_officer, bureau=bureau_user,
               tmp_path=tmp_path)  # fmt: skip
    value = IndicatorValue.objects.get(area__code="141122", year=2025, indicator__code="3")
    assert (value.value_text, value.number) == ("10", 10)
    result = next(
        r for r in compliance(year=2025, area_codes=["141122"]).areas[0].indicators
        if r.indicator.code == "3"
    )  # fmt: skip
    assert (result.assessment.label, result.assessment.reason) == ("未达标", "10 ＜ 20")
    client = logged_in(leader)
    client.get("/?data=all")  # the leadership reads approved years only unless it asks
    assert "10 ＜ 20" in client.get("/counties/141122/?year=2025").content.decode()
    assert "50 ≥ 20" not in client.get("/counties/141122/?year=2025").content.decode()
    via = route  # every route records itself under its own name
    assert [h for h in history("3") if h[0] == "数值"] == [
        ("数值", "", "50", via),
        ("数值", "50", "10", via),
    ]
    # The next template is pre-filled with the corrected value, and reads back as no change.
    again = preview(jiaocheng_officer, template())
    assert rows(again)["3"]["action"] == "unchanged" and again.changed == 0


def test_a_revert_is_highlighted_in_the_preview(jiaocheng_officer):
    for number in (50, 10):
        upload = preview(jiaocheng_officer, fill(template(), {"3": (number, None, None)}))
        services.upload_confirm(user=jiaocheng_officer, upload=upload)
    upload = preview(jiaocheng_officer, fill(template(), {"3": (50, None, None)}))
    row = rows(upload)["3"]
    assert row["changed"] and row["changes"] == [["数值", "10", "50"]]
    assert (row["status_label"], row["reason"]) == ("达标", "50 ≥ 20")
    assert upload.changed == 1


def test_an_unmodified_template_is_no_change_and_writes_nothing(jiaocheng_officer, tmp_path):
    report("upload", "28", Typed("96.5", note="含开发区"), officer=jiaocheng_officer,
           bureau=None, tmp_path=tmp_path)  # fmt: skip
    changes = ValueChange.objects.count()
    upload = preview(jiaocheng_officer, template())
    assert (upload.added, upload.changed) == (0, 0)
    page = logged_in(jiaocheng_officer).get(f"/submissions/uploads/{upload.pk}/")
    assert "文件与系统中的记录完全相同" in page.content.decode()
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    assert ValueChange.objects.count() == changes


def test_every_downloaded_template_of_demo_years_reads_back_as_no_change(jiaocheng_officer):
    demo_loaded()
    bureau_area_years = [
        (area, year) for area in Area.objects.counties() for year in (2022, 2023, 2024)
    ]
    from counties.roles import Role
    from counties.services import user_create

    bureau = user_create(username="t-bureau", password="x-123456789", role=Role.BUREAU)
    for area, year in bureau_area_years:
        upload = preview(bureau, template(area.code, year), code=area.code, year=year)
        assert upload.status == Upload.Status.PREVIEW, (area.name, year, upload.errors[:3])
        assert (upload.added, upload.changed) == (0, 0), (area.name, year)


def test_a_withdrawal_needs_a_reason_and_is_shown_and_recorded(jiaocheng_officer):
    upload = preview(jiaocheng_officer, fill(template(), {"3": (50, None, None)}))
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    refused = preview(jiaocheng_officer, fill(template(), {"3": ("撤回", None, "")}))
    assert refused.status == Upload.Status.REJECTED
    assert any("I列：“撤回”须在备注中写明理由" in e for e in refused.errors), refused.errors
    upload = preview(jiaocheng_officer, fill(template(), {"3": ("撤回", None, "口径错误")}))
    row = rows(upload)["3"]
    assert (row["action"], row["withdraw_reason"], row["changes"]) == (
        "withdraw", "口径错误", [["数值", "50", ""]],
    )  # fmt: skip
    page = logged_in(jiaocheng_officer).get(f"/submissions/uploads/{upload.pk}/").content.decode()
    assert "撤回" in page and "理由：口径错误" in page
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    assert not IndicatorValue.objects.filter(area__code="141122", year=2025, indicator__code="3")
    change = ValueChange.objects.filter(indicator__code="3", area__code="141122").first()
    assert (change.field, change.old, change.new, change.comment) == ("数值", "50", "", "口径错误")
    value_page = logged_in(jiaocheng_officer).get("/submissions/141122/2025/values/3/")
    assert "口径错误" in value_page.content.decode()


def test_a_progress_row_is_withdrawn_with_a_reason(jiaocheng_officer):
    from projects.models import ProjectProgress

    upload = preview(jiaocheng_officer, fill(template(), progress={"4-4-2": ("在建", 500, "")}))
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    upload = preview(
        jiaocheng_officer, fill(template(), progress={"4-4-2": ("撤回", None, "重复")})
    )
    row = next(r for r in upload.preview_rows("progress") if r["key"] == "4-4-2")
    assert row["action"] == "withdraw" and upload.changed == 1
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    assert not ProjectProgress.objects.filter(area__code="141122", year=2025).exists()


def test_the_preview_lists_rows_not_reported_and_rows_kept(jiaocheng_officer):
    upload = preview(jiaocheng_officer, fill(template(), {"3": (50, None, None)}))
    services.upload_confirm(user=jiaocheng_officer, upload=upload)

    def blank_3(workbook):
        sheet = workbook["指标填报"]
        row = next(r for r in range(4, 70) if sheet.cell(row=r, column=1).value == "3")
        sheet.cell(row=row, column=7).value = None

    upload = preview(jiaocheng_officer, fill(template(), {"28": (96, None, None)}, edit=blank_3))
    page = logged_in(jiaocheng_officer).get(f"/submissions/uploads/{upload.pk}/").content.decode()
    assert "留空、保留原值的指标（1 项）" in page and "第" in page
    kept = page.split('id="kept-indicators"')[1].split("</ul>")[0]
    assert "3 生态文明建设工作占党政实绩考核的比例：50" in kept
    unreported = page.split('id="unreported-indicators"')[1].split("</ul>")[0]
    assert " 2 " in unreported and " 28 " not in unreported
    assert "尚未填报进展的投资明细" in page
    assert IndicatorValue.objects.get(area__code="141122", year=2025, indicator__code="3").number


def test_submitting_with_blanks_needs_confirmation_and_an_empty_report_is_refused(
    jiaocheng_officer, bureau_user
):
    submission = services.submission_get_or_create(area=jiaocheng(), year=2025)
    with pytest.raises(services.SubmissionError, match="尚未填报任何数据，不能提交审核"):
        services.submission_submit(user=jiaocheng_officer, submission=submission)
    upload = preview(jiaocheng_officer, fill(template(), {"3": (50, None, None)}))
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    with pytest.raises(services.SubmissionError, match="还有47项指标、56行项目进展未填报"):
        services.submission_submit(user=jiaocheng_officer, submission=submission)
    page = logged_in(bureau_user).get("/submissions/141122/2025/").content.decode()
    assert "指标已填 1/48 项，项目进展已填 0/56 行" in page
    client = logged_in(jiaocheng_officer)
    client.post("/submissions/141122/2025/submit/")
    assert Submission.objects.get(pk=submission.pk).state == "draft"
    client.post("/submissions/141122/2025/submit/", {"incomplete_ok": "1"})
    assert Submission.objects.get(pk=submission.pk).state == "submitted"


def test_an_empty_report_cannot_be_approved(jiaocheng_officer, bureau_user):
    upload = preview(jiaocheng_officer, fill(template(), {"3": (50, None, None)}))
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    submission = Submission.objects.get(area__code="141122", year=2025)
    services.submission_submit(user=jiaocheng_officer, submission=submission, incomplete_ok=True)
    # Withdrawn while in review by the bureau (the county's routes are closed in review).
    value = IndicatorValue.objects.get(area__code="141122", year=2025, indicator__code="3")
    logged_in(bureau_user).post(
        f"/admin/indicators/indicatorvalue/{value.pk}/delete/", {"post": "yes"}
    )
    with pytest.raises(services.SubmissionError, match="尚未填报任何数据，不能审核通过"):
        services.submission_approve(user=bureau_user, submission=submission)


def test_every_review_step_is_recorded_including_going_back_to_draft(
    jiaocheng_officer, bureau_user
):
    upload = preview(jiaocheng_officer, fill(template(), {"3": (50, None, None)}))
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    submission = Submission.objects.get(area__code="141122", year=2025)
    services.submission_submit(user=jiaocheng_officer, submission=submission, incomplete_ok=True)
    services.submission_return(user=bureau_user, submission=submission, comment="3项请核实")
    upload = preview(jiaocheng_officer, fill(template(), {"3": (10, None, None)}))
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    events = list(
        submission.events.order_by("at", "pk").values_list("action", "from_state", "to_state")
    )
    assert events == [
        ("submit", "draft", "submitted"),
        ("return", "submitted", "returned"),
        ("resume", "returned", "draft"),
    ]
    page = logged_in(jiaocheng_officer).get("/submissions/141122/2025/").content.decode()
    assert "退回后继续填报（已退回修改 → 填报中）：通过“上传表格”保存了修改" in page


def test_the_template_and_the_preview_judge_on_the_areas_own_standard(jiaocheng_officer):
    StandardOverride.objects.create(
        indicator=Indicator.objects.get(code="29"), area=jiaocheng(), standard="≥18",
        rule={"kind": "threshold", "op": ">=", "value": "18"}, reason="平原地区标准",
    )  # fmt: skip
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(template()))["指标填报"]
    row = next(r for r in range(4, 70) if sheet.cell(row=r, column=1).value == "29")
    assert sheet.cell(row=row, column=4).value == "≥18（交城县标准）"
    upload = preview(jiaocheng_officer, fill(template(), {"29": (30, None, None)}))
    assert (rows(upload)["29"]["status_label"], rows(upload)["29"]["reason"]) == ("达标", "30 ≥ 18")
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    result = next(
        r for r in compliance(year=2025, area_codes=["141122"]).areas[0].indicators
        if r.indicator.code == "29"
    )  # fmt: skip
    assert result.assessment.reason == "30 ≥ 18"


def test_a_standard_change_that_alters_an_approved_year_is_recorded_on_it(
    jiaocheng_officer, bureau_user
):
    override = StandardOverride.objects.create(
        indicator=Indicator.objects.get(code="29"), area=jiaocheng(), standard="≥18",
        rule={"kind": "threshold", "op": ">=", "value": "18"}, reason="平原地区标准",
    )  # fmt: skip
    upload = preview(jiaocheng_officer, fill(template(), {"29": (30, None, None)}))
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    submission = Submission.objects.get(area__code="141122", year=2025)
    services.submission_submit(user=jiaocheng_officer, submission=submission, incomplete_ok=True)
    services.submission_approve(user=bureau_user, submission=submission)
    client = logged_in(bureau_user)
    response = client.post(
        f"/admin/indicators/standardoverride/{override.pk}/change/",
        {"indicator": override.indicator_id, "area": jiaocheng().pk, "standard": "≥50",
         "rule": '{"kind": "threshold", "op": ">=", "value": "50"}', "reason": "改按全市标准"},
    )  # fmt: skip
    assert response.status_code == 302
    event = SubmissionEvent.objects.get(submission=submission, action="standard")
    assert "指标29 达标 → 未达标" in event.comment and event.by == bureau_user
    assert event.from_state == event.to_state == "approved"
    page = client.get("/submissions/141122/2025/").content.decode()
    assert "标准变更影响已审核结果" in page and "指标29 达标 → 未达标" in page
    # A change that moves no approved result leaves no trace.
    client.post(
        f"/admin/indicators/standardoverride/{override.pk}/change/",
        {"indicator": override.indicator_id, "area": jiaocheng().pk, "standard": "≥50",
         "rule": '{"kind": "threshold", "op": ">=", "value": "50"}', "reason": "说明改写"},
    )  # fmt: skip
    assert SubmissionEvent.objects.filter(action="standard").count() == 1


def test_a_countys_value_over_demo_data_survives_clear_demo(jiaocheng_officer):
    demo_loaded()
    demo = IndicatorValue.objects.get(area__code="141122", year=2024, indicator__code="3")
    assert demo.source == "demo"
    content = fill(template(year=2024), {"3": (33, None, None)})
    upload = preview(jiaocheng_officer, content, year=2024)
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    demo_clear()
    value = IndicatorValue.objects.get(area__code="141122", year=2024, indicator__code="3")
    assert (value.value_text, value.source) == ("33", "upload")
    assert ("数值", demo.value_text, "33", "upload") in history("3", year=2024)


def test_clear_demo_never_touches_an_approved_year(bureau_user, tmp_path):
    demo_loaded()
    # 30 meets the demo's 平川区 bar (≥18) for 11.1, not the city's (≥50).
    services.report_save(
        area=jiaocheng(), year=2024, values=[services.ValueReport("11.1", text="30")],
        route="admin", user=bureau_user,
    )  # fmt: skip
    submission = services.submission_get_or_create(area=jiaocheng(), year=2024)
    Submission.objects.filter(pk=submission.pk).update(state=Submission.State.APPROVED)
    before = sorted(
        IndicatorValue.objects.filter(area__code="141122", year=2024).values_list(
            "indicator__code", "value_text", "source"
        )
    )
    report = demo_clear()
    after = sorted(
        IndicatorValue.objects.filter(area__code="141122", year=2024).values_list(
            "indicator__code", "value_text", "source"
        )
    )
    assert after == before and report.skipped >= len(before) - 1  # 11.1 is the bureau's
    assert not IndicatorValue.objects.filter(area__code="141122", year=2023).exists()
    # The demo area standard it removed moved that approved year's result: recorded there.
    event = SubmissionEvent.objects.get(submission=submission, action="standard")
    assert (
        "清除演示数据（地区指标值）：指标11 达标 → 未达标；指标11.1 达标 → 未达标" in event.comment
    )


BAD = {
    "3": ["九十", "120", "-1", "1.23456", "abc", "≥"],  # a share, 0–100
    "22": ["九十", "1e5", "12,34", "--5"],  # a rate
    "2": ["九十", "有效", "是"],  # a state (choice)
    "9": ["完成", "有效开展"],  # 是/否 (choice)
}


def _upload_messages(officer, code: str, text: str) -> list[str]:
    column = {"2": 8, "9": 8}.get(code, 7)
    cells = (None, text, None) if column == 8 else (text, None, None)
    upload = preview(officer, fill(template(), {code: cells}))
    return [e.split("列：", 1)[1] for e in upload.errors]


def _import_messages(bureau, code: str, text: str) -> list[str]:
    data = tablib.Dataset(
        headers=["area", "year", "indicator", "value_text", "choice", "note", "judgement"]
    )
    choice = code in {"2", "9"}
    data.append(["141122", 2025, code, "" if choice else text, text if choice else "", "", ""])
    result = ValueResource().import_data(data, dry_run=True, user=bureau)
    return [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=st.sampled_from([(code, text) for code, texts in BAD.items() for text in texts]))
def test_the_admin_import_refuses_exactly_what_the_upload_refuses(
    case, jiaocheng_officer, bureau_user
):
    code, text = case
    upload = _upload_messages(jiaocheng_officer, code, text)
    assert upload, f"the upload accepts {text!r} for {code}"
    assert _import_messages(bureau_user, code, text) == upload


def test_the_admin_form_refuses_what_the_upload_refuses_with_the_same_message(
    jiaocheng_officer, bureau_user
):
    message = _upload_messages(jiaocheng_officer, "3", "120")[0]
    response = logged_in(bureau_user).post(
        "/admin/indicators/indicatorvalue/add/",
        {"area": jiaocheng().pk, "year": 2025, "indicator": Indicator.objects.get(code="3").pk,
         "value_text": "120", "choice": "", "note": "", "judgement": ""},
    )  # fmt: skip
    assert response.status_code == 200 and message in response.content.decode()
    assert not IndicatorValue.objects.filter(area__code="141122", year=2025).exists()


def test_a_countys_correction_drops_the_judgement_of_the_old_value(jiaocheng_officer):
    demo_loaded()
    judged = (
        IndicatorValue.objects.filter(area__code="141122", year=2022)
        .exclude(judgement="")
        .select_related("indicator")
        .first()
    )
    assert judged is not None
    label = {"met": "已达标", "not_met": "未达标"}[judged.judgement]
    upload = preview(jiaocheng_officer, template(year=2022), year=2022)
    assert rows(upload)[judged.indicator.code]["action"] == "unchanged"
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    judged.refresh_from_db()
    assert judged.judgement  # unchanged value, judgement kept
    content = fill(template(year=2022), {judged.indicator.code: (12.5, None, None)})
    services.upload_confirm(user=jiaocheng_officer, upload=preview(jiaocheng_officer, content,
                                                                   year=2022))  # fmt: skip
    judged.refresh_from_db()
    assert (judged.value_text, judged.judgement) == ("12.5", "")
    assert ("记录的达标情况", label, "", "upload") in history(judged.indicator.code, year=2022)


DEMO_DIGEST = """
import hashlib, json, os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "lvliang_eco.settings"
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from lvliang_eco.seed import seed_load
from lvliang_eco.demo import demo_load
from indicators.models import IndicatorValue
from projects.models import ProjectProgress
seed_load(); demo_load()
rows = sorted(map(list, IndicatorValue.objects.values_list(
    "area__code", "year", "indicator__code", "value_text", "state", "flag", "judgement")))
rows += sorted(map(list, ProjectProgress.objects.values_list(
    "area__code", "year", "investment_row_id", "status", "completed_amount")))
print(hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest())
"""


def test_the_demo_data_is_the_same_whatever_the_hash_seed(tmp_path):
    digests = []
    for seed in ("1", "4242"):
        env = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "DATABASE_URL": f"sqlite:///{tmp_path / f'demo-{seed}.sqlite3'}",
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        }
        out = subprocess.run(
            [sys.executable, "-c", DEMO_DIGEST], env=env, capture_output=True, text=True,
            timeout=300, check=True,
        )  # fmt: skip
        digests.append(out.stdout.strip().splitlines()[-1])
    assert digests[0] == digests[1] and len(digests[0]) == 64


def test_loading_the_demo_twice_writes_nothing_the_second_time(settings):
    settings.DEBUG = True
    demo_load()
    changes = ValueChange.objects.count()
    report = demo_load()
    assert (report.values, report.progress) == (0, 0)
    assert ValueChange.objects.count() == changes
    call_command("load_demo", stdout=io.StringIO())
    assert ValueChange.objects.count() == changes
