"""Accounts: create_user, password validators on every route that sets a password, login
throttling, demo logins outside a demo, and user management by bureau staff in the admin."""

from io import StringIO
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from counties.models import CountyAssignment
from counties.roles import Role, role_of
from counties.services import DEMO_GROUP
from tests.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db

GOOD = "Lüliang-river-2031"


def create_user(*args: str, stdin: str = GOOD + "\n") -> str:
    out = StringIO()
    call_command("create_user", *args, stdin=StringIO(stdin), stdout=out)
    return out.getvalue()


def login(client: Client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


# create_user


def test_it_creates_a_county_officer_with_the_password_from_standard_input():
    out = create_user("zhang", "--role", "county", "--area", "141122", "--name", "张三")
    assert "已创建用户 zhang：县区分局（交城县）" in out
    user = User.objects.get(username="zhang")
    assert role_of(user) == Role.COUNTY and user.county_assignment.area.code == "141122"
    assert user.check_password(GOOD) and user.first_name == "张三"


def test_it_needs_a_county_for_a_county_officer():
    with pytest.raises(CommandError, match="须用 --area 指定"):
        create_user("li", "--role", "county")
    assert not User.objects.filter(username="li").exists()


def test_it_takes_no_password_argument():
    with pytest.raises(CommandError, match="--password"):
        call_command("create_user", "wang", "--role", "bureau", "--password", GOOD)
    assert not User.objects.filter(username="wang").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [("1", "密码长度太短"), ("12345678901234", "密码只包含数字"), ("password123", "太常见")],
)
def test_it_refuses_a_password_the_validators_refuse(password, message):
    with pytest.raises(CommandError, match=message):
        create_user("wang", "--role", "bureau", stdin=password + "\n")
    assert not User.objects.filter(username="wang").exists()


def test_it_refuses_an_empty_standard_input():
    with pytest.raises(CommandError, match="标准输入中没有密码"):
        create_user("wang", "--role", "bureau", stdin="")


def test_it_asks_twice_at_a_terminal_and_refuses_two_different_passwords():
    terminal = mock.Mock(isatty=lambda: True)
    with mock.patch("getpass.getpass", side_effect=[GOOD, GOOD + "x"]):
        with pytest.raises(CommandError, match="两次输入的密码不一致"):
            call_command("create_user", "wang", "--role", "bureau", stdin=terminal)
    with mock.patch("getpass.getpass", side_effect=[GOOD, GOOD]):
        call_command("create_user", "wang", "--role", "bureau", stdin=terminal, stdout=StringIO())
    assert User.objects.get(username="wang").check_password(GOOD)


def test_it_refuses_to_change_an_existing_user_without_update(bureau_user):
    with pytest.raises(CommandError, match=r"已存在.*--update"):
        create_user(bureau_user.username, "--role", "county", "--area", "141122")
    bureau_user.refresh_from_db()
    assert role_of(User.objects.get(pk=bureau_user.pk)) == Role.BUREAU
    assert bureau_user.is_staff and bureau_user.check_password(PASSWORD)
    assert not CountyAssignment.objects.filter(user=bureau_user).exists()


def test_it_changes_an_existing_user_with_update(bureau_user):
    out = create_user(bureau_user.username, "--role", "county", "--area", "141122", "--update")
    assert f"已修改用户 {bureau_user.username}：县区分局（交城县）" in out
    user = User.objects.get(pk=bureau_user.pk)
    assert role_of(user) == Role.COUNTY and not user.is_staff
    assert user.check_password(GOOD)


# Login throttling


