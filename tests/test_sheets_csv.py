"""CSV claim sheets (reliability item 12): the same columns as YAML, errors that name the row."""

from __future__ import annotations

import pytest
from rdflib.compare import isomorphic

from cocagraph.errors import SheetError
from cocagraph.sheet_csv import LIST_SEPARATOR, parse_csv_sheet, sheet_to_csv
from cocagraph.sheets import compile_sheet
from helpers import DATA

HEADER = "section,id,type,label,title,author,cause,effect,polarity,quote,alt,places"
ROWS = [
    "source,mini-source,,,A text written for cocagraph's tests,test-author,,,,,,",
    "actor,test-author,,the test author,,,,,,,,",
    "place,testland,,Testland,,,,,,,,",
    "factor,rain,,rain,,,,,,,,",
    "factor,river-level,,river level,,,,,,,,",
    "factor,road-traffic,,road traffic,,,,,,,,",
    "factor,air-pollution,,air pollution,,,,,,,,",
]


def csv_text(*claims: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *ROWS, *claims]) + "\r\n"


def compile_csv(tmp_path, data: bytes | str):
    path = tmp_path / "s.csv"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return compile_sheet(path, DATA / "mini-source.txt")


def refused(tmp_path, data: bytes | str) -> str:
    with pytest.raises(SheetError) as info:
        compile_csv(tmp_path, data)
    return str(info.value)


CLAIM = (
    "claim,rain-raises-rivers,causal,Rain raises river levels,,,rain,river-level,+,"
    "More rain appears to raise river levels.,,"
)


def test_a_csv_sheet_compiles_like_its_yaml(tmp_path):
    yaml_sheet = tmp_path / "one.sheet.yaml"
    yaml_sheet.write_text(
        (DATA / "mini.sheet.yaml").read_text(encoding="utf-8").split("  - id: rivers-cut-traffic")[0]
        .replace("    certainty: hedged\n    hedge: appears to\n", "").replace("    places: testland\n", ""),
        encoding="utf-8",
    )  # fmt: skip
    assert isomorphic(compile_csv(tmp_path, csv_text(CLAIM)), compile_sheet(yaml_sheet, DATA / "mini-source.txt"))


def test_a_spreadsheet_byte_order_mark_is_accepted(tmp_path):
    graph = compile_csv(tmp_path, b"\xef\xbb\xbf" + csv_text(CLAIM).encode("utf-8"))
    assert len(graph) > 20


def test_utf16_and_latin1_are_refused_with_advice(tmp_path):
    assert "UTF-16; save it as 'CSV UTF-8'" in refused(tmp_path, "\ufeff".encode("utf-16-le") + b"x")
    message = refused(tmp_path, csv_text(CLAIM.replace("river levels", "rivi\xe8re")).encode("latin-1"))
    assert "not UTF-8 at byte" in message and "(line 9)" in message


def test_a_ragged_row_is_refused_with_its_row(tmp_path):
    message = refused(tmp_path, csv_text(CLAIM + ",extra"))
    assert message.endswith("s.csv: row 9 has 13 cells, but the header (row 1) has 12")


def test_a_nul_byte_is_refused_with_its_row(tmp_path):
    assert "s.csv: row 9: NUL byte in a cell" in refused(
        tmp_path, csv_text(CLAIM.replace("Rain raises", "Rain\x00raises"))
    )


def test_rows_are_counted_as_a_spreadsheet_counts_them(tmp_path):
    label = '"Rain raises\nriver levels"'
    first = CLAIM.replace("Rain raises river levels", label)
    second = first.replace("rain-raises-rivers", "again").replace(",+,", ",sideways,")
    message = refused(tmp_path, csv_text(first, second))
    assert "s.csv: row 10: 'polarity' is 'sideways'" in message  # row 10, though line 11 of the file


def test_multi_line_cells_keep_their_newlines(tmp_path):
    claim = CLAIM.replace("Rain raises river levels", '"Rain raises\nriver levels"')
    graph = compile_csv(tmp_path, csv_text(claim))
    labels = [str(o) for s, p, o in graph if str(p).endswith("#label")]
    assert labels == ["Rain raises\nriver levels"]


