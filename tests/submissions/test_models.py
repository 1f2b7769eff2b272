"""Upload records as stored: the preview kept with its field names once and read back row by
row, and the preview's and reports' JSON written row by row into the same text as json.dumps."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from hypothesis import given, settings
from hypothesis import strategies as st

from submissions.models import RowsEncoder, Upload, preview_pack

ROW = st.fixed_dictionaries(
    {"row": st.integers(4, 30000), "code": st.text(max_size=6), "changed": st.booleans(),
     "changes": st.lists(st.lists(st.text(max_size=5), min_size=3, max_size=3), max_size=2),
     "since": st.none() | st.lists(st.text(max_size=5), min_size=2, max_size=2)}
)  # fmt: skip


@settings(max_examples=50, deadline=None)
@given(indicators=st.lists(ROW, max_size=5), progress=st.lists(ROW, max_size=3))
def test_it_reads_a_stored_preview_back_row_by_row_and_an_older_one_as_it_was(indicators, progress):
    """The preview is kept with its field names once (a large file's preview stays small);
    the upload page reads the rows back as they were made, and a preview kept before as a list
    of dicts reads the same."""
    packed = Upload(preview=preview_pack({"indicators": indicators, "progress": progress}))
    assert packed.preview_rows("indicators") == indicators
    assert packed.preview_rows("progress") == progress
    older = Upload(preview={"indicators": indicators, "progress": progress})
    assert older.preview_rows("indicators") == indicators
    if len(indicators) >= 2:
        assert len(str(packed.preview)) < len(str(older.preview))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=10,
)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(data=st.dictionaries(st.text(max_size=6), JSON | st.lists(JSON, max_size=4), max_size=4))
def test_it_writes_a_preview_as_the_same_json_as_json_dumps(data):
    """The preview and reports are encoded row by row (less memory), into the very text
    Django's own encoder would write."""
    assert json.dumps(data, cls=RowsEncoder) == json.dumps(data, cls=DjangoJSONEncoder)
    # other options and keys: as json.dumps writes them
    for options in ({"sort_keys": True}, {"indent": 1}, {"separators": (",", ":")}):
        assert json.dumps(data, cls=RowsEncoder, **options) == json.dumps(
            data, cls=DjangoJSONEncoder, **options
        )
    odd = {True: [1], None: [2], 3: [3]}
    assert json.dumps(odd, cls=RowsEncoder) == json.dumps(odd, cls=DjangoJSONEncoder)