def test_it_locks_a_login_after_five_wrong_passwords_even_for_the_right_one(jiaocheng_officer):
    client = Client()
    for _ in range(4):
        assert login(client, jiaocheng_officer.username, "wrong-guess").status_code == 200
    locked = login(client, jiaocheng_officer.username, "wrong-guess")
    assert locked.status_code == 429
    assert (
        "登录已暂时锁定" in locked.content.decode() and "15 分钟后再试" in locked.content.decode()
    )
    right = login(client, jiaocheng_officer.username, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_does_not_lock_the_same_login_from_another_address(jiaocheng_officer):
    stranger = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(6):
        login(stranger, jiaocheng_officer.username, "wrong-guess")
    officer = Client(REMOTE_ADDR="10.1.1.1")
    assert login(officer, jiaocheng_officer.username, PASSWORD).status_code == 302
    assert AccessAttempt.objects.filter(ip_address="10.9.9.9").exists()


def test_it_forgets_failures_after_a_successful_login(jiaocheng_officer):
    client = Client()
    for _ in range(4):
        login(client, jiaocheng_officer.username, "wrong-guess")
    assert login(client, jiaocheng_officer.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, jiaocheng_officer.username, "wrong-guess").status_code == 200


# Demo logins outside a demo


@pytest.fixture
def demo_logins(settings):
    settings.DEBUG = True
    call_command("create_demo_users", stdout=StringIO())
    settings.DEBUG = False


def test_it_refuses_demo_logins_with_debug_off(demo_logins):
    response = login(Client(), "jiaocheng", "lvliang-demo-2025")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_it_accepts_demo_logins_with_debug_on(demo_logins, settings):
    settings.DEBUG = True
    assert login(Client(), "jiaocheng", "lvliang-demo-2025").status_code == 302


def test_it_refuses_load_demo_with_debug_off(settings):
    from indicators.models import IndicatorValue

    settings.DEBUG = False
    before = IndicatorValue.objects.count()
    with pytest.raises(CommandError, match="DEBUG 已关闭"):
        call_command("load_demo", stdout=StringIO())
    assert IndicatorValue.objects.count() == before


def test_it_removes_demo_logins_with_clear_demo(demo_logins, bureau_user):
    out = StringIO()
    call_command("clear_demo", stdout=out)
    assert "已删除演示账号 15 个" in out.getvalue()
    assert not User.objects.filter(groups__name=DEMO_GROUP).exists()
    assert not User.objects.filter(username__in=["bureau", "leader", "jiaocheng"]).exists()
    assert User.objects.filter(pk=bureau_user.pk).exists()


def test_it_warns_in_the_checks_while_demo_logins_remain(demo_logins):
    from lvliang_eco.checks import demo_logins_absent

    warnings = demo_logins_absent()
    assert [w.id for w in warnings] == ["lvliang_eco.W001"]
    assert "clear_demo" in warnings[0].hint
    call_command("clear_demo", stdout=StringIO())
    assert demo_logins_absent() == []


# Users managed by bureau staff in the admin


def test_it_lets_bureau_staff_add_a_county_officer_in_the_admin(bureau_user):
    client = logged_in(bureau_user)
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "zhao",
            "first_name": "赵六",
            "password1": GOOD,
            "password2": GOOD,
            "role": "county",
            "area": CountyAssignment._meta.get_field("area")
            .related_model.objects.get(code="141123")
            .pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="zhao")
    assert role_of(user) == Role.COUNTY and user.county_assignment.area.code == "141123"
    assert not user.is_staff and user.check_password(GOOD)


def test_it_refuses_a_weak_password_and_a_county_officer_without_county_in_the_admin(
    bureau_user,
):
    client = logged_in(bureau_user)
    response = client.post(
        "/admin/auth/user/add/",
        {"username": "zhao", "password1": "1", "password2": "1", "role": "county"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "密码长度太短" in text and "县区分局用户必须指定所属县" in text
    assert not User.objects.filter(username="zhao").exists()


def test_it_validates_the_password_set_in_the_admin(bureau_user, jiaocheng_officer):
    client = logged_in(bureau_user)
    url = f"/admin/auth/user/{jiaocheng_officer.pk}/password/"
    response = client.post(url, {"password1": "123", "password2": "123"})
    assert response.status_code == 200 and "密码长度太短" in response.content.decode()
    response = client.post(url, {"password1": GOOD, "password2": GOOD})
    assert response.status_code == 302
    assert User.objects.get(pk=jiaocheng_officer.pk).check_password(GOOD)


def test_it_moves_an_officer_to_another_role_in_the_admin(bureau_user, jiaocheng_officer):
    client = logged_in(bureau_user)
    response = client.post(
        f"/admin/auth/user/{jiaocheng_officer.pk}/change/",
        {
            "username": jiaocheng_officer.username,
            "first_name": "",
            "email": "",
            "is_active": "on",
            "role": "leadership",
            "area": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(pk=jiaocheng_officer.pk)
    assert role_of(user) == Role.LEADERSHIP
    assert not CountyAssignment.objects.filter(user=user).exists()


def test_it_keeps_superusers_and_superuser_rights_out_of_bureau_staff_reach(bureau_user):
    boss = User.objects.create_superuser("root", password=GOOD)
    client = logged_in(bureau_user)
    listing = client.get("/admin/auth/user/").content.decode()
    assert bureau_user.username in listing and ">root<" not in listing
    assert client.get(f"/admin/auth/user/{boss.pk}/change/").status_code == 302
    form = client.get(f"/admin/auth/user/{bureau_user.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in form and 'name="user_permissions"' not in form


def test_it_refuses_user_management_to_officers_and_leadership(jiaocheng_officer, leader):
    for user in (jiaocheng_officer, leader):
        response = logged_in(user).get("/admin/auth/user/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_staff_flag_alone_does_not_open_the_admin(jiaocheng_officer, leader):
    """The admin asks the access module (role bureau), not Django's is_staff: a leader or an
    officer flagged staff by hand (shell, database) still gets no admin page and no import."""
    for user in (jiaocheng_officer, leader):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        client = logged_in(user)
        for url in ("/admin/", "/admin/indicators/indicator/", "/admin/auth/user/"):
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], url


# Users change their own password


def test_it_validates_a_users_own_new_password(jiaocheng_officer):
    client = logged_in(jiaocheng_officer)
    weak = {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"}
    response = client.post("/password/", weak)
    assert response.status_code == 200 and "密码长度太短" in response.content.decode()
    strong = {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD}
    assert client.post("/password/", strong).status_code == 302
    assert User.objects.get(pk=jiaocheng_officer.pk).check_password(GOOD)
