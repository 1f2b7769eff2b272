import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import InvestmentRow
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

CHANGELISTS = {
    "/admin/counties/area/": "离石区",
    "/admin/counties/countyassignment/": "所属县（市、区）",
    "/admin/indicators/domain/": "生态经济",
    "/admin/indicators/taskarea/": "观念意识普及",
    "/admin/indicators/indicator/?task__domain__id__exact=1": "河长制",
    "/admin/indicators/indicatorvalue/?year=2022&binding=约束性": "96.49",
    "/admin/indicators/declaredfigure/": "64类项目",
    "/admin/projects/projectgroup/?q=风电": "清洁能源产业重点项目",
    "/admin/projects/investmentrow/?scope__exact=unresolved": "其他自然保护地等",
    "/admin/projects/projectindicatorlink/": "水环境质量",
    "/admin/indicators/standardoverride/": "地区指标值",
    "/admin/indicators/constructionstandardrule/": "参考性指标达标比例不低于80%",
    "/admin/counties/plangoal/": "30%以上的县（市、区）",
    "/admin/counties/milestone/?kind=plan_published": "生态文明建设规划",
}


@pytest.mark.parametrize(("url", "content"), CHANGELISTS.items())
def test_bureau_staff_browse_every_model_in_chinese(bureau_user, url, content):
    response = logged_in(bureau_user).get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert content in text
    assert "导入" in text and "导出" in text


def test_the_binding_filter_keeps_sub_indicators_of_binding_indicators(bureau_user):
    text = (
        logged_in(bureau_user)
        .get("/admin/indicators/indicatorvalue/?binding=参考性&year=2022")
        .content.decode()
    )
    assert "61.21" in text  # 11.1, sub-indicator of reference indicator 11
    assert "87.4" not in text  # 7.1, sub-indicator of binding indicator 7


def test_an_admin_import_with_a_bad_cell_says_where_and_changes_nothing(bureau_user):
    header = (
        "domain,group,order,subcategory,content,benefit,amount,place,place_detail,"
        "years,funding_source,responsible_unit,line\n"
    )
    body = "生态制度,1,4,,,,-392,离石区、柳林县、兴县、临县,,2025,,,1320\n"
    upload = SimpleUploadedFile("rows.csv", (header + body).encode(), content_type="text/csv")
    before = InvestmentRow.objects.get(group__domain__name="生态制度", group__order=1, order=4)
    response = logged_in(bureau_user).post(
        "/admin/projects/investmentrow/import/",
        {"resource": "0", "format": "0", "import_file": upload},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "投资概算不能为负数" in text
    after = InvestmentRow.objects.get(pk=before.pk)
    assert (after.amount_printed, after.amount) == ("392", before.amount)


def indicator_form(indicator, **changes) -> dict:
    import json

    data = {
        "code": indicator.code,
        "number": indicator.number or "",
        "parent": indicator.parent_id or "",
        "task": indicator.task_id,
        "order": indicator.order,
        "name": indicator.name,
        "unit": indicator.unit,
        "attribute": indicator.attribute,
        "note": indicator.note,
        "standard": indicator.standard,
        "target_2025": indicator.target_2025,
        "target_2030": indicator.target_2030,
        "good_direction": indicator.good_direction,
        "standard_rule": json.dumps(indicator.standard_rule, ensure_ascii=False),
        "target_2025_rule": json.dumps(indicator.target_2025_rule, ensure_ascii=False),
        "target_2030_rule": json.dumps(indicator.target_2030_rule, ensure_ascii=False),
        "rule_note": indicator.rule_note,
        "benefit_aliases": indicator.benefit_aliases,
        "source_line": indicator.source_line or "",
    }
    data.update(changes)
    return data


def test_staff_edit_a_rule_and_a_reload_keeps_it(bureau_user):
    from indicators.models import Indicator
    from lvliang_eco.seed import seed_load

    indicator = Indicator.objects.get(code="29")
    url = f"/admin/indicators/indicator/{indicator.pk}/change/"
    rule = '{"kind": "threshold", "op": ">=", "value": "40"}'
    response = logged_in(bureau_user).post(url, indicator_form(indicator, standard_rule=rule))
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.standard_rule == {"kind": "threshold", "op": ">=", "value": "40"}
    assert indicator.rule_locked is True
    seed_load()
    indicator.refresh_from_db()
    assert indicator.standard_rule["value"] == "40"
    assert indicator.standard == "≥50"  # the printed text is untouched


def test_a_malformed_rule_is_refused_in_chinese(bureau_user):
    from indicators.models import Indicator

    indicator = Indicator.objects.get(code="29")
    url = f"/admin/indicators/indicator/{indicator.pk}/change/"
    bad = '{"kind": "threshold", "op": ">=", "value": "五十"}'
    response = logged_in(bureau_user).post(url, indicator_form(indicator, standard_rule=bad))
    assert response.status_code == 200
    assert "规则的 value 应为数字，实际为“五十”" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.standard_rule["value"] == "50"
    assert indicator.rule_locked is False


def test_the_construction_rule_can_be_changed_but_not_added_or_deleted(bureau_user):
    from indicators.models import ConstructionStandardRule

    client = logged_in(bureau_user)
    rule = ConstructionStandardRule.objects.get()
    assert client.get("/admin/indicators/constructionstandardrule/add/").status_code == 403
    assert (
        client.get(f"/admin/indicators/constructionstandardrule/{rule.pk}/delete/").status_code
        == 403
    )
    response = client.post(
        f"/admin/indicators/constructionstandardrule/{rule.pk}/change/",
        {"reference_min_share": "1.5", "basis": rule.basis},
    )
    assert "确保该值小于或等于1" in response.content.decode()
    client.post(
        f"/admin/indicators/constructionstandardrule/{rule.pk}/change/",
        {"reference_min_share": "0.90", "basis": rule.basis},
    )
    rule.refresh_from_db()
    assert str(rule.reference_min_share) == "0.90"
