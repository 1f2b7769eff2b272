from decimal import Decimal

import pytest

from indicators.parsing import parse_judgement, parse_value_text


@pytest.mark.parametrize(
    ("text", "number", "state"),
    [
        ("96.49", Decimal("96.49"), ""),
        ("87.4，考核要求持续改善", Decimal("87.4"), ""),
        ("61.21（采用“国土三调”数据计算）", Decimal("61.21"), ""),
        ("4.46\n（满足上级每年下降3.5%的要求）", Decimal("4.46"), ""),
        ("-4.03", Decimal("-4.03"), ""),
        ("≥60", Decimal("60"), ""),
        ("96.5%", Decimal("96.5"), ""),
        ("９６．５", Decimal("96.5"), ""),
        ("有效开展", None, "有效开展"),
        ("不明显", None, "不明显"),
        ("--", None, ""),
        ("/", None, ""),
        ("", None, ""),
        ("2021年综合利用率19.09%，2022年综合利用率19.23%，提高幅度0.7%", None, ""),
        ("2022年能源消耗总量为\n2265.23万吨标准煤", None, ""),
        ("100（要求全部消除劣V类水体）", Decimal("100"), ""),
    ],
)
def test_it_reads_the_number_or_state_of_a_value_text(text, number, state):
    parsed = parse_value_text(text)
    assert (parsed.number, parsed.state) == (number, state)


@pytest.mark.parametrize(
    ("printed", "judgement"),
    [("已达标", "met"), ("未达标", "not_met"), ("/", ""), ("--", ""), ("", "")],
)
def test_it_reads_a_recorded_judgement(printed, judgement):
    assert parse_judgement(printed) == judgement
