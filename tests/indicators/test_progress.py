"""Progress toward a target with the Open SDG compound-growth method, one case per band."""

from decimal import Decimal as D

import pytest

from indicators.assessment import progress
from indicators.statuses import ProgressStatus

ACCELERATION_NEEDED = ProgressStatus.ACCELERATION_NEEDED
DETERIORATION = ProgressStatus.DETERIORATION
LIMITED_PROGRESS = ProgressStatus.LIMITED_PROGRESS
NOT_ASSESSABLE = ProgressStatus.NOT_ASSESSABLE
ON_TRACK = ProgressStatus.ON_TRACK
TARGET_ACHIEVED = ProgressStatus.TARGET_ACHIEVED


def run(series, target, direction="up", target_year=2030, thresholds=None):
    return progress(
        [(y, D(str(v))) for y, v in series],
        target=None if target is None else D(str(target)),
        target_year=target_year,
        direction=direction,
        thresholds=thresholds,
    )


@pytest.mark.parametrize(
    ("series", "target", "direction", "status"),
    [
        ([(2022, 40), (2024, 62)], 60, "up", TARGET_ACHIEVED),
        ([(2022, 1.4), (2024, 1.1)], 1.2, "down", TARGET_ACHIEVED),
        # Required: 40 → 60 over 8 years (5.2%/yr). Observed 40 → 45 over 2 years (6.1%/yr).
        ([(2022, 40), (2024, 45)], 60, "up", ON_TRACK),
        # Observed 40 → 43 (3.7%/yr): ratio 0.70.
        ([(2022, 40), (2024, 43)], 60, "up", ACCELERATION_NEEDED),
        # Observed 40 → 41 (1.2%/yr): ratio 0.24.
        ([(2022, 40), (2024, 41)], 60, "up", LIMITED_PROGRESS),
        ([(2022, 40), (2024, 38)], 60, "up", DETERIORATION),
        # Lower is better, 1.4 → 1.0 by 2030 needs -4.1%/yr: 1.4 → 1.28 is -4.4%/yr (ratio 1.06),
        # 1.4 → 1.3 only -3.6%/yr (ratio 0.88).
        ([(2022, 1.4), (2024, 1.28)], 1.0, "down", ON_TRACK),
        ([(2022, 1.4), (2024, 1.3)], 1.0, "down", ACCELERATION_NEEDED),
        ([(2022, 1.4), (2024, 1.45)], 1.0, "down", DETERIORATION),
    ],
)
def test_it_places_the_trend_in_a_band(series, target, direction, status):
    assert run(series, target, direction).status == status


def test_it_reports_the_gap_and_the_ratio():
    result = run([(2022, 40), (2024, 43)], 60)
    assert result.gap == D("17")
    assert result.ratio == pytest.approx(0.705, abs=0.005)
    assert "2022年40 → 2024年43" in result.reason
    assert result.label == "需加快进度"


@pytest.mark.parametrize(
    ("series", "target", "reason"),
    [
        ([(2024, 43)], 60, "只有一年的数值"),
        ([], 60, "没有数值"),
        ([(2022, 40), (2024, 43)], None, "目标不是数值"),
        ([(2022, 0), (2024, 5)], 60, "基准值为零"),
        ([(2022, -4.03), (2024, 2)], 4.5, "正负号不同"),
    ],
)
def test_it_says_when_progress_cannot_be_assessed(series, target, reason):
    result = run(series, target)
    assert result.status == NOT_ASSESSABLE
    assert reason in result.reason


def test_the_bands_are_settings():
    series = [(2022, 40), (2024, 43)]
    assert run(series, 60).status == ACCELERATION_NEEDED
    assert run(series, 60, thresholds={"high": 0.7}).status == ON_TRACK
    assert run(series, 60, thresholds={"med": 0.8}).status == LIMITED_PROGRESS


def test_it_uses_the_first_and_latest_years_whatever_the_order():
    assert run([(2024, 45), (2022, 40), (2023, 41)], 60).status == ON_TRACK


def test_a_target_equal_to_the_baseline_left_behind_is_deterioration():
    # 12.1 国家重点保护野生动植物保护率: 100 in 2022, target 100, then 95.84.
    result = progress(
        [(2022, D("100")), (2024, D("95.84"))], target=D("100"), target_year=2025, direction="up"
    )
    assert result.status == DETERIORATION
    assert result.reason == "2022年100已等于目标100，2024年为95.84，较基准变差"
    assert result.gap == D("4.16")


def test_the_gap_is_what_is_still_to_go_in_the_good_direction():
    # 20 单位地区生产总值能耗 (lower is better): 1.32 → 1.28, target 1.2.
    result = progress(
        [(2021, D("1.32")), (2022, D("1.28"))], target=D("1.2"), target_year=2025, direction="down"
    )
    assert result.gap == D("0.08")
    reached = progress([(2022, D("1.1"))], target=D("1.2"), target_year=2025, direction="down")
    assert (reached.status, reached.gap) == (TARGET_ACHIEVED, None)


def test_a_bound_is_never_read_as_the_latest_value():
    # 34 公共交通出行分担率, printed `≥60`, target ≥60 (2025) and ≥65 (2030).
    met = progress(
        [], target=D("60"), target_year=2025, direction="up", bound=(2022, ">=", D("60"))
    )
    assert (met.status, met.reason) == (TARGET_ACHIEVED, "最新值≥60（2022年）已达到目标60")
    open_ = progress(
        [], target=D("65"), target_year=2030, direction="up", bound=(2022, ">=", D("60"))
    )
    assert open_.status == NOT_ASSESSABLE
    assert open_.reason == "最新值为“≥60”（2022年，只给出范围），无法计算进度"
