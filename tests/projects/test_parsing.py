from decimal import Decimal

import pytest

from projects.parsing import classify_funding, is_government, parse_amount, parse_years


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("392", ("given", Decimal("392"))),
        ("7000000", ("given", Decimal("7000000"))),
        ("1,500", ("given", Decimal("1500"))),
        ("--", ("not_given", None)),
        ("", ("merged", None)),
        ("  ", ("merged", None)),
    ],
)
def test_it_reads_an_amount_cell(printed, expected):
    assert parse_amount(printed) == expected


@pytest.mark.parametrize(
    ("printed", "message"),
    [("-5", "不能为负数"), ("九十", "应为数字或“--”")],
)
def test_it_refuses_a_bad_amount_in_chinese(printed, message):
    with pytest.raises(ValueError, match=message):
        parse_amount(printed)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("2024", (2024, 2024)),
        ("2023-2025", (2023, 2025)),
        ("2022-2030", (2022, 2030)),
        ("", (None, None)),
    ],
)
def test_it_reads_implementation_years(printed, expected):
    assert parse_years(printed) == expected


def test_it_refuses_years_in_the_wrong_order():
    with pytest.raises(ValueError, match="起始年晚于结束年"):
        parse_years("2026-2024")


@pytest.mark.parametrize(
    ("source", "kind", "government"),
    [
        ("吕梁市财政", "government", True),
        ("县(市、区)财政", "government", True),
        ("离石、临县财政", "government", True),
        ("企业自筹", "enterprise", False),
        ("交城县财政及各相关企业", "mixed", True),
        ("", "unknown", False),
    ],
)
def test_it_classifies_a_funding_source(source, kind, government):
    assert classify_funding(source) == kind
    assert is_government(kind) is government
