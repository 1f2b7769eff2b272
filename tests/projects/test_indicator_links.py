import pytest

from projects.models import ProjectGroup
from projects.services import project_indicator_links_rebuild

pytestmark = pytest.mark.django_db


def linked(domain: str, order: int) -> set[str]:
    group = ProjectGroup.objects.get(domain__name=domain, order=order)
    return set(group.indicators.values_list("code", flat=True))


def test_it_links_a_project_to_the_indicators_its_benefit_names():
    assert linked("生态制度", 1) == {"1"}  # 保障指标生态文明建设规划…
    assert linked("生态安全", 4) == {"8", "9"}  # 保障全市水环境质量；主要污染物减排
    assert linked("生态空间", 3) == {"19"}  # 河湖岸线保护保护率 (sic)
    assert linked("生态生活", 6) == {"28"}
    assert linked("生态文化", 6) == {"39"}  # 满意达到80% (sic)


def test_it_links_nothing_the_benefit_does_not_name():
    assert linked("生态安全", 21) == set()  # 医疗废物利用处置率 is not an indicator
    assert linked("生态生活", 5) == set()  # no benefit printed


def test_rebuilding_is_stable():
    before = project_indicator_links_rebuild()
    assert project_indicator_links_rebuild() == before == 47