def test_list_cells_are_split_on_the_separator(tmp_path):
    assert LIST_SEPARATOR == " | "
    rows = csv_text(CLAIM).replace(
        "factor,rain,,rain,,,,,,,,", "factor,rain,,rain,,,,,,,wet weather | showers,testland"
    )
    graph = compile_csv(tmp_path, rows)
    alts = sorted(str(o) for s, p, o in graph if str(p).endswith("altLabel"))
    assert alts == ["showers", "wet weather"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (HEADER.replace("polarity", "polarty"), "row 1: unknown column 'polarty' (did you mean 'polarity'?)"),
        (HEADER.replace("places", "label"), "row 1: the column 'label' stands twice"),
        (HEADER.replace("section,", "kind_of,"), "unknown column 'kind_of'"),
    ],
)
def test_header_mistakes(tmp_path, header, expected):
    assert expected in refused(tmp_path, csv_text(CLAIM, header=header))


def test_row_mistakes_name_the_row(tmp_path):
    assert "row 9: section 'claims!' is not one of" in refused(
        tmp_path, csv_text(CLAIM.replace("claim,", "claims!,", 1))
    )
    assert "row 9: a second source row (the first is row 2)" in refused(tmp_path, csv_text(ROWS[0]))
    assert "s.csv: row 9: a claim has an unknown key 'title'" in refused(
        tmp_path, csv_text(CLAIM.replace(",,,rain,", ",A title,,rain,"))
    )
    bad_quote = refused(tmp_path, csv_text(CLAIM.replace("appears to raise", "raises")))
    assert "s.csv: row 9: the quote is not in mini-source.txt" in bad_quote and "closest passage" in bad_quote


def test_bad_csv_quoting_names_the_row(tmp_path):
    # A quote inside an unquoted cell is text (a correct parse); text after a closing quote is an error.
    graph = compile_csv(tmp_path, csv_text(CLAIM.replace("Rain raises river levels", 'Rain "raises" levels')))
    assert 'Rain "raises" levels' in {str(o) for o in graph.objects()}
    message = refused(tmp_path, csv_text(CLAIM.replace("Rain raises river levels", '"Rain raises" levels')))
    assert "s.csv: row 9: not valid CSV" in message
    message = refused(tmp_path, csv_text(CLAIM.replace("Rain raises river levels", '"Rain raises river levels')))
    assert "s.csv: row 9: not valid CSV" in message


def test_blank_and_comment_rows_are_skipped(tmp_path):
    data = csv_text(",,,,,,,,,,,", "# a comment row,,,,,,,,,,,", CLAIM)
    assert len(compile_csv(tmp_path, data)) > 20


def test_uses_rows(tmp_path):
    data = "section,id,kind\r\nuses,coca-production-peru,factor\r\nuses,peru,place\r\n"
    sheet = parse_csv_sheet(data.encode(), "u.csv")
    assert [v.value for v in sheet["uses"]["factors"]] == ["coca-production-peru"]
    assert [v.value for v in sheet["uses"]["places"]] == ["peru"]
    with pytest.raises(SheetError, match=r"u\.csv: row 2: a 'uses' row needs kind"):
        parse_csv_sheet(b"section,id,kind\r\nuses,peru,country\r\n", "u.csv")


def test_an_empty_csv_is_refused(tmp_path):
    assert "the CSV sheet is empty" in refused(tmp_path, b"")


def test_writing_refuses_items_that_would_split_differently():
    with pytest.raises(SheetError, match="list separator"):
        sheet_to_csv({"factors": [{"id": "a", "label": "a", "alt": ["x | y"]}]})
    with pytest.raises(SheetError, match="list separator"):
        sheet_to_csv({"factors": [{"id": "a", "label": "a", "alt": ["x |", "y"]}]})
    assert "x|y" in sheet_to_csv({"factors": [{"id": "a", "label": "a", "alt": ["x|y"]}]})


def test_the_shipped_csv_example_compiles_like_its_yaml():
    from cocagraph.sheets import compile_sheet

    yaml_graph = compile_sheet(DATA / "contrary.sheet.yaml", DATA / "contrary-source.txt")
    csv_graph = compile_sheet(DATA / "contrary.sheet.csv", DATA / "contrary-source.txt")
    assert isomorphic(csv_graph, yaml_graph)
