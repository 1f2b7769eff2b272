"""The dashboards' cached content (lvliang_eco.pagecache): kept per viewer and data version,
never another viewer's, never stale after a change by any route."""

import re

import pytest
from django.core.cache import cache

from counties.models import Area
from lvliang_eco.pagecache import data_version
from submissions import services
from submissions.reporting import ValueReport
from tests.conftest import approve_directly, demo_loaded, logged_in
from tests.submissions.helpers import ROUTES, YEAR, Typed, report

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/counties/",
    "/counties/141122/",
    "/indicators/28/",
    "/investment/",
    "/quality/",
]


def kept() -> int:
    """How many pages' content the cache holds (the local-memory cache of this process)."""
    return sum(1 for key in cache._cache if ":page:" in key)


def main(page: str) -> str:
    return page.split('<main id="main">')[1].split("</main>")[0]


@pytest.fixture
def demo(db):
    demo_loaded()


# What a kept page still reads: the session, the user, the data version (their groups, hence
# their role, and their county assignment are kept per version), and the page's own object
# where its address names one.
KEPT = 3
KEPT_QUERIES = {"/counties/141122/": KEPT + 1, "/indicators/28/": KEPT + 1}


@pytest.mark.parametrize("url", PAGES)
def test_the_second_request_reads_the_kept_content(
    url, bureau_user, demo, django_assert_max_num_queries, django_assert_num_queries
):
    client = logged_in(bureau_user)
    with django_assert_max_num_queries(80) as first:
        page = client.get(url).content.decode()
    assert kept() == 1
    with django_assert_num_queries(KEPT_QUERIES.get(url, KEPT)) as second:
        again = client.get(url).content.decode()
    assert len(second) < len(first) and main(again) == main(page), url


@pytest.mark.parametrize("persona", ["jiaocheng_officer", "leader"])
def test_a_kept_page_reads_as_few_queries_for_a_restricted_viewer(
    request, persona, demo, django_assert_num_queries
):
    """The approved county-years these viewers' visibility needs are kept too."""
    client = logged_in(request.getfixturevalue(persona))
    client.get("/")
    with django_assert_num_queries(KEPT):
        assert client.get("/").status_code == 200


def test_the_header_and_the_form_tokens_are_each_requests_own(bureau_user, demo):
    from counties.roles import Role
    from counties.services import user_create

    other = user_create(username="erin-bureau", password="x-pass-123456", role=Role.BUREAU)
    first = logged_in(bureau_user).get("/").content.decode()
    second = logged_in(other).get("/").content.decode()
    assert kept() == 1  # the same visibility: one kept content
    assert "erin-bureau" in second and "alice-bureau" not in second
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', p)[1] for p in (first, second)
    ]
    assert tokens[0] != tokens[1]
    assert main(first).split("<!--content-->")[1] == main(second).split("<!--content-->")[1]


def test_no_officer_receives_another_countys_kept_page(jiaocheng_officer, xingxian_officer, demo):
    """Jiaocheng's unapproved 2024 shows to its own officer only, even once kept."""
    own = logged_in(jiaocheng_officer).get("/counties/?year=2024").content.decode()
    row = re.search(r'<tr data-code="141122">(.*?)</tr>', own, re.S)[1]
    assert "/submissions/141122/2024/values/" in row
    other = logged_in(xingxian_officer).get("/counties/?year=2024").content.decode()
    row = re.search(r'<tr data-code="141122">(.*?)</tr>', other, re.S)[1]
    assert "未公开（本年度尚未审核通过）" in row and "s-met" not in row
    assert "/submissions/141122/" not in other
    assert kept() == 2
    for url in ("/", "/indicators/28/"):
        logged_in(jiaocheng_officer).get(url)
        page = logged_in(xingxian_officer).get(url).content.decode()
        assert "交城县</a>" not in page, url  # no link to the county page or its values
    assert logged_in(xingxian_officer).get("/counties/141122/").status_code == 403


