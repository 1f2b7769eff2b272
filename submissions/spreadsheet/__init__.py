"""The county spreadsheet: file checks (files.py), the one column table (columns.py), cells
as displayed and as written (cells.py), the template writer (template.py) and the reader
(reader.py). Plain functions over a `Catalogue`; no ORM."""

from .cells import write_cell
from .columns import FIRST_ROW, HEADER_ROW, INDICATOR, PROGRESS, SIGNATURE
from .files import FileRefused, check_file, size_message
from .reader import CellError, Reading, read_workbook
from .template import build_template

__all__ = [
    "FIRST_ROW",
    "HEADER_ROW",
    "INDICATOR",
    "PROGRESS",
    "SIGNATURE",
    "CellError",
    "FileRefused",
    "Reading",
    "build_template",
    "check_file",
    "read_workbook",
    "size_message",
    "write_cell",
]
