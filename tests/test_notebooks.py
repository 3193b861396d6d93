"""Every notebook runs in a fresh kernel and shows every chart; outputs stay out of git."""

import re

import nbformat
import pytest
from conftest import RAW, ROOT
from nbclient import NotebookClient

import antq

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: A cell still running after this is taken as hung.
NOTEBOOK_SECONDS = 60
#: A cell that calls one of these draws a chart, and must show it.
DRAWS = re.compile(r"\bap\.(trend|ranking|change|heatmap|small_multiples)\(")
#: Run in the kernel after a drawing cell: how many marks of data its figure ``fig`` holds
#: (bars, points of data lines, coloured cells). Titles, axes, a target or a reference line
#: are not data: a ranking of a year without districts drew those and no bar.
PROBE = """\
import numpy as _np
print("marks:", sum(
    sum(len(c) for c in _ax.containers)
    + sum(
        int(_np.isfinite(_np.asarray(ln.get_ydata(), dtype=float)).sum())
        for ln in _ax.lines
        if ln.get_transform() is _ax.transData
    )
    + sum(int(_np.isfinite(_np.ma.filled(im.get_array(), _np.nan)).sum()) for im in _ax.images)
    for _ax in fig.axes
))
"""


def test_notebooks_are_numbered_in_reading_order():
    names = [p.name for p in NOTEBOOKS]
    assert names == [
        "01_xu_huong_toan_tinh.ipynb",
        "02_so_sanh_huyen.ipynb",
        "03_chat_luong_so_lieu.ipynb",
        "04_bao_cao_nam.ipynb",
        "05_chuoi_so_lieu_qua_sap_xep.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_code_cell_switches_the_inline_backend_on(path):
    # With ipykernel 6.10 and matplotlib-inline 0.1 (the floors), the first figure of a
    # kernel is shown only a cell late unless the backend is switched on first.
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert first.source.startswith("%matplotlib inline\n")


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
    # The inline backend, as JupyterLab has it: the figure of a cell is shown when the cell ends.
    # After each drawing cell, a probe of what its figure holds (not part of the notebook).
    probes = {}
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type == "code" and DRAWS.search(cell.source):
            assert re.search(r"\bfig\b", cell.source), "a drawing cell names its figure fig"
            probes[id(cell)] = nbformat.v4.new_code_cell(PROBE)
            cells.append(probes[id(cell)])
    nb.cells = cells
    NotebookClient(
        nb,
        timeout=NOTEBOOK_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    code = [c for c in nb.cells if c.cell_type == "code" and c.source != PROBE]
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors
    for cell in code:
        images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        if DRAWS.search(cell.source):
            assert images, f"a chart drawn but not shown:\n{cell.source}"
            # Shown, and with something in it: bars, lines, cells of data.
            out = "".join(o.get("text", "") for o in probes[id(cell)].outputs)
            marks = re.search(r"marks: (\d+)", out)
            assert marks, out
            assert int(marks[1]) > 0, f"a chart with no data drawn:\n{cell.source}"
        # A table shown has rows: an empty one is a question asked of the wrong year or code.
        for o in cell.outputs:
            text = o.get("data", {}).get("text/plain", "")
            assert not text.startswith("Empty DataFrame"), f"an empty table:\n{cell.source}"
        # A table shown is a readable one: words for codes, Vietnamese numbers.
        if cell.source.splitlines()[-1].startswith("antq.readable("):
            html = cell.outputs[-1]["data"]["text/html"]
            assert "safe_" not in html and "province" not in html


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chart_knows_the_provinces_events(path):
    # antq build marks the 2020 merger of hamlets of data/raw/events.csv on its charts; a
    # notebook's chart drawn without events= did not, and its 2020 step read as progress.
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            for call in re.finditer(
                r"\bap\.(trend|ranking|change|heatmap|small_multiples)\(", cell.source
            ):
                args = cell.source[call.end() : cell.source.find("\n", call.end())]
                assert "events=RAW" in args, f"{path.stem}: {call[0]}{args}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chart_is_saved_where_the_analyst_finds_it(path):
    """Each cell that draws a chart writes it to OUT (data/processed/notebooks): notebook 2
    showed its change chart, heatmap and panels but wrote none of them."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        drawn = re.search(r"\bap\.(trend|ranking|change|heatmap|small_multiples)\(", cell.source)
        if cell.cell_type == "code" and drawn:
            assert "fig.savefig(OUT / " in cell.source, f"{path.stem}: {drawn[0]}"


def test_notebooks_import_only_what_they_use():
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "F401,F841", str(ROOT / "notebooks")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout


def test_notebook_05_calls_not_comparable_only_rows_with_no_change_at_all(bundled_tidy):
    """Question 3 of notebook 05, "where can no comparison be made": a row whose count still
    compares is compared (the households of a new commune against its former communes; the
    agencies of Thành phố Nam Định 2024 against the city and Mỹ Lộc of 2023, whose reports
    give rates without totals, so only the counts sum)."""
    nb = nbformat.read(ROOT / "notebooks" / "05_chuoi_so_lieu_qua_sap_xep.ipynb", as_version=4)
    cell = next(c.source for c in nb.cells if "khong_so_sanh = " in c.source)
    names = {"antq": antq, "thay_doi_xa": antq.yoy(bundled_tidy, events=RAW)}
    exec(compile(cell, "notebook 05", "exec"), names)
    rows = names["khong_so_sanh"]
    assert len(rows) and rows["break"].notna().all()
    assert rows["shown_change_pp"].isna().all() and rows["change_n"].isna().all()
