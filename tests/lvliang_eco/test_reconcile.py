import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from indicators.models import DeclaredFigure, Indicator, IndicatorValue
from tests.conftest import logged_in
from tests.fixtures.seedfiles import read

pytestmark = pytest.mark.django_db

DOMAINS = ["生态制度", "生态安全", "生态空间", "生态经济", "生态生活", "生态文化"]


def run(*args: str) -> str:
    out = StringIO()
    call_command("reconcile", *args, stdout=out)
    return out.getvalue()


def checks() -> dict[str, dict]:
    return {c["key"]: c for c in json.loads(run("--format", "json"))}


def test_it_checks_every_declared_figure():
    keys = set(checks())
    required = {
        "indicator_count",
        "binding_count",
        "reference_count",
        "project_group_count",
        "investment_total",
        "government_investment_total",
    }
    for domain in DOMAINS:
        required |= {
            f"project_group_count:{domain}",
            f"investment_total:{domain}",
            f"government_investment_total:{domain}",
        }
    assert required <= keys
    declared = {k for k in keys if not k.startswith("prose")}
    assert declared == set(DeclaredFigure.objects.values_list("key", flat=True))


def test_it_reports_where_the_document_disagrees_with_itself():
    result = checks()
    assert result["binding_count"] | {"detail": ""} == {
        "key": "binding_count",
        "declared": 22,
        "computed": 19,
        "ok": False,
        "detail": "",
        "line": 125,
        "label": "二（六）建设指标：其中约束性指标22项",
    }
    assert result["project_group_count:生态安全"]["computed"] == 25
    assert "序号“8”重复出现" in result["project_group_count:生态安全"]["detail"]
    assert (
        result["investment_total:生态制度"]["declared"],
        result["investment_total:生态制度"]["computed"],
    ) == (4146, 4164)
    assert result["investment_total:生态制度"]["ok"] is False


def test_it_confirms_what_agrees():
    result = checks()
    for key in [
        "indicator_count",
        "investment_total:生态安全",
        "government_investment_total:生态经济",
    ]:
        assert result[key]["ok"] is True, key
    assert result["investment_total_text"]["computed"] == 1632.9


def test_it_follows_the_data_not_a_stored_answer():
    Indicator.objects.filter(number=9).update(attribute=Indicator.Attribute.BINDING)
    result = checks()
    assert result["binding_count"]["computed"] == 20
    assert result["reference_count"]["computed"] == 20


def test_a_disagreement_is_a_finding_not_a_failure():
    text = run("--format", "table")  # call_command raises on a non-zero exit
    assert "不一致" in text
    assert f"共 {44 + len(read('prose_figures.csv')) + 7} 项核对" in text


def prose() -> dict[str, dict]:
    return {k: c for k, c in checks().items() if k.startswith("prose")}


def test_it_lists_every_figure_the_text_states_about_an_indicator_with_its_line():
    rows = read("prose_figures.csv")
    stated = [c for k, c in prose().items() if k.startswith("prose:")]
    assert len(stated) == len(rows) == 65
    assert sorted(c["line"] for c in stated) == sorted(int(r["line"]) for r in rows)
    listed = [c for c in stated if c["ok"] is None]
    assert len(listed) == sum(1 for r in rows if r["scope"])
    assert all(c["detail"].startswith("口径不同，不与表1比对") for c in listed)


@pytest.mark.parametrize(
    ("key", "declared", "computed", "detail"),
    [
        # 三（二）3: 农村生活污水治理率 2025年达到30%; Table 1's 2025 target is ≥45.
        ("prose:1016:29", 30, 45, "表1 2025年目标为“≥45”（≥45），不同：原文此处为≥30%"),
        # 表2 生态安全 17 效益分析: 综合利用率≥80%; Table 1's 26 asks a rise (提高幅度).
        ("prose:1936:26", 80, None, "不是数值标准；原文此处为≥80%"),
        # 表2 生态安全 18: 生活垃圾无害化处理率≥80%; Table 1's 30 is ≥95.
        ("prose:1958:30", 80, 95, "表1指标值为“≥95”（≥95），不同：原文此处为≥80%"),
        # 三（二）7 森林覆盖率达到35%以上 against 三（四）4 森林覆盖率达到27％ (2025).
        ("prose-self:1068:11.1:bar", 35, 27, "第1068行“确保全市森林覆盖率达到35%以上”；第1162行"),
    ],
)
def test_it_reports_each_figure_that_contradicts_table_1_or_the_text(
    key, declared, computed, detail
):
    check = prose()[key]
    assert (check["declared"], check["computed"], check["ok"]) == (declared, computed, False)
    assert detail in check["detail"]


def test_it_counts_four_disagreements_among_the_prose_figures():
    assert sorted(k for k, c in prose().items() if c["ok"] is False) == [
        "prose-self:1068:11.1:bar", "prose:1016:29", "prose:1936:26", "prose:1958:30",
    ]  # fmt: skip


def test_a_prose_figure_agrees_at_the_coarser_printed_precision():
    check = prose()["prose:24:8.1:2"]  # 优良比例93.33% against Table 1's text 比例93.3%
    assert (check["declared"], check["computed"], check["ok"]) == (93.33, 93.3, True)


def test_prose_checks_follow_table_1_not_a_stored_answer():
    Indicator.objects.filter(code="29").update(
        target_2025="≥30", target_2025_rule={"kind": "threshold", "op": ">=", "value": "30"}
    )
    IndicatorValue.objects.filter(area__code="141100", year=2022, indicator__code="28").update(
        number=Decimal("97.1")
    )
    result = prose()
    assert result["prose:1016:29"]["ok"] is True
    assert result["prose:42:28"]["ok"] is False  # 96.49 stated, 97.1 now on record


def test_the_quality_page_lists_the_prose_figures_and_their_disagreements(leader):
    page = logged_in(leader).get("/quality/").content.decode()
    table = page.split('id="prose"')[1].split("</table>")[0]
    assert table.count("<tr") == 1 + 65 + 7
    assert "1936" in table and "综合利用率≥80%" in table
    assert "4 个与表1或原文别处不一致" in page
    assert "binding_count" not in page.split('id="reconcile"')[1].split("</table>")[0]
