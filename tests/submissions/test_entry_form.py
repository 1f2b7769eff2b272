"""The browser entry form: the template's rows, the one write path, errors beside the cells."""

import html
import re

import pytest

from indicators.models import IndicatorValue
from submissions.models import Submission, ValueChange
from tests.conftest import logged_in

from .helpers import Typed, by_upload, jiaocheng

pytestmark = pytest.mark.django_db
URL = "/submissions/141122/2025/form/"


def base_of(page: str, prefix: str) -> str:
    return html.unescape(re.search(rf'name="{re.escape(prefix)}-base" value="([^"]*)"', page)[1])


def test_it_shows_every_row_of_the_template_with_its_inputs(jiaocheng_officer):
    page = logged_in(jiaocheng_officer).get(URL).content.decode()
    assert "交城县 2025年网页填报" in page
    for code in ("1", "7.1", "26", "40"):
        assert f'id="row-{code}"' in page, code
    assert 'name="v-28-text"' in page and 'inputmode="decimal"' in page
    assert re.search(r'<select name="v-2-choice"[^>]*>.*?<option>有效开展</option>', page, re.S)
    assert 'name="v-7-text"' not in page  # a parent row is filled through its sub-indicators
    assert 'id="progress-' in page and 'name="p-' in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("xingxian_officer", 403), ("leader", 403), ("bureau_user", 200)],
)
def test_only_the_county_and_the_bureau_may_open_or_post_it(request, persona, status):
    client = logged_in(request.getfixturevalue(persona))
    assert client.get(URL).status_code == status
    response = client.post(URL, {"v-28-text": "99", "v-28-choice": "", "v-28-note": "",
                                 "v-28-base": "\x1f\x1f"})  # fmt: skip
    assert response.status_code == (403 if status == 403 else 302)
    stored = IndicatorValue.objects.filter(area__code="141122", year=2025, indicator__code="28")
    assert stored.exists() == (status == 200)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_saves_through_the_write_path_and_shows_the_status(jiaocheng_officer):
    client = logged_in(jiaocheng_officer)
    page = client.get(URL).content.decode()
    response = client.post(
        URL, {"v-28-text": "96.5", "v-28-choice": "", "v-28-note": "住建局数据",
              "v-28-base": base_of(page, "v-28")},
    )  # fmt: skip
    assert response.status_code == 302
    value = IndicatorValue.objects.get(area__code="141122", year=2025, indicator__code="28")
    assert (value.value_text, value.number, value.note, value.source) == (
        "96.5", 96.5, "住建局数据", "upload",
    )  # fmt: skip
    ours = ValueChange.objects.filter(area__code="141122", year=2025)
    assert set(ours.values_list("via", flat=True)) == {"form"}
    page = client.get(URL).content.decode()
    row = page.split('id="row-28"')[1].split("</tr>")[0]
    assert "96.5 ≥ 95" in row and "达标" in row and "已保存：新增 1 项" in page


def test_a_bad_cell_is_explained_beside_it_and_nothing_is_saved(jiaocheng_officer):
    client = logged_in(jiaocheng_officer)
    page = client.get(URL).content.decode()
    response = client.post(
        URL, {"v-28-text": "九十六", "v-28-choice": "", "v-28-note": "",
              "v-28-base": base_of(page, "v-28"),
              "v-3-text": "25", "v-3-choice": "", "v-3-note": "", "v-3-base": base_of(page, "v-3")},
    )  # fmt: skip
    assert response.status_code == 400
    row = response.content.decode().split('id="row-28"')[1].split("</tr>")[0]
    assert 'aria-invalid="true"' in row and 'class="field-error"' in row
    assert 'value="九十六"' in row  # what was typed stays to be corrected
    assert not IndicatorValue.objects.filter(area__code="141122", year=2025).exists()


