"""Claim sheets as CSV, for people who work in spreadsheets: the YAML sheet's fields as columns.

One row per entry. The ``section`` column says what the row is (``source``, ``uses``, ``actor``,
``place``, ``factor``, ``claim`` or ``relation``); the other columns are the YAML keys, and a row fills only
those its section has. List fields (alternative labels, places, themes, quotes ...) hold their
items joined by :data:`LIST_SEPARATOR`. A ``uses`` row names, in ``kind`` and ``id``, one id that
another sheet describes. Empty cells are absent values; rows whose ``section`` starts with ``#``
are comments. Rows are counted as a spreadsheet counts them (the header is row 1), and every
error names the row.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import SheetError
from .sheet_fields import CSV_COLUMNS, LIST_FIELDS
from .yamlsafe import Located, LocatedDict, LocatedList

__all__ = ["CSV_COLUMNS", "LIST_FIELDS", "LIST_SEPARATOR", "parse_csv_sheet", "sheet_to_csv"]

#: Items of a list field are joined with this (space, vertical bar, space).
LIST_SEPARATOR = " | "
#: section cell -> the YAML section it fills (plural forms accepted too).
_SECTIONS = {
    "source": "source", "uses": "uses", "actor": "actors", "place": "places", "factor": "factors",
    "claim": "claims", "relation": "relations", "actors": "actors", "places": "places", "factors": "factors",
    "claims": "claims", "relations": "relations",
}  # fmt: skip
_USES_KINDS = {"actor": "actors", "place": "places", "factor": "factors", "claim": "claims"}


def parse_csv_sheet(raw: bytes, filename: str) -> LocatedDict:
    """Parse a CSV sheet into the structure the YAML reader gives (values know their row).

    >>> data = "section,id,label,alt\\r\\nfactor,rain,rain,wet weather | showers\\r\\n".encode()
    >>> sheet = parse_csv_sheet(data, "s.csv")
    >>> factor = sheet["factors"][0]
    >>> factor["label"], [a.value for a in factor["alt"]], factor.line
    (Located(value='rain', line=2), ['wet weather', 'showers'], 2)
    """
    text = _decode(raw, filename)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    sheet = LocatedDict()
    sheet.line = 1
    sheet.rows = True  # type: ignore[attr-defined]  # errors say "row N", not "line N"
    header: list[str] | None = None
    row_number = 0
    source_row = 0
    while True:
        row_number += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise SheetError(f"{filename}: row {row_number}: not valid CSV: {exc}") from exc
        for cell in cells:
            if "\x00" in cell:
                raise SheetError(f"{filename}: row {row_number}: NUL byte in a cell")
        if header is None:
            header = _check_header(cells, filename)
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise SheetError(
                f"{filename}: row {row_number} has {len(cells)} cells, but the header (row 1) has {len(header)}"
            )
        record = dict(zip(header, cells, strict=True))
        if record.get("", "").strip():
            raise SheetError(f"{filename}: row {row_number}: a value in a column with no name")
        section_cell = record["section"].strip()
        if section_cell.startswith("#"):
            continue
        section = _SECTIONS.get(section_cell.lower())
        if section is None:
            hint = difflib.get_close_matches(section_cell.lower(), sorted(set(_SECTIONS)), n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise SheetError(
                f"{filename}: row {row_number}: section {section_cell!r} is not one of "
                f"source, uses, actor, place, factor, claim, relation{suggestion}"
            )
        entry = _entry(record, row_number)
        if section == "source":
            if source_row:
                raise SheetError(f"{filename}: row {row_number}: a second source row (the first is row {source_row})")
            source_row = row_number
            sheet["source"] = entry
        elif section == "uses":
            _add_use(sheet, entry, row_number, filename)
        else:
            if section not in sheet:
                sheet[section] = _located_list(row_number)
            sheet[section].append(entry)
    if header is None:
        raise SheetError(f"{filename}: the CSV sheet is empty (it needs a header row)")
    return sheet


def sheet_to_csv(sheet: Mapping[str, Any]) -> str:
    """A plain sheet (sections of dicts of strings and lists) as CSV text with every column.

    >>> text = sheet_to_csv({"factors": [{"id": "rain", "label": "rain", "alt": ["showers", "drizzle"]}]})
    >>> text.splitlines()[1].rstrip(",")
    'factor,rain,,,rain,,,,,,,,,,,,,,,,,,,,,,,,,,,,,showers | drizzle'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    if "source" in sheet:
        writer.writerow(_row("source", sheet["source"]))
    for section, ids in sheet.get("uses", {}).items():
        kind = section.rstrip("s")
        for ident in ids:
            writer.writerow(_row("uses", {"kind": kind, "id": ident}))
    for section in ("actors", "places", "factors", "claims", "relations"):
        for entry in sheet.get(section, ()):
            writer.writerow(_row(section.rstrip("s"), entry))
    return buffer.getvalue()


