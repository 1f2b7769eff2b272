import json
from io import StringIO

import pytest
from django.core.management import call_command

from indicators.models import DeclaredFigure, Indicator

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
    assert keys == set(DeclaredFigure.objects.values_list("key", flat=True))


def test_it_reports_where_the_document_disagrees_with_itself():
    result = checks()
    assert result["binding_count"] | {"detail": ""} == {
        "key": "binding_count",
        "declared": 22,
        "computed": 19,
        "ok": False,
        "detail": "",
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
    assert "共 44 项核对" in text
