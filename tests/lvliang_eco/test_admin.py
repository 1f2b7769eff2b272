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
