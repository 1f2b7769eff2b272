"""The city reports its own figures through the same form, template and workflow; no higher
level reviews them here, so a second bureau user approves what the first entered."""

import html
import re

import pytest
from django.core.exceptions import PermissionDenied

from counties.models import Area
from counties.roles import Role
from counties.services import user_create
from indicators.models import IndicatorValue
from submissions.models import Submission
from tests.conftest import logged_in

from .helpers import template

pytestmark = pytest.mark.django_db
FORM = "/submissions/141100/2024/form/"
DETAIL = "/submissions/141100/2024/"


def enter_city_value(client) -> None:
    page = client.get(FORM).content.decode()
    base = html.unescape(re.search(r'name="v-28-base" value="([^"]*)"', page)[1])
    response = client.post(
        FORM, {"v-28-text": "97.2", "v-28-choice": "", "v-28-note": "", "v-28-base": base}
    )
    assert response.status_code == 302


def test_a_second_bureau_user_approves_what_the_first_entered(bureau_user):
    first = logged_in(bureau_user)
    enter_city_value(first)
    value = IndicatorValue.objects.get(area__code="141100", year=2024, indicator__code="28")
    assert value.value_text == "97.2" and value.source == "upload"
    response = first.post(f"{DETAIL}submit/", {"incomplete_ok": "1"})
    assert response.status_code == 302
    assert Submission.objects.get(area__code="141100", year=2024).state == "submitted"
    # The one who entered is not offered the approval, and is refused it.
    page = first.get(DETAIL).content.decode()
    assert "step-approve" not in page and "step-return" in page
    refused = first.post(f"{DETAIL}approve/")
    assert refused.status_code == 403
    assert "另一位市局工作人员审核通过" in refused.content.decode()
    assert Submission.objects.get(area__code="141100", year=2024).state == "submitted"
    second = logged_in(
        user_create(username="wang-bureau", password="x-pass-12345", role=Role.BUREAU)
    )
    assert "step-approve" in second.get(DETAIL).content.decode()
    assert second.post(f"{DETAIL}approve/").status_code == 302
    assert Submission.objects.get(area__code="141100", year=2024).state == "approved"


@pytest.mark.parametrize("persona", ["jiaocheng_officer", "leader"])
def test_no_county_officer_and_no_leader_writes_the_citys_figures(request, persona):
    client = logged_in(request.getfixturevalue(persona))
    assert client.get(FORM).status_code == 403
    response = client.post(FORM, {"v-28-text": "1", "v-28-choice": "", "v-28-note": "",
                                  "v-28-base": "\x1f\x1f"})  # fmt: skip
    assert response.status_code == 403
    assert not IndicatorValue.objects.filter(area__code="141100", year=2024).exists()


def test_the_bureau_finds_the_city_among_the_submissions(bureau_user, jiaocheng_officer):
    page = logged_in(bureau_user).get("/submissions/?year=2024").content.decode()
    assert "吕梁市" in page and "/submissions/141100/2024/" in page
    officer = logged_in(jiaocheng_officer).get("/submissions/?year=2024").content.decode()
    assert "/submissions/141100/2024/" not in officer


def test_whoever_uploaded_the_citys_file_may_not_approve_it(bureau_user):
    """Another user confirming and submitting an upload does not clear its uploader."""
    from submissions import services

    from .helpers import fill

    second = user_create(username="wang-bureau", password="x-pass-12345", role=Role.BUREAU)
    city = Area.objects.get(code="141100")
    content = fill(template("141100", 2025), {"28": (97, None, None)})
    upload = services.upload_preview(
        user=bureau_user, area=city, year=2025, name="吕梁市.xlsx", content=content
    )
    services.upload_confirm(user=second, upload=upload)
    submission = Submission.objects.get(area=city, year=2025)
    services.submission_act(user=second, submission=submission, action="submit",
                            incomplete_ok=True)  # fmt: skip
    with pytest.raises(PermissionDenied, match="另一位市局工作人员"):
        services.submission_act(user=bureau_user, submission=submission, action="approve")
    with pytest.raises(PermissionDenied):
        services.submission_act(user=second, submission=submission, action="approve")


def test_a_batch_with_the_citys_own_year_says_why_and_approves_nothing(bureau_user):
    first = logged_in(bureau_user)
    enter_city_value(first)
    first.post(f"{DETAIL}submit/", {"incomplete_ok": "1"})
    county = Submission.objects.create(
        area=Area.objects.get(code="141122"), year=2024, state="submitted"
    )
    city = Submission.objects.get(area__code="141100", year=2024)
    response = first.post(
        "/submissions/approve/",
        {"submission": [county.pk, city.pk], "year": "2024"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "批量审核未执行（全部未改动）" in page and "另一位市局工作人员审核通过" in page
    assert set(Submission.objects.values_list("state", flat=True)) == {"submitted"}


def test_a_year_on_record_without_a_submission_record_can_be_submitted(jiaocheng_officer):
    from submissions.reporting import ValueReport
    from submissions.services import report_save

    area = Area.objects.get(code="141122")
    report_save(area=area, year=2024, values=[ValueReport("28", text="96")], route="demo",
                user=None)  # fmt: skip
    Submission.objects.filter(area=area, year=2024).delete()  # as the demo leaves it
    client = logged_in(jiaocheng_officer)
    assert "step-submit" in client.get("/submissions/141122/2024/").content.decode()
    client.post("/submissions/141122/2024/submit/", {"incomplete_ok": "1"})
    assert Submission.objects.get(area=area, year=2024).state == "submitted"
    # with nothing on record there is nothing to submit, and no record is made
    assert "step-submit" not in client.get("/submissions/141122/2023/").content.decode()
    client.post("/submissions/141122/2023/submit/", {"incomplete_ok": "1"})
    assert not Submission.objects.filter(area=area, year=2023).exists()
