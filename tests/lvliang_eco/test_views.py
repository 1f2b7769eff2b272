import pytest
from django.test import Client
from django.urls import reverse

from projects.models import InvestmentRow, ProjectGroup
from tests.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_the_login_page_is_in_chinese(client):
    response = client.get("/login/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "登录" in text and "用户名" in text and "密码" in text


def test_a_wrong_password_gets_a_chinese_message(client, leader):
    response = client.post("/login/", {"username": leader.username, "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_a_right_password_leads_the_leadership_to_the_overview(client, leader):
    response = client.post("/login/", {"username": leader.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("submissions:todo")  # each role's start page
    assert client.get(response["Location"])["Location"] == reverse("overview")


@pytest.mark.parametrize(
    "persona", ["bureau_user", "jiaocheng_officer", "xingxian_officer", "leader"]
)
def test_every_role_sees_the_plans_own_data(request, persona):
    client = logged_in(request.getfixturevalue(persona))
    text = client.get("/plan/").content.decode()
    assert "<h1>规划数据</h1>" in text
    assert "<strong>40</strong> 项考核指标，其中约束性 <strong>19</strong> 项" in text
    assert "<strong>65</strong> 项重点工程" in text
    assert "1,632.90" in text  # 亿元, from the rows
    for name in ["生态制度", "生态文化", "环境空气质量", "优良天数比例", "清洁能源产业重点项目"]:
        assert name in text
    assert "87.4，考核要求持续改善" in text


def test_the_overview_shows_the_role_of_who_is_logged_in(jiaocheng_officer):
    text = logged_in(jiaocheng_officer).get("/").content.decode()
    assert "县区分局·交城县" in text
    assert "管理后台" not in text


def test_the_plan_page_shows_domain_totals_beside_table_3(bureau_user):
    text = logged_in(bureau_user).get("/plan/").content.decode()
    assert "合计 4,164 万元（政府 4,164 万元；表3声明 4,146 万元）" in text
    assert "9 行未列金额（--）" in text


def test_the_overview_reads_in_a_fixed_number_of_queries(
    bureau_user, no_page_cache, django_assert_max_num_queries
):
    client = logged_in(bureau_user)
    client.get("/")
    with django_assert_max_num_queries(30) as first:
        client.get("/plan/")
    group = ProjectGroup.objects.create(
        domain=ProjectGroup.objects.first().domain, order=99, number="99", name="新增工程"
    )
    for order in range(1, 11):
        InvestmentRow.objects.create(
            group=group, order=order, amount_printed="1", amount=1, amount_kind="given"
        )
    with django_assert_max_num_queries(len(first)) as second:
        client.get("/plan/")
    assert len(second) == len(first)


def test_logging_out_takes_a_post_and_ends_the_session(leader):
    client = logged_in(leader)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("persona", ["jiaocheng_officer", "xingxian_officer", "leader"])
def test_only_bureau_staff_enter_the_admin(request, persona):
    client = logged_in(request.getfixturevalue(persona))
    response = client.get("/admin/indicators/indicatorvalue/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/indicators/indicatorvalue/"


def test_an_anonymous_visitor_cannot_enter_the_admin():
    response = Client().get("/admin/projects/investmentrow/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/admin/projects/investmentrow/"