def test_the_data_scope_and_the_year_of_the_session_are_part_of_the_key(leader, demo):
    client = logged_in(leader)
    approved = client.get("/counties/?year=2024").content.decode()
    everything = client.get("/counties/?year=2024&data=all").content.decode()
    assert "本年度尚未审核通过，不计入" in approved
    assert "本年度尚未审核通过，不计入" not in everything
    assert "本年度尚未审核通过，不计入" not in client.get("/counties/?year=2024").content.decode()
    # The year kept in the session: the same address, another year's content.
    client.get("/?year=2023")
    assert "<caption>2023年" in client.get("/counties/").content.decode()
    client.get("/?year=2024")
    assert "<caption>2024年" in client.get("/counties/").content.decode()


@pytest.mark.parametrize("route", ROUTES)
def test_a_value_reported_by_any_route_shows_at_once(
    route, jiaocheng_officer, bureau_user, tmp_path
):
    area = Area.objects.get(code="141122")
    services.report_save(
        area=area, year=YEAR, values=[ValueReport("28", text="90.11")], route="form",
        user=jiaocheng_officer,
    )  # fmt: skip
    client = logged_in(bureau_user)
    url = f"/counties/141122/?year={YEAR}"
    assert "90.11" in client.get(url).content.decode()
    version = data_version()
    report(route, "28", Typed("96.37"), officer=jiaocheng_officer, bureau=bureau_user,
           tmp_path=tmp_path)  # fmt: skip
    assert data_version() != version
    page = client.get(url).content.decode()
    assert "96.37" in page and "90.11" not in page, route


def test_approval_standards_and_the_rebuild_renew_the_content(bureau_user, leader, demo):
    client = logged_in(leader)  # approved county-years only
    assert "本年度尚未审核通过，不计入" in client.get("/counties/?year=2024").content.decode()
    for code in Area.objects.counties().values_list("code", flat=True):
        approve_directly(code, 2024)
    assert "本年度尚未审核通过，不计入" not in client.get("/counties/?year=2024").content.decode()
    # A standard edited in the admin: the statuses follow at once.
    from indicators.models import Indicator
    from tests.lvliang_eco.test_admin import indicator_form

    staff = logged_in(bureau_user)
    url = "/counties/141122/?year=2024"
    before = main(staff.get(url).content.decode())
    version = data_version()
    indicator = Indicator.objects.get(code="28")
    rule = '{"kind": "threshold", "op": ">=", "value": "99.99"}'
    change = f"/admin/indicators/indicator/{indicator.pk}/change/"
    assert staff.post(change, indicator_form(indicator, standard_rule=rule)).status_code == 302
    assert data_version() != version
    assert main(staff.get(url).content.decode()) != before
    # The store rebuilt by the command: new content too.
    version = data_version()
    from indicators.results import results_rebuild

    results_rebuild()
    assert data_version() != version


