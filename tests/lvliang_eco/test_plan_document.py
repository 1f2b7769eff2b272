from lvliang_eco.plan_document import (
    TABLE_1_TITLE,
    TABLE_2_TITLE,
    TABLE_3_TITLE,
    plan_text,
    table_rows,
)


def test_it_splits_each_table_into_its_printed_rows():
    # Table 1: two header rows + 40 indicators + 15 sub-indicator rows; Table 2: one header
    # row + 134 investment rows; Table 3: two header rows + six domains + the total.
    assert len(table_rows(TABLE_1_TITLE)) == 57
    assert len(table_rows(TABLE_2_TITLE)) == 135
    assert len(table_rows(TABLE_3_TITLE)) == 9


def test_it_joins_a_cell_that_runs_over_several_lines():
    rows = {row.cells[2]: row for row in table_rows(TABLE_1_TITLE) if row.cells[2]}
    assert rows["20"].cells[6].startswith("2022年能源消耗总量为\n2265.23万吨标准煤")
    assert rows["1"].cells[0] == "生\n态\n制\n度"


def test_it_reports_the_line_each_row_starts_on():
    lines = plan_text().split("\n")
    for row in table_rows(TABLE_2_TITLE):
        assert lines[row.line - 1].startswith("\t")
        assert lines[row.line - 2] == ""


def test_it_keeps_empty_cells_of_merged_rows():
    last = table_rows(TABLE_3_TITLE)[-1]
    assert last.cells == ("合计", "16328988", "100", "2025449", "12.40")
