"""Listing formats (issue 15): plain TSV that pandas and R read, JSON Lines, xlsx with numbers as
numbers and text never a formula, CSV with an optional byte-order mark."""

from __future__ import annotations

import io
import json

import pytest

from cocagraph.tables import LISTING_FORMATS, XLSX_WIDTH, encode_rows, format_rows, xlsx_bytes

ROWS = [
    {"factor": "García's obstruction", "n": 2, "share": 0.125, "via": ["a → b", "a → c → b"], "note": None},
    {"factor": "=cmd|' /C calc'!A0", "n": -3, "share": 1.0, "via": [], "note": "tab\there\nnewline"},
]
COLUMNS = ["factor", "n", "share", "via", "note"]


def test_plain_tsv_reads_back_in_pandas_with_numbers_and_one_line_per_row():
    import pandas as pd

    text = format_rows(ROWS, "tsv", COLUMNS)
    assert len(text.splitlines()) == 3  # the tab and newline inside a cell are folded
    frame = pd.read_csv(io.StringIO(text), sep="\t")
    assert list(frame.columns) == COLUMNS
    assert frame["n"].tolist() == [2, -3] and frame["share"].tolist() == [0.125, 1.0]
    assert frame["via"][0] == "a → b; a → c → b" and frame["note"][1] == "tab here newline"


def test_jsonl_is_one_object_per_row_with_values_kept():
    lines = format_rows(ROWS, "jsonl", COLUMNS).splitlines()
    assert [json.loads(line) for line in lines] == [{c: r[c] for c in COLUMNS} for r in ROWS]


def test_xlsx_numbers_are_numbers_text_is_text_and_columns_fit():
    import openpyxl

    wide = [{"factor": "x" * 200, "n": 1}]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([*ROWS, *wide], COLUMNS))).active
    assert [c.value for c in sheet[1]] == COLUMNS and all(c.font.bold for c in sheet[1])
    assert sheet["B2"].value == 2 and sheet["B3"].value == -3 and sheet["C2"].value == 0.125
    assert sheet["A3"].value == "=cmd|' /C calc'!A0" and sheet["A3"].data_type == "s"
    assert sheet["D2"].value == "a → b; a → c → b" and sheet["E2"].value is None
    assert sheet.column_dimensions["A"].width == XLSX_WIDTH + 2  # capped; long text wraps
    assert sheet["A4"].alignment.wrap_text


def test_bom_only_for_csv():
    assert encode_rows(ROWS, "csv", COLUMNS, bom=True).startswith(b"\xef\xbb\xbffactor,")
    assert not encode_rows(ROWS, "csv", COLUMNS).startswith(b"\xef\xbb\xbf")
    assert not encode_rows(ROWS, "tsv", COLUMNS, bom=True).startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("fmt", LISTING_FORMATS)
def test_every_format_writes_an_empty_listing(fmt):
    data = encode_rows([], fmt, COLUMNS)
    assert data == b"" if fmt == "jsonl" else data  # no rows, no lines; the others keep their header
