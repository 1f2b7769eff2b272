from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from counties.models import CountyAssignment
from counties.roles import Role, role_of

pytestmark = pytest.mark.django_db


def test_it_creates_one_login_per_role_and_county_and_prints_them(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("create_demo_users", "--password", "pw-123-demo", stdout=out)
    text = out.getvalue()
    assert "密码均为 pw-123-demo" in text
    assert "jiaocheng" in text and "县区分局（交城县）" in text
    assert role_of(User.objects.get(username="bureau")) == Role.BUREAU
    assert role_of(User.objects.get(username="leader")) == Role.LEADERSHIP
    assignments = CountyAssignment.objects.select_related("user", "area")
    assert assignments.count() == 13
    assert {a.area.code for a in assignments} == {
        "141102", "141121", "141122", "141123", "141124", "141125", "141126",
        "141127", "141128", "141129", "141130", "141181", "141182",
    }  # fmt: skip
    assert User.objects.get(username="jiaocheng").check_password("pw-123-demo")


def test_only_bureau_staff_may_enter_the_admin(settings):
    settings.DEBUG = True
    call_command("create_demo_users", stdout=StringIO())
    staff = set(User.objects.filter(is_staff=True).values_list("username", flat=True))
    assert staff == {"bureau"}


def test_running_it_again_resets_and_does_not_duplicate(settings):
    settings.DEBUG = True
    call_command("create_demo_users", "--password", "first-pass-1", stdout=StringIO())
    call_command("create_demo_users", "--password", "second-pass-2", stdout=StringIO())
    assert User.objects.filter(username="xingxian").count() == 1
    assert User.objects.get(username="xingxian").check_password("second-pass-2")
    assert CountyAssignment.objects.count() == 13


def test_it_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG 已关闭"):
        call_command("create_demo_users", stdout=StringIO())
    assert not User.objects.filter(username="bureau").exists()


def test_leadership_gets_view_permissions_only(settings):
    settings.DEBUG = True
    call_command("create_demo_users", stdout=StringIO())
    leader = User.objects.get(username="leader")
    assert leader.has_perm("projects.view_investmentrow")
    assert not leader.has_perm("projects.change_investmentrow")
    assert not User.objects.get(username="fenyang").has_perm("projects.view_investmentrow")


def test_bureau_staff_set_the_reporting_periods_in_the_admin(bureau_user):
    from tests.conftest import logged_in

    client = logged_in(bureau_user)
    assert client.get("/admin/submissions/reportingperiod/add/").status_code == 200
    response = client.post(
        "/admin/submissions/reportingperiod/add/",
        {"year": 2025, "due_on": "2026-03-31", "closes_on": "", "note": ""},
    )
    assert response.status_code == 302
    assert client.get("/admin/submissions/valuechange/").status_code == 200  # read-only