def test_nothing_is_kept_when_the_cache_is_switched_off(bureau_user, demo, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client = logged_in(bureau_user)
    client.get("/")
    client.get("/counties/")
    assert kept() == 0


def test_a_refused_page_is_not_kept(jiaocheng_officer, demo):
    assert logged_in(jiaocheng_officer).get("/quality/").status_code == 403
    assert logged_in(jiaocheng_officer).get("/counties/141123/").status_code == 403
    assert kept() == 0


def jiaocheng_row(client, url="/counties/?year=2024") -> str:
    page = client.get(url).content.decode()
    return re.search(r'<tr data-code="141122">(.*?)</tr>', page, re.S)[1]


def test_the_approved_years_are_kept_per_data_version_not_past_an_approval(
    jiaocheng_officer, xingxian_officer, bureau_user, demo
):
    """What every viewer's visibility reads of the data (the approved county-years) is kept
    with the data version: an approval and a reopening by the workflow show at once."""
    from submissions.models import Submission

    other = logged_in(xingxian_officer)
    assert "未公开（本年度尚未审核通过）" in jiaocheng_row(other)
    assert sum(1 for key in cache._cache if ":visibility:" in key) == 1
    submission = services.submission_get_or_create(area=Area.objects.get(code="141122"), year=2024)
    if submission.state != Submission.State.SUBMITTED:
        services.submission_submit(
            user=jiaocheng_officer, submission=submission, incomplete_ok=True
        )
    services.submission_approve(user=bureau_user, submission=submission)
    row = jiaocheng_row(other)
    assert "未公开" not in row and "s-met" in row
    assert "/submissions/141122/" not in row  # statuses only, never the values
    services.submission_reopen(user=bureau_user, submission=submission, reason="数据有误，重新核对")
    assert "未公开（本年度尚未审核通过）" in jiaocheng_row(other)


def test_the_visibility_facts_are_read_once_for_every_viewer_of_a_version(
    jiaocheng_officer, xingxian_officer, leader, demo
):
    for user in (jiaocheng_officer, xingxian_officer, leader):
        logged_in(user).get("/counties/?year=2024")
    assert sum(1 for key in cache._cache if ":visibility:" in key) == 1


@pytest.mark.parametrize("change", ["membership", "group deleted"])
def test_a_changed_role_counts_from_the_next_request(change, leader, demo):
    """The users' groups are kept per data version (counties.roles): a change of membership,
    from either side, or of a group renews the version, so the next request sees the new role
    (here: the jobs page, which only the bureau may open, and the header's role)."""
    from django.contrib.auth.models import Group

    from counties.roles import Role

    client = logged_in(leader)
    assert client.get("/jobs/").status_code == 403
    assert "（领导小组）" in client.get("/").content.decode()
    bureau = Group.objects.get(name=Role.BUREAU.group_name)
    leader.groups.set([bureau])
    page = client.get("/").content.decode()
    assert "（市生态环境局）" in page and client.get("/jobs/").status_code == 200
    if change == "membership":
        bureau.user_set.remove(leader)
    else:
        bureau.delete()
    assert client.get("/jobs/").status_code == 403
    assert "（市生态环境局）" not in client.get("/").content.decode()


@pytest.mark.parametrize("route", ["services", "admin"])
def test_a_changed_county_assignment_counts_from_the_next_request(
    route, jiaocheng_officer, bureau_user, demo
):
    """The officer's county assignment is kept per data version (counties.backends): moved to
    another county, by the services or in the admin, the officer reports for the new county at
    the next request and is refused the old one's; made bureau staff, they lose the county."""
    from counties.models import CountyAssignment
    from counties.roles import Role
    from counties.services import user_role_set

    client = logged_in(jiaocheng_officer)
    assert client.get("/submissions/141122/2024/").status_code == 200
    assert client.get("/submissions/141123/2024/").status_code == 403
    assert "·交城县" in client.get("/").content.decode()
    xingxian = Area.objects.get(code="141123")
    if route == "services":
        user_role_set(user=jiaocheng_officer, role=Role.COUNTY, area=xingxian)
    else:
        admin = logged_in(bureau_user)
        assignment = CountyAssignment.objects.get(user=jiaocheng_officer)
        form = admin.get(f"/admin/counties/countyassignment/{assignment.pk}/change/")
        assert form.status_code == 200
        saved = admin.post(
            f"/admin/counties/countyassignment/{assignment.pk}/change/",
            {"user": jiaocheng_officer.pk, "area": xingxian.pk},
        )
        assert saved.status_code == 302, saved.content.decode()[:2000]
    assert client.get("/submissions/141122/2024/").status_code == 403
    assert client.get("/submissions/141123/2024/").status_code == 200
    assert "·兴县" in client.get("/").content.decode()
    user_role_set(user=jiaocheng_officer, role=Role.BUREAU)
    page = client.get("/").content.decode()
    assert "（市生态环境局）" in page and "·兴县" not in page
