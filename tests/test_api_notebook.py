"""docs/notebook.ipynb runs from top to bottom (nbclient, a local kernel, no network) and shows
what it says: a paths table with one row per step, numeric SPARQL columns, an inline map."""

from __future__ import annotations

import os

import pytest

from helpers import ROOT

NOTEBOOK = ROOT / "docs" / "notebook.ipynb"


@pytest.mark.slow
def test_the_notebook_runs_and_shows_its_answers(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat", reason="pip install -e '.[test]' for nbformat")
    nbclient = pytest.importorskip("nbclient", reason="pip install -e '.[test]' for nbclient")
    pytest.importorskip("ipykernel", reason="pip install -e '.[test]' for ipykernel")
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core's own choice, without its warning
    monkeypatch.setenv("COCAGRAPH_CACHE", "off")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("<th>quote</th>" in h and "<th>path</th>" in h for h in html)  # the paths frame
    assert any(h.startswith("<iframe") and "srcdoc=" in h for h in html)  # the inline map
    assert any('<div class="cocagraph-answer">' in h for h in html)  # an answer shown as itself
    texts = [o["data"]["text/plain"] for o in outputs if "text/plain" in o.get("data", {})]
    assert any("float64" in t for t in texts)  # the figures are numbers
    assert "https://" not in "".join(h for h in html if h.startswith("<iframe")).split("srcdoc=")[0]
    assert os.listdir(tmp_path) == []  # nothing written beside the notebook
