"""Every notebook runs top to bottom in a fresh kernel; outputs stay out of git."""

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: A cell still running after this is taken as hung.
NOTEBOOK_SECONDS = 60


def test_notebooks_are_numbered_in_reading_order():
    names = [p.name for p in NOTEBOOKS]
    assert names == [
        "01_xu_huong_toan_tinh.ipynb",
        "02_so_sanh_huyen.ipynb",
        "03_chat_luong_so_lieu.ipynb",
        "04_bao_cao_nam.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert "antq._" not in cell.source, "notebooks use only the public API"
    # The timeout guards against a hung cell; how fast they run is not a unit test's business.
    NotebookClient(
        nb,
        timeout=NOTEBOOK_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
