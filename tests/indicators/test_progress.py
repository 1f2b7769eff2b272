"""Progress toward a target with the Open SDG compound-growth method, one case per band."""

from decimal import Decimal as D

import pytest

from indicators.assessment import (
    ACCELERATION_NEEDED,
    DETERIORATION,
    LIMITED_PROGRESS,
    NOT_ASSESSABLE,
    ON_TRACK,
    TARGET_ACHIEVED,
    progress,
)


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
