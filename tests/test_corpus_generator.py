"""The corpus generators (tests/corpus) are deterministic and their ground truth self-consistent.

The workbooks are read back with openpyxl (the CSV files with the csv module),
independently of the generator's own bookkeeping: every cell holding a number
must be in ``expected.csv`` exactly once, each value listed must be what the
cell holds, and each total the generator says is a sum must be one.

The second corpus (``make_corpus2.py``, another generator's layouts) is held to
the checks that do not depend on how the first one is built: deterministic, every
number cell listed once and holding its value, cells of one key agreeing, refused
files refused whole, the vocabulary known.

These tests check the test material, not antq: the reader's score on the
corpus is ``python tests/corpus/score.py`` and is not part of this run.
"""

from __future__ import annotations

import csv
import io
import math
import re
import sys
import unicodedata
import zipfile
from collections import Counter, defaultdict
from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
sys.path.insert(0, str(CORPUS))

import corpus_lib  # noqa: E402
import make_corpus  # noqa: E402
import make_corpus2  # noqa: E402

#: The generator of each corpus fixture.
GENERATORS = {"corpus": make_corpus, "corpus2": make_corpus2}
BOTH = pytest.mark.parametrize("which", list(GENERATORS))

#: A text a reader could take for a number: "1.234", "94,75%", "(3)", "+5", "−2", "2.863/3.462".
NUMERIC_TEXT = re.compile(r"^[+\-−(]?\s*\d[\d.,\s\u00a0]*%?\)?$")
FRACTION_TEXT = re.compile(r"^\d[\d.,]*\s*/\s*\d[\d.,]*$")


def is_number(v: object) -> bool:
    """Whether a cell value is a number (or a date, which Excel stores as one) or looks like one."""
    if isinstance(v, bool) or v is None:
        return False
    if isinstance(v, (int, float, datetime, date, time)):
        return True
    if isinstance(v, str):
        s = v.strip()
        return bool(NUMERIC_TEXT.match(s) or FRACTION_TEXT.match(s))
    return False


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("corpus")
    return out, make_corpus.build(out)