def test_a_value_typed_in_the_form_is_stored_as_the_same_value_uploaded(jiaocheng_officer):
    """Identical stored rows and history, apart from the route."""
    client = logged_in(jiaocheng_officer)
    page = client.get(URL).content.decode()
    client.post(URL, {"v-3-text": "25", "v-3-choice": "", "v-3-note": "组织部",
                      "v-3-base": base_of(page, "v-3")})  # fmt: skip
    by_form = IndicatorValue.objects.get(area__code="141122", year=2025, indicator__code="3")
    ours = ValueChange.objects.filter(area__code="141122", year=2025)
    form_history = list(ours.values_list("field", "old", "new"))
    fields = ("value_text", "number", "state", "flag", "note", "judgement", "source")
    stored = {f: getattr(by_form, f) for f in fields}
    by_form.delete()
    ours.delete()
    by_upload(jiaocheng_officer, "3", Typed("25", note="组织部"))
    uploaded = IndicatorValue.objects.get(area__code="141122", year=2025, indicator__code="3")
    assert {f: getattr(uploaded, f) for f in fields} == stored
    assert list(ours.values_list("field", "old", "new")) == form_history
    assert set(ours.values_list("via", flat=True)) == {"upload"}


def test_a_submitted_year_cannot_be_changed_in_the_form(jiaocheng_officer):
    Submission.objects.create(area=jiaocheng(), year=2025, state=Submission.State.SUBMITTED)
    client = logged_in(jiaocheng_officer)
    page = client.get(URL).content.decode()
    assert 'id="form-locked"' in page and 'id="save-draft"' not in page
    response = client.post(URL, {"v-28-text": "99", "v-28-choice": "", "v-28-note": "",
                                 "v-28-base": "\x1f\x1f"})  # fmt: skip
    assert response.status_code == 400
    assert not IndicatorValue.objects.filter(area__code="141122", year=2025).exists()


def test_a_withdrawal_needs_a_reason_written_now_not_the_old_note(jiaocheng_officer):
    client = logged_in(jiaocheng_officer)
    page = client.get(URL).content.decode()
    client.post(URL, {"v-28-text": "96", "v-28-choice": "", "v-28-note": "住建局数据",
                      "v-28-base": base_of(page, "v-28")})  # fmt: skip
    page = client.get(URL).content.decode()
    response = client.post(URL, {"v-28-text": "撤回", "v-28-choice": "", "v-28-note": "住建局数据",
                                 "v-28-base": base_of(page, "v-28")})  # fmt: skip
    assert response.status_code == 400
    assert "须在备注中写明理由" in response.content.decode()
    assert IndicatorValue.objects.filter(area__code="141122", year=2025, indicator__code="28")
    response = client.post(URL, {"v-28-text": "撤回", "v-28-choice": "", "v-28-note": "数据重复",
                                 "v-28-base": base_of(page, "v-28")})  # fmt: skip
    assert response.status_code == 302
    assert not IndicatorValue.objects.filter(area__code="141122", year=2025, indicator__code="28")


def test_emptying_a_reported_value_explains_how_to_withdraw_and_keeps_it(jiaocheng_officer):
    client = logged_in(jiaocheng_officer)
    page = client.get(URL).content.decode()
    client.post(URL, {"v-28-text": "96", "v-28-choice": "", "v-28-note": "住建局数据",
                      "v-28-base": base_of(page, "v-28")})  # fmt: skip
    page = client.get(URL).content.decode()
    response = client.post(URL, {"v-28-text": "", "v-28-choice": "", "v-28-note": "住建局数据",
                                 "v-28-base": base_of(page, "v-28")})  # fmt: skip
    assert response.status_code == 400
    row = html.unescape(response.content.decode().split('id="row-28"')[1].split("</tr>")[0])
    assert "清空不会删除已报的数值" in row and "请填“撤回”并在备注写明理由" in row
    value = IndicatorValue.objects.get(area__code="141122", year=2025, indicator__code="28")
    assert value.value_text == "96"
