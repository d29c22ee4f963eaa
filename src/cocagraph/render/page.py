"""The HTML page of a map: one self-contained file that opens offline.

cocagraph's own Jinja template (pyvis 0.3.2's loads Bootstrap from a CDN in every mode, inserts
the heading as raw HTML and switches to an ``innerHTML`` popup when a title holds "href").
Here vis-network is inlined from pyvis's own copy, the data travel as JSON in a
``<script type="application/json">`` block with ``<``, ``>``, ``&`` and U+2028/2029 escaped, the
text list is autoescaped, and a Content-Security-Policy allows no request to any host and only
the page's own two scripts (by hash), so that even a slip in escaping could not run anything.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

from ..encoding import DECREASE_COLOUR, INCREASE_COLOUR
from ..errors import CocagraphError
from .maps import MapData

__all__ = ["render_page", "safe_json", "vis_network_js"]

#: The vis-network release pyvis 0.3.2 ships (and its template loads).
VIS_VERSION = "9.1.2"


def safe_json(value: Any) -> str:
    """JSON that can stand inside a ``<script>`` element: no ``</script>``, no ``<!--``, no line breaks JS rejects.

    Keys are sorted so that the same data always give the same bytes.

    >>> safe_json({"q": "</script><b>&"})
    '{"q": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


@functools.cache
def vis_network_js() -> str:
    """vis-network's standalone script, from the copy inside the installed pyvis."""
    import pyvis

    path = Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}" / "vis-network.min.js"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CocagraphError(
            f"{path}: vis-network is missing from the installed pyvis ({exc.strerror}); reinstall pyvis 0.3.2"
        ) from exc
    # The source-map comment would make developer tools fetch a file that is not there.
    # split("\n"), not splitlines(): the script holds U+2028 and friends inside string literals.
    return "\n".join(line for line in text.split("\n") if not line.startswith("//# sourceMappingURL="))


@functools.cache
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@functools.cache
def _template() -> Any:
    import jinja2  # comes with pyvis

    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_asset("template.html"))


def _script_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _inline_script(text: str, what: str) -> str:
    if "</script" in text.lower() or "<!--" in text:
        raise CocagraphError(f"{what} cannot be inlined: it holds '</script' or '<!--'")
    return text


def render_page(map_data: MapData, *, back: str | None = None, source_line: str | None = None) -> str:
    """The whole page as a string (write it as UTF-8). ``back`` links to a site's index."""
    import markupsafe

    vis_js = _inline_script(vis_network_js(), "vis-network")
    page_js = _inline_script(_asset("page.js"), "page.js")
    csp = (
        "default-src 'none'; "
        f"script-src {_script_hash(vis_js)} {_script_hash(page_js)}; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    payload = map_data.payload
    claims = [_claim_text(key, payload["claims"][key], cause, effect) for key, cause, effect in map_data.claim_rows]
    highlighted = {"path": "paths", "loops": "loops"}.get(payload.get("kind", ""), "")
    html: str = _template().render(
        title=map_data.title,
        description=map_data.description,
        source_line=source_line,
        back=back,
        csp=csp,
        css=markupsafe.Markup(_asset("page.css")),
        highlighted=highlighted,
        looks={"up": INCREASE_COLOUR, "down": DECREASE_COLOUR},
        changes=payload.get("changes", False),
        tour=bool(payload.get("tour")),
        argument=payload.get("argument_rows", []),
        chains=map_data.chain_rows,
        chains_heading="The loops" if payload.get("kind") == "loops" else "The paths",
        claims=claims,
        data_json=markupsafe.Markup(safe_json(payload)),
        vis_js=markupsafe.Markup(vis_js),
        page_js=markupsafe.Markup(page_js),
    )
    return html


def _claim_text(key: str, claim: dict[str, Any], cause: str, effect: str) -> dict[str, Any]:
    facts = [claim.get("certainty", "asserted")]
    if claim.get("certainty") == "hedged" and claim.get("hedge"):
        facts[0] = f"hedged: \u201c{claim['hedge']}\u201d"
    facts.append("inferred by the curator" if claim.get("explicitness") == "inferred" else "stated")
    if claim.get("asserted_by"):
        facts.append(f"asserted by {claim['asserted_by']}")
    source = claim.get("source") or ""
    return {
        "id": key,
        "cause": cause,
        "effect": effect,
        "label": claim.get("label", ""),
        "verb": "increases" if claim.get("polarity", 1) > 0 else "decreases",
        "facts": "; ".join(facts),
        "quotes": claim.get("quotes", []),
        "source_title": claim.get("source_title") or source or None,
        "source_href": source if source.startswith(("http://", "https://")) else None,
    }
