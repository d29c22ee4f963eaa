"""Maps inline in a Jupyter notebook, without writing a file or fetching anything.

pyvis's ``show()`` writes an HTML file next to the notebook and, in notebook mode, loads its
scripts from a CDN. Here the whole page travels inside the cell output: an ``<iframe>`` whose
``srcdoc`` holds the self-contained page (vis-network inlined), sandboxed to run scripts only.

>>> from cocagraph.loading import load
>>> shown = inline_map(load(), focus="shining path funding")
>>> html = shown._repr_html_()
>>> html.startswith("<iframe") and "srcdoc=" in html and "https://cdn" not in html
True
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .page import render_page
from .request import MapRequest, map_of

if TYPE_CHECKING:
    from ..loading import Corpus

__all__ = ["InlineMap", "inline_map"]


@dataclass(frozen=True)
class InlineMap:
    """A rendered map that Jupyter (or any rich display) shows through ``_repr_html_``."""

    page: str
    title: str
    height: int = 720

    def _repr_html_(self) -> str:
        # srcdoc keeps the page off the file system; sandbox without allow-same-origin keeps its
        # scripts away from the notebook's own page and cookies.
        return (
            f'<iframe title="{html.escape(self.title)}" srcdoc="{html.escape(self.page, quote=True)}" '
            f'sandbox="allow-scripts" style="width: 100%; height: {int(self.height)}px; border: 1px solid #ddd;">'
            "</iframe>"
        )

    def save(self, path: Any) -> Any:
        """Write the page to ``path`` too, when a file is wanted after all."""
        from ..atomic import write_atomic

        return write_atomic(path, self.page)


def inline_map(corpus: Corpus, height: int = 720, **request: Any) -> InlineMap:
    """A map of ``corpus`` for display in a notebook; keyword arguments are those of :class:`MapRequest`.

    In a notebook, ``inline_map(load(), theme="violence")`` as the last line of a cell shows the map.
    """
    data = map_of(corpus, MapRequest(**request))
    return InlineMap(page=render_page(data), title=data.title, height=height)