def _decode(raw: bytes, filename: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SheetError(f"{filename}: the CSV is UTF-16; save it as 'CSV UTF-8'")
    if raw.startswith(b"\xef\xbb\xbf"):  # spreadsheets write a byte-order mark
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SheetError(
            f"{filename}: not UTF-8 at byte {exc.start} (line {line}); save the sheet as 'CSV UTF-8'"
        ) from exc


def _check_header(cells: list[str], filename: str) -> list[str]:
    header = [c.strip() for c in cells]
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        if name not in CSV_COLUMNS:
            hint = difflib.get_close_matches(name, CSV_COLUMNS, n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise SheetError(f"{filename}: row 1: unknown column {name!r}{suggestion}")
        if name in seen:
            raise SheetError(f"{filename}: row 1: the column {name!r} stands twice")
        seen.add(name)
    for required in ("section", "id"):
        if required not in seen:
            raise SheetError(f"{filename}: row 1: the header needs a {required!r} column")
    return header


def _located_list(row: int, items: Sequence[Any] = ()) -> LocatedList:
    result = LocatedList(items)
    result.line = row
    return result


def _entry(record: dict[str, str], row: int) -> LocatedDict:
    entry = LocatedDict()
    entry.line = row
    for column, cell in record.items():
        if column in ("", "section") or cell == "":
            continue
        if column in LIST_FIELDS:
            items = [Located(item, row) for item in cell.split(LIST_SEPARATOR)]
            entry[column] = items[0] if len(items) == 1 else _located_list(row, items)
        else:
            entry[column] = Located(cell, row)
    return entry


def _add_use(sheet: LocatedDict, entry: LocatedDict, row: int, filename: str) -> None:
    kind = entry.get("kind")
    ident = entry.get("id")
    extra = sorted(set(entry) - {"kind", "id"})
    if extra:
        raise SheetError(f"{filename}: row {row}: a 'uses' row has only kind and id, not {', '.join(extra)}")
    if not isinstance(kind, Located) or kind.value not in _USES_KINDS:
        raise SheetError(f"{filename}: row {row}: a 'uses' row needs kind: actor, place, factor or claim")
    if not isinstance(ident, Located):
        raise SheetError(f"{filename}: row {row}: a 'uses' row needs the id it uses")
    if "uses" not in sheet:
        uses = LocatedDict()
        uses.line = row
        sheet["uses"] = uses
    sheet["uses"].setdefault(_USES_KINDS[kind.value], _located_list(row)).append(ident)


def _row(section: str, entry: Mapping[str, Any]) -> list[str]:
    cells = {"section": section}
    for key, value in entry.items():
        if key not in CSV_COLUMNS:
            raise SheetError(f"the field {key!r} has no CSV column")
        if key in LIST_FIELDS and isinstance(value, str):
            value = [value]  # one item of a list field is split on the way back all the same
        if isinstance(value, (list, tuple)):
            joined = LIST_SEPARATOR.join(value)
            # An item holding the separator (or "|" at its edge) would split differently on the way back.
            if value and joined.split(LIST_SEPARATOR) != list(value):
                raise SheetError(
                    f"{section} {entry.get('id', '')!r}: a {key} item cannot be written in CSV because of the "
                    f"list separator {LIST_SEPARATOR!r} in {joined[:80]!r}; keep this sheet in YAML"
                )
            cells[key] = joined
        else:
            cells[key] = value
    return [cells.get(column, "") for column in CSV_COLUMNS]