@pytest.fixture(scope="module")
def corpus2(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("corpus2")
    return out, make_corpus2.build(out)


def _expected(out: Path) -> list[dict[str, str]]:
    with (out / "expected.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def expected(corpus: tuple[Path, dict]) -> list[dict[str, str]]:
    return _expected(corpus[0])


def _material(
    request: pytest.FixtureRequest, which: str
) -> tuple[Path, dict, list[dict[str, str]]]:
    """The folder, manifest and truth rows of the corpus fixture ``which``."""
    out, manifest = request.getfixturevalue(which)
    return out, manifest, _expected(out)


def _cells(path: Path, entry: dict) -> dict[tuple[str, str], object]:
    """Every non-empty cell of a file: {(sheet, A1): value}."""
    cells: dict[tuple[str, str], object] = {}
    if "csv" in entry:
        opts = entry["csv"]
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig" if opts["encoding"] == "utf-8-sig" else opts["encoding"])
        text = unicodedata.normalize("NFC", text)
        sheet = path.name.rsplit(".", 1)[0]
        for r, row in enumerate(csv.reader(text.splitlines(), delimiter=opts["sep"]), start=1):
            for c, v in enumerate(row, start=1):
                if v != "":
                    cells[(sheet, f"{get_column_letter(c)}{r}")] = v
        return cells
    # A formula's cached value, as Excel shows it (the second corpus has formulas).
    wb = load_workbook(_parsable(path), data_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cells[(ws.title, cell.coordinate)] = cell.value
    return cells


def _parsable(path: Path) -> io.BytesIO:
    """The workbook with a bare ``<v>INF</v>`` (a hostile cell of the second corpus, which
    openpyxl cannot parse) written ``<v>1E+999</v>``: the same float, infinity."""
    src = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                body = body.replace(b"<v>INF</v>", b"<v>1E+999</v>")
            dst.writestr(info, body)
    out.seek(0)
    return out


def _readable(entry: dict) -> bool:
    return not entry["file"].endswith((".xls",)) and "bi_loi" not in entry["file"]


@BOTH
def test_the_generator_is_deterministic(
    request: pytest.FixtureRequest, which: str, tmp_path: Path
) -> None:
    out, manifest = request.getfixturevalue(which)
    again = GENERATORS[which].build(tmp_path)
    assert again == manifest
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    for name in names:
        assert (out / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_corpus_size_and_feature_coverage(corpus: tuple[Path, dict]) -> None:
    _, manifest = corpus
    files = manifest["files"]
    assert 30 <= len(files) <= 40
    counts = Counter(f for entry in files for f in entry["features"])
    for feature in make_corpus.FEATURES:
        assert counts[feature] >= 3, f"{feature} is in {counts[feature]} workbooks"
    # Each feature meets a different company in each of its workbooks (a refused file is
    # refused whole, whatever else it holds).
    for feature in set(make_corpus.FEATURES) - {"refused"}:
        combos = [frozenset(e["features"]) - {feature} for e in files if feature in e["features"]]
        assert len(set(combos)) == len(combos), feature
    assert all(len(e["features"]) >= 3 or e["expect"] == "refuse" for e in files)


@BOTH
def test_every_number_cell_is_listed_exactly_once(
    request: pytest.FixtureRequest, which: str
) -> None:
    out, manifest, expected = _material(request, which)
    by_file: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in expected:
        by_file[row["file"]].append(row)
    assert set(by_file) == {e["file"] for e in manifest["files"]}
    for entry in manifest["files"]:
        rows = by_file[entry["file"]]
        listed = Counter((r["sheet"], r["cell"]) for r in rows if r["cell"])
        assert all(n == 1 for n in listed.values()), [k for k, n in listed.items() if n > 1]
        if not _readable(entry):
            assert [r["reason"] for r in rows] == ["refused"]
            continue
        cells = _cells(out / entry["file"], entry)
        numbers = {k for k, v in cells.items() if is_number(v)}
        missing = numbers - set(listed)
        assert not missing, f"{entry['file']}: number cells not in expected.csv: {sorted(missing)}"
        for r in rows:
            if not r["cell"]:
                continue
            k = (r["sheet"], r["cell"])
            assert k in cells, f"{entry['file']}: {k} is listed but empty"
            if k not in numbers:
                # Only a hostile value that is not a number may be listed: it must be an
                # error. Or a column number written as a formula ("(3)=(2)/(1)", corpus 2).
                formula_number = r["reason"] == "column_number" and bool(
                    re.match(r"^\(\d+\)=", str(cells[k]))
                )
                assert r["reason"] in ("error", "refused") or formula_number, (
                    entry["file"],
                    k,
                    cells[k],
                )


def _candidates(v: object) -> set[float]:
    """Every number a cell could mean, in the Vietnamese or the English locale."""
    if isinstance(v, bool):
        return set()
    if isinstance(v, (int, float)):
        return {float(v)}
    s = str(v).strip().rstrip("%").replace("−", "-").replace("+", "")
    s = s.replace(" ", "").replace("\u00a0", "")  # "1 430": thousands grouped by a space
    out = set()
    for thousands, decimal in ((".", ","), (",", ".")):
        t = s.replace(thousands, "").replace(decimal, ".")
        try:
            out.add(float(t))
        except ValueError:
            pass
    return out


@BOTH
def test_each_value_is_what_its_cell_holds(request: pytest.FixtureRequest, which: str) -> None:
    out, manifest, expected = _material(request, which)
    entries = {e["file"]: e for e in manifest["files"]}
    cells_of = {f: _cells(out / f, e) for f, e in entries.items() if _readable(e)}
    for r in expected:
        if r["kind"] != "value":
            continue
        v = cells_of[r["file"]][(r["sheet"], r["cell"])]
        where = f"{r['file']}!{r['sheet']}!{r['cell']} = {v!r}"
        if r["role"] == "fraction":
            a, t = (int(x) for x in r["value"].split("/"))
            got_a, got_t = (_candidates(p) for p in str(v).split("/"))
            assert a in got_a and t in got_t, where
        elif r["role"] == "rate":
            x = float(r["value"])
            assert 0 <= x <= 1, where
            pct_text = isinstance(v, str) or (isinstance(v, (int, float)) and v > 1)
            options = {c / 100 for c in _candidates(v)} if pct_text else _candidates(v)
            if isinstance(v, (int, float)) and v <= 1:
                options |= {c / 100 for c in _candidates(v)}
            assert any(math.isclose(x, o, abs_tol=1e-9) for o in options), where
        else:
            n = int(r["value"])
            # The second corpus's hostile workbook has a negative count, read to its key.
            assert (n >= 0 or which == "corpus2") and float(n) in _candidates(v), where


def test_totals_are_the_sums_of_their_parts(
    corpus: tuple[Path, dict], expected: list[dict[str, str]]
) -> None:
    out, manifest = corpus
    entries = {e["file"]: e for e in manifest["files"]}
    values = {(r["file"], r["sheet"], r["cell"]): r for r in expected}
    cells_of = {f: _cells(out / f, e) for f, e in entries.items() if _readable(e)}
    assert len(manifest["sums"]) > 50
    for s in manifest["sums"]:
        cells = cells_of[s["file"]]

        def number(a1: str, s: dict = s, cells: dict = cells) -> int:
            v = cells[(s["sheet"], a1)]
            # The Vietnamese reading of text, unless the file is typed in the English locale.
            en = "other_locale" in entries[s["file"]]["features"]
            if isinstance(v, str):
                text = v.replace(",", "") if en else v.replace(".", "")
                return int(text.split("/")[0].replace(".", "").replace(",", ""))
            return int(v)

        total = number(s["total"])
        parts = [number(p) for p in s["parts"]]
        assert total == sum(parts), f"{s['file']}!{s['sheet']}!{s['total']}"
        assert (s["file"], s["sheet"], s["total"]) in values


def test_keys_are_canonical(expected: list[dict[str, str]]) -> None:
    indicators = {
        r["code"]
        for r in csv.DictReader((ROOT / "antq/data/indicators.csv").open(encoding="utf-8"))
    }
    with (CORPUS / "units.csv").open(encoding="utf-8") as fh:
        units = list(csv.DictReader(fh))
    before = {(u["district"], u["commune"]) for u in units if u["province"] == corpus_lib.P_ND}
    before |= {(corpus_lib.MY_LOC, c) for c in corpus_lib.MY_LOC_COMMUNES}
    after = {u["commune"] for u in units if u["province"] == corpus_lib.P_NB}
    for r in expected:
        assert r["kind"] in ("value", "skip")
        if r["kind"] == "skip":
            assert r["reason"] in corpus_lib.REASONS and not r["area"], r
            continue
        where = f"{r['file']}!{r['sheet']}!{r['cell']}"
        assert not r["reason"], where
        year = int(r["year"])
        assert r["role"] in corpus_lib.ROLES, where
        assert set(r["indicator"].split("|")) <= indicators, where
        if "|" in r["indicator"]:
            assert r["role"] == "total", where
            assert set(r["indicator"].split("|")) <= set(corpus_lib.RA_INDICATORS), where
        assert r["province"] == (corpus_lib.P_NB if year >= 2025 else corpus_lib.P_ND), where
        level = r["level"]
        if level == "province":
            assert r["area"] == r["province"] and not r["district"], where
        elif level == "district":
            assert year < 2025 and r["area"] == r["district"], where
            assert r["area"] in corpus_lib.DISTRICTS, where
            assert r["area"] != corpus_lib.MY_LOC or year < 2024, where
        else:
            assert level == "commune", where
            if year >= 2025:
                assert not r["district"] and r["area"] in after, where
            else:
                assert (r["district"], r["area"]) in before, where


@BOTH
def test_cells_feeding_one_key_agree(request: pytest.FixtureRequest, which: str) -> None:
    """A key may be given by several cells (a shared total, a fraction, two sheets): same value."""
    _, _, expected = _material(request, which)
    seen: dict[tuple[str, ...], tuple[str, str]] = {}
    for r in expected:
        if r["kind"] != "value":
            continue
        parts = [(r["role"], r["value"])]
        if r["role"] == "fraction":
            a, t = r["value"].split("/")
            parts = [("achieved", a), ("total", t)]
        for ind in r["indicator"].split("|"):
            for role, value in parts:
                key = (r["file"], r["year"], r["province"], r["district"], r["area"], ind, role)
                where = f"{r['sheet']}!{r['cell']}"
                if key in seen:
                    assert seen[key][0] == value, (key, seen[key], where)
                else:
                    seen[key] = (value, where)


@BOTH
def test_refused_files_are_refused_whole(request: pytest.FixtureRequest, which: str) -> None:
    _, manifest, expected = _material(request, which)
    for entry in manifest["files"]:
        rows = [r for r in expected if r["file"] == entry["file"]]
        refused = [r for r in rows if r["reason"] == "refused"]
        if entry["expect"] == "refuse":
            assert refused == rows and any(not r["cell"] for r in rows), entry["file"]
        else:
            assert not refused, entry["file"]


def test_reasons_are_documented() -> None:
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for reason in corpus_lib.REASONS:
        assert f"`{reason}`" in readme, reason
    for feature in make_corpus.FEATURES:
        assert f"`{feature}`" in readme, feature


def test_the_second_corpus_speaks_the_same_vocabulary(corpus2: tuple[Path, dict]) -> None:
    """Its reasons, roles, levels and indicator codes are the first corpus's (its areas are
    its own: it is not held to units.csv)."""
    out, manifest = corpus2
    indicators = {
        r["code"]
        for r in csv.DictReader((ROOT / "antq/data/indicators.csv").open(encoding="utf-8"))
    }
    for r in _expected(out):
        where = f"{r['file']}!{r['sheet']}!{r['cell']}"
        if r["kind"] == "skip":
            assert r["reason"] in corpus_lib.REASONS and not r["area"], where
            continue
        assert r["kind"] == "value" and not r["reason"], where
        assert r["role"] in corpus_lib.ROLES, where
        assert r["level"] in ("province", "district", "commune") and r["area"], where
        assert set(r["indicator"].split("|")) <= indicators, where
    assert set(manifest["reasons"]) == set(corpus_lib.REASONS)
    assert [e["file"] for e in manifest["files"] if e["expect"] == "refuse"] == [
        "Phu luc so sanh 2020.xlsx"
    ]
