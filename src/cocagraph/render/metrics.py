"""How vis-network wraps and sizes a node's label, so that Python knows each box the browser will draw.

The layout leaves room for every label and the router steers arrows round them
(:mod:`.layout`, :mod:`.routes`); both need each box's size before the browser draws it. A
guess from the number of characters was 25 px off for some boxes (and wrapped some labels onto
a different number of lines), so arrows routed round the guessed box still ran through the
drawn one. Here the label is wrapped as vis-network 9.1.2 wraps it (``LabelSplitter``, quirks
included), with the advance widths of the font the maps name (``system-ui, sans-serif``) as
Debian's Chromium resolves it: DejaVu Sans, one of the widest sans-serif faces, so on machines
whose system font is narrower (Segoe UI, San Francisco, Roboto) the boxes drawn are smaller
than these, never larger. The widths were measured with the canvas ``measureText`` of that
Chromium (thousandths of the font size, rounded up); a browser test holds every box of the
whole map to them.
"""

from __future__ import annotations

import re

__all__ = ["label_lines", "text_width"]

#: Advance widths, in thousandths of the font size, of U+0020 to U+007E.
# fmt: off
_ASCII = (
    318, 401, 460, 838, 637, 951, 780, 275, 391, 391, 500, 838, 318, 361, 318, 337,
    637, 637, 637, 637, 637, 637, 637, 637, 637, 637, 337, 337, 838, 838, 838, 531,
    1000, 685, 687, 699, 771, 632, 576, 775, 752, 295, 295, 656, 558, 863, 749, 788,
    604, 788, 695, 635, 611, 732, 685, 989, 686, 611, 686, 391, 337, 391, 838, 500,
    500, 613, 635, 550, 635, 616, 353, 635, 634, 278, 278, 580, 278, 975, 634, 612,
    635, 635, 412, 521, 393, 634, 592, 818, 592, 592, 525, 637, 337, 637, 838,
)
# fmt: on
#: The same for U+00A0 to U+017F (Latin-1 and Latin Extended-A: names such as García, Pérez, Łódź).
# fmt: off
_LATIN = (
    318, 401, 637, 637, 637, 637, 337, 500, 500, 1000, 472, 612, 838, 0, 1000, 500,
    500, 838, 401, 401, 500, 637, 637, 318, 500, 401, 472, 612, 970, 970, 970, 531,
    685, 685, 685, 685, 685, 685, 975, 699, 632, 632, 632, 632, 295, 295, 295, 295,
    775, 749, 788, 788, 788, 788, 788, 838, 788, 732, 732, 732, 732, 611, 605, 630,
    613, 613, 613, 613, 613, 613, 982, 550, 616, 616, 616, 616, 278, 278, 278, 278,
    612, 634, 612, 612, 612, 612, 612, 838, 612, 634, 634, 634, 634, 592, 635, 592,
    685, 613, 685, 613, 685, 613, 699, 550, 699, 550, 699, 550, 699, 550, 771, 635,
    775, 635, 632, 616, 632, 616, 632, 616, 632, 616, 632, 616, 775, 635, 775, 635,
    775, 635, 775, 635, 752, 634, 917, 695, 295, 278, 295, 278, 295, 278, 295, 278,
    295, 278, 590, 556, 295, 278, 656, 580, 580, 558, 278, 558, 278, 558, 375, 558,
    342, 563, 285, 749, 634, 749, 634, 749, 634, 814, 749, 634, 788, 612, 788, 612,
    788, 612, 1070, 1023, 695, 412, 695, 412, 695, 412, 635, 521, 635, 521, 635, 521,
    635, 521, 611, 393, 611, 393, 611, 393, 732, 634, 732, 634, 732, 634, 732, 634,
    732, 634, 732, 634, 989, 818, 611, 592, 611, 686, 525, 686, 525, 686, 525, 353,
)
# fmt: on
#: Typographic punctuation a label may hold.
_OTHER = {
    "‘": 318,
    "’": 318,
    "“": 519,
    "”": 519,
    "–": 500,
    "—": 1000,
    "…": 1000,
    "•": 590,
    "→": 838,
    "←": 838,
    "−": 838,
}
#: Any other character (CJK and the like are about one em wide).
_UNKNOWN = 1000


def _advance(char: str) -> int:
    code = ord(char)
    if 0x20 <= code <= 0x7E:
        return _ASCII[code - 0x20]
    if 0xA0 <= code <= 0x17F:
        return _LATIN[code - 0xA0]
    return _OTHER.get(char, _UNKNOWN)


def text_width(text: str, font: float) -> float:
    """The width, in pixels, of ``text`` on one line at ``font`` pixels.

    >>> round(text_width("coca", 14), 2)
    32.55
    """
    return sum(_advance(c) for c in text) * font / 1000


def label_lines(label: str, font: float, max_width: float) -> list[str]:
    """The lines vis-network breaks ``label`` into, in a node whose ``widthConstraint.maximum`` is ``max_width``.

    vis splits each line of the label into words and runs of spaces, and fits words while the
    words joined *with an extra space on each side of every run* fit (``getLongestFit``): a
    line is measured wider than it is drawn. That quirk decides where some labels break, so it
    is kept. A word wider than the whole line stands on a line of its own (vis would cut it).

    >>> label_lines("cocaine production in Peru", 14, 170)
    ['cocaine production in', 'Peru']
    >>> label_lines("coca acreage in Peru", 14, 170)
    ['coca acreage in', 'Peru']
    """
    lines = []
    for block in label.split("\n"):
        tokens = re.sub(r"([^\r][^ ]*)( +)", "\\1\r\\2\r", re.sub(r"^( +)", "\\1\r", block)).split("\r")
        while tokens:
            fitted, count = "", 0
            while count < len(tokens):
                candidate = fitted + (" " if fitted else "") + tokens[count]
                if text_width(candidate, font) > max_width:
                    break
                fitted, count = candidate, count + 1
            if count == 0:
                lines.append(tokens.pop(0))
                continue
            rest = count
            if tokens[count - 1] == " ":
                count -= 1
            elif rest < len(tokens) and tokens[rest] == " ":
                rest += 1
            lines.append("".join(tokens[:count]))
            tokens = tokens[rest:]
    return lines
