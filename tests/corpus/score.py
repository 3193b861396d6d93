"""Score antq's reader on the corpus: every number read right, skipped with a reason, or lost.

Runs antq's public API (``antq.read(folder, errors="coerce")``) on the
workbooks of :mod:`make_corpus` and compares what comes back with
``expected.csv``, cell by cell:

- a number the truth gives a key is ``right`` when every key it feeds is in the
  table with its value, read from a cell that holds it; ``wrong`` when it was read
  to a key or with a value the truth does not give it (the worst outcome);
  ``incomplete`` when some of its keys came back and others did not;
  ``reported`` when it was not read but a finding points at it (its cell, row,
  column, sheet or file); ``lost`` when it was not read and nothing says so;
- a number in a file whose read raised an exception that is not an antq error is
  ``crashed`` (loud, but lost);
- a number the truth says to skip is ``skipped`` when it was not read and, for
  reasons that need one, a finding (or the reader's cell accounting) says so;
  ``wrong`` when it was read as data; ``skipped_silently`` when it was not read
  but nothing says so where something should.

Files: ``read``, ``refused`` (an antq error; right only where the truth says so),
``crashed`` (an exception that is not an antq error), ``ignored`` (never looked
at: a .csv in a folder, today).

Usage::

    python tests/corpus/score.py                  # generate the corpus in a temp folder
    python tests/corpus/score.py --second         # the second corpus (make_corpus2.py)
    python tests/corpus/score.py --corpus DIR     # a corpus make_corpus.py wrote
        --json FILE     write the machine-readable summary
        --per-file      read each file on its own (default: the folder at once)
        --list N        list N wrong and N lost cells (default 15; the JSON has all)
        --ignore F,G    leave key fields out of the comparison (province,district)

Cell accounting: when the reader's result carries ``accounting`` (a table with
``source`` = "file!sheet!A1", ``status`` = "read" | "skipped" and ``reason``),
a skipped number it lists is accounted for by it, and the per-sheet counts are
compared with the truth's (see :func:`accounting_of`).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import tempfile
import unicodedata
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus_lib import REASONS  # noqa: E402

#: Key fields in the order of the truth; the reader's table is compared on those it has.
KEY_FIELDS: tuple[str, ...] = ("year", "province", "district", "area", "level", "indicator")
#: What the reader's table gives for each role, and where the cell is.
ROLE_COLUMNS: dict[str, tuple[str, str]] = {
    "achieved": ("achieved", "source"),
    "total": ("total", "total_source"),
    "rate": ("reported_rate", "rate_source"),
}
RATE_TOLERANCE = 1e-9
VALUE_OUTCOMES = ("right", "wrong", "incomplete", "reported", "lost")
SKIP_OUTCOMES = ("skipped", "wrong", "skipped_silently")
#: Finding scopes, most precise first.
SCOPES = ("cell", "row", "column", "sheet", "file", "accounting")

CellId = tuple[str, str, str]  # file, sheet ("" for a CSV file), A1


# ---- inputs: the truth ------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """One key a number must be read to, its role and its value."""

    key: tuple[object, ...]  # KEY_FIELDS
    role: str
    value: float


@dataclass
class CellTruth:
    """What ``expected.csv`` says of one cell."""

    cell: CellId
    kind: str
    reason: str
    expects: list[Expect]
    note: str = ""


@dataclass
class Truth:
    """The corpus: its manifest and the truth of every cell."""

    manifest: dict
    cells: dict[CellId, CellTruth]
    csv_files: set[str]

    @property
    def files(self) -> list[dict]:
        return self.manifest["files"]


def _none(s: str) -> str | None:
    return s or None


def load_truth(corpus: Path) -> Truth:
    """Read ``corpus.json`` and ``expected.csv``."""
    manifest = json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))
    csv_files = {e["file"] for e in manifest["files"] if "csv" in e}
    cells: dict[CellId, CellTruth] = {}
    with (corpus / "expected.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            cid = (r["file"], "" if r["file"] in csv_files else r["sheet"], r["cell"])
            expects: list[Expect] = []
            if r["kind"] == "value":
                roles = [(r["role"], r["value"])]
                if r["role"] == "fraction":
                    a, t = r["value"].split("/")
                    roles = [("achieved", a), ("total", t)]
                for ind in r["indicator"].split("|"):
                    key = (
                        int(r["year"]),
                        r["province"],
                        _none(r["district"]),
                        r["area"],
                        r["level"],
                        ind,
                    )
                    expects += [Expect(key, role, float(v)) for role, v in roles]
            cells[cid] = CellTruth(cid, r["kind"], r["reason"], expects, r["note"])
    return Truth(manifest, cells, csv_files)


# ---- the reader's output ------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """One number in the reader's table: the cell it names, its role, key and value."""

    cell: CellId
    role: str
    key: tuple[object, ...]  # the fields of KEY_FIELDS the table has
    value: float


@dataclass(frozen=True)
class Pointer:
    """Where a finding points: a file, a sheet, a cell or a range."""

    file: str
    sheet: str | None
    rows: tuple[int, int] | None
    cols: tuple[int, int] | None
    severity: str
    rule: str
    text: str


@dataclass
class Run:
    """What the reader gave on the corpus."""

    version: str
    mode: str
    readings: list[Reading] = field(default_factory=list)
    pointers: list[Pointer] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    crashed: dict[str, str] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    fields: tuple[str, ...] = ()
    accounting: dict[CellId, tuple[str, str]] = field(default_factory=dict)
    has_accounting: bool = False
    folder_error: str = ""


_A1 = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def parse_a1(ref: str) -> tuple[int, int] | None:
    """(row, column) of "D12".

    Examples
    --------
    >>> parse_a1("D12"), parse_a1("AA3"), parse_a1("x")
    ((12, 4), (3, 27), None)
    """
    m = _A1.match(ref)
    return (int(m.group(2)), _col_index(m.group(1))) if m else None


def split_source(source: str, csv_files: set[str]) -> tuple[str, str | None, str | None]:
    """(file, sheet, reference) of "file!sheet!A1", "file!sheet" or "file".

    Examples
    --------
    >>> split_source("a.xlsx!Biểu 1!D12", set())
    ('a.xlsx', 'Biểu 1', 'D12')
    >>> split_source("a.csv!a!C3", {"a.csv"})
    ('a.csv', '', 'C3')
    """
    file, _, rest = source.partition("!")
    file = file.rsplit("/", 1)[-1]
    if not rest:
        return file, None, None
    sheet, sep, ref = rest.rpartition("!")
    if not sep:
        sheet, ref = rest, ""
    if file in csv_files:
        sheet = ""
    return file, unicodedata.normalize("NFC", sheet), ref or None


def pointer(source: str, severity: str, rule: str, text: str, csv_files: set[str]) -> Pointer:
    """A finding's source as the rows and columns it covers."""
    file, sheet, ref = split_source(source, csv_files)
    rows = cols = None
    if ref:
        a, _, b = ref.partition(":")
        pa, pb = parse_a1(a), parse_a1(b or a)
        if pa and pb:
            rows = (min(pa[0], pb[0]), max(pa[0], pb[0]))
            cols = (min(pa[1], pb[1]), max(pa[1], pb[1]))
    return Pointer(file, sheet, rows, cols, severity, rule, text)


def _norm(v: object) -> object:
    """A key field as compared: NFC text, an int year, None for missing."""
    if v is None:
        return None
    try:
        import pandas as pd

        if pd.isna(v):  # type: ignore[call-overload]
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, str):
        return unicodedata.normalize("NFC", v).strip() or None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return int(v) if hasattr(v, "__index__") else v


#: Key fields left out of the comparison (``--ignore``), e.g. to score reading apart from placing.
IGNORED_FIELDS: set[str] = set()


def readings_of(table: object, csv_files: set[str]) -> tuple[list[Reading], tuple[str, ...]]:
    """Every number of the reader's table with the cell it names."""
    import pandas as pd

    assert isinstance(table, pd.DataFrame)
    fields = tuple(f for f in KEY_FIELDS if f in table.columns and f not in IGNORED_FIELDS)
    out: list[Reading] = []
    for rec in table.to_dict("records"):
        key = tuple(_norm(rec[f]) for f in fields)
        for role, (vcol, scol) in ROLE_COLUMNS.items():
            v, src = rec.get(vcol), rec.get(scol)
            if v is None or src is None or pd.isna(v) or pd.isna(src):
                continue
            file, sheet, ref = split_source(str(src), csv_files)
            out.append(Reading((file, sheet or "", ref or ""), role, key, float(v)))
    return out, fields


def accounting_of(result: object, csv_files: set[str]) -> dict[CellId, tuple[str, str]] | None:
    """The reader's cell accounting, where it gives one: {cell: (status, reason)}.

    antq's ``ReadResult`` gives it in two parts: ``skipped``, one row per number it
    skipped (``source`` = "file!sheet!A1", ``reason``), and the table itself, whose
    ``source``, ``total_source`` and ``rate_source`` are the cells it read. (A reader
    may also give one table of both: ``accounting`` with ``source``, ``status`` ("read"
    or "skipped") and ``reason``.)
    """
    import pandas as pd

    out: dict[CellId, tuple[str, str]] = {}
    skipped = getattr(result, "skipped", None)
    if isinstance(skipped, pd.DataFrame) and "source" in skipped.columns:
        table = getattr(result, "table", None)
        if isinstance(table, pd.DataFrame):
            for vcol, scol in ROLE_COLUMNS.values():
                if scol not in table.columns:
                    continue
                for v, src in zip(table[vcol], table[scol], strict=True):
                    if isinstance(src, str) and not pd.isna(v):
                        file, sheet, ref = split_source(src, csv_files)
                        out[(file, sheet or "", ref or "")] = ("read", "")
        for src, reason in zip(skipped["source"], skipped["reason"], strict=True):
            file, sheet, ref = split_source(str(src), csv_files)
            out.setdefault((file, sheet or "", ref or ""), ("skipped", str(reason)))
        return out
    table = getattr(result, "accounting", None)
    if not isinstance(table, pd.DataFrame) or "source" not in table.columns:
        return None
    for rec in table.to_dict("records"):
        file, sheet, ref = split_source(str(rec["source"]), csv_files)
        out[(file, sheet or "", ref or "")] = (str(rec["status"]), str(rec.get("reason") or ""))
    return out


def run_antq(corpus: Path, truth: Truth, *, per_file: bool) -> Run:
    """Read the corpus with antq's public API, as a user would (``errors="coerce"``)."""
    import antq
    from antq.reading.reader import find_workbooks

    run = Run(version=antq.__version__, mode="per_file" if per_file else "folder")
    run.seen = {name.rsplit("/", 1)[-1] for _, name in find_workbooks(corpus)}
    results = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if not per_file:
            try:
                results.append(antq.read(corpus, errors="coerce", progress=False))
            except Exception as exc:  # the folder read died: find out which file it was
                run.folder_error = f"{type(exc).__name__}: {exc}"
        if per_file or run.folder_error:
            for path, name in find_workbooks(corpus):
                try:
                    results.append(antq.read(path, errors="coerce", progress=False))
                except antq.AntqError as exc:  # pragma: no cover - read() collects these
                    run.failed[name] = str(exc)
                except Exception as exc:
                    run.crashed[name] = f"{type(exc).__name__}: {exc}"
    tables = []
    for res in results:
        tables.append(res.table)
        run.failed.update({k.rsplit("/", 1)[-1]: v for k, v in res.failed.items()})
        for f in res.findings:
            run.pointers.append(
                pointer(f.source, f.severity, f.rule, f.message_en or f.message, truth.csv_files)
            )
        acc = accounting_of(res, truth.csv_files)
        if acc is not None:
            run.has_accounting = True
            run.accounting.update(acc)
    for file in list(run.failed):
        run.pointers.append(Pointer(file, None, None, None, "error", "read.unreadable", ""))
    for table in tables:
        got, run.fields = readings_of(table, truth.csv_files)
        run.readings += got
    return run


# ---- scoring ------------------------------------------------------------------------


@dataclass
class CellScore:
    """The outcome of one cell, and what was read from it."""

    truth: CellTruth
    outcome: str
    scope: str = ""
    got: list[Reading] = field(default_factory=list)
    why: str = ""


def _project(key: tuple[object, ...], fields: tuple[str, ...]) -> tuple[object, ...]:
    return tuple(key[KEY_FIELDS.index(f)] for f in fields)


def _same(e: Expect, value: float) -> bool:
    if e.role == "rate":
        return math.isclose(e.value, value, abs_tol=RATE_TOLERANCE)
    return e.value == value


class Finder:
    """The findings of each sheet, to ask which points at a cell."""

    def __init__(self, pointers: Iterable[Pointer]) -> None:
        self.by_sheet: dict[tuple[str, str | None], list[Pointer]] = defaultdict(list)
        for p in pointers:
            self.by_sheet[(p.file, p.sheet)].append(p)

    def scope(self, cell: CellId, *, severities: tuple[str, ...], sheet_read: bool) -> str:
        """The most precise scope at which a finding of these severities points at ``cell``."""
        file, sheet, ref = cell
        rc = parse_a1(ref) if ref else None
        best = len(SCOPES)
        if rc:
            r, c = rc
            for p in self.by_sheet.get((file, sheet), ()):
                if p.severity not in severities or p.rows is None or p.cols is None:
                    continue
                in_rows = p.rows[0] <= r <= p.rows[1]
                in_cols = p.cols[0] <= c <= p.cols[1]
                s = 0 if in_rows and in_cols else 1 if in_rows else 2 if in_cols else None
                if s is not None:
                    best = min(best, s)
        if best > 2 and not sheet_read and self.by_sheet.get((file, sheet)):
            if any(p.rows is None for p in self.by_sheet[(file, sheet)]):
                best = min(best, 3)
        if best > 3 and self.by_sheet.get((file, None)):
            best = min(best, 4)
        return SCOPES[best] if best < len(SCOPES) else ""


def score(truth: Truth, run: Run) -> dict:
    """Compare the run with the truth; return the summary (see ``--json``)."""
    fields = run.fields or KEY_FIELDS
    per_file_keys = run.mode == "per_file" or bool(run.folder_error)
    # Which cells give each (key, role): a reading from any of them satisfies it.
    givers: dict[tuple[object, ...], set[CellId]] = defaultdict(set)
    for ct in truth.cells.values():
        for e in ct.expects:
            givers[(ct.cell[0], e.key, e.role)].add(ct.cell)
    satisfied: set[tuple[object, ...]] = set()
    got: dict[CellId, list[Reading]] = defaultdict(list)
    bad: dict[CellId, str] = {}
    sheets_read: set[tuple[str, str]] = set()
    for rd in run.readings:
        got[rd.cell].append(rd)
        sheets_read.add(rd.cell[:2])
        ct = truth.cells.get(rd.cell)
        if ct is None:
            bad[rd.cell] = "read from a cell that holds no number"
            continue
        if ct.kind == "skip":
            bad[rd.cell] = f"read as data, should be skipped ({ct.reason})"
            continue
        same_key = [
            e for e in ct.expects if e.role == rd.role and _project(e.key, fields) == rd.key
        ]
        match = [e for e in same_key if _same(e, rd.value)]
        if match:
            for e in match:
                satisfied.add((rd.cell[0], e.key, e.role))
            continue
        bad[rd.cell] = "wrong value" if same_key else "wrong key"
    if not per_file_keys:
        # Read as one folder: a key given by cells of several files is satisfied by any of them.
        by_key = {(k, r) for (_f, k, r) in satisfied}
        satisfied |= {g for g in givers if (g[1], g[2]) in by_key}
    finder = Finder(run.pointers)
    scores: list[CellScore] = []
    for cid, ct in truth.cells.items():
        scores.append(
            _cell_score(ct, got.get(cid, []), bad.get(cid), satisfied, finder, run, sheets_read)
        )
    for cid in set(bad) - set(truth.cells):
        ghost = CellTruth(cid, "none", "", [])
        scores.append(CellScore(ghost, "wrong", got=got[cid], why=bad[cid]))
    return summarise(truth, run, scores, fields)


def _cell_score(
    ct: CellTruth,
    got: list[Reading],
    bad: str | None,
    satisfied: set[tuple[object, ...]],
    finder: Finder,
    run: Run,
    sheets_read: set[tuple[str, str]],
) -> CellScore:
    cid = ct.cell
    if bad:
        return CellScore(ct, "wrong", got=got, why=bad)
    if cid[0] in run.crashed:
        return CellScore(ct, "crashed", why=run.crashed[cid[0]])
    sheet_read = cid[:2] in sheets_read
    acc = run.accounting.get(cid)
    if ct.kind == "value":
        done = [(cid[0], e.key, e.role) in satisfied for e in ct.expects]
        if all(done):
            return CellScore(ct, "right", got=got)
        if any(done):
            return CellScore(ct, "incomplete", got=got, why="some of its keys were not read")
        if acc and acc[0] == "skipped":
            return CellScore(ct, "reported", "accounting", why=f"accounted as skipped ({acc[1]})")
        scope = finder.scope(cid, severities=("error", "warning"), sheet_read=sheet_read)
        if cid[0] in run.failed:
            scope = "file"
        if scope:
            return CellScore(ct, "reported", scope)
        why = "not read, nothing said"
        if cid[0] not in run.seen:
            why = "file never looked at"
        return CellScore(ct, "lost", why=why)
    tier = REASONS[ct.reason][0]
    if acc and acc[0] == "skipped":
        return CellScore(ct, "skipped", "accounting", why=acc[1])
    if tier == "quiet":
        return CellScore(ct, "skipped")
    if tier == "file":
        ok = cid[0] in run.failed
        return CellScore(ct, "skipped" if ok else "skipped_silently", "file" if ok else "")
    if tier == "error":
        scope = finder.scope(cid, severities=("error",), sheet_read=True)
        ok = scope == "cell" or cid[0] in run.failed
        return CellScore(
            ct,
            "skipped" if ok else "skipped_silently",
            scope if ok else "",
            why="" if ok else "no error names the cell",
        )
    scope = finder.scope(cid, severities=("error", "warning", "info"), sheet_read=sheet_read)
    if cid[0] in run.failed:
        scope = "file"
    if scope:  # a sheet-wide finding counts only where nothing of the sheet was read
        return CellScore(ct, "skipped", scope)
    return CellScore(ct, "skipped_silently", why="not read, nothing said")


def _file_outcome(entry: dict, run: Run) -> str:
    """``read``, ``refused_rightly``, ``refused_wrongly``, ``accepted_wrongly``, ``crashed``
    or ``ignored`` (never looked at)."""
    f = entry["file"]
    refuse = entry["expect"] == "refuse"
    if f in run.crashed:
        return "crashed"
    if f in run.failed:
        return "refused_rightly" if refuse else "refused_wrongly"
    if f not in run.seen:
        return "ignored"
    return "accepted_wrongly" if refuse else "read"


def summarise(truth: Truth, run: Run, scores: list[CellScore], fields: tuple[str, ...]) -> dict:
    """The summary: totals, files, per workbook, per feature and reason, and every bad cell."""
    by_file: dict[str, list[CellScore]] = defaultdict(list)
    for s in scores:
        by_file[s.truth.cell[0]].append(s)
    per_file = []
    file_counts: Counter[str] = Counter()
    for e in truth.files:
        outcome = _file_outcome(e, run)
        right_file = outcome in ("read", "refused_rightly")
        file_counts[outcome] += 1
        cells = by_file.get(e["file"], [])
        counts = _counts(cells)
        good = counts["right"] + counts["skipped"]
        per_file.append(
            {
                "id": e["id"],
                "file": e["file"],
                "features": e["features"],
                "expect": e["expect"],
                "outcome": outcome,
                "file_right": right_file,
                "exact": right_file and good == len(cells),
                "cells": len(cells),
                **counts,
                "error": run.crashed.get(e["file"]) or run.failed.get(e["file"], ""),
            }
        )
    totals = _counts(scores)
    values = [s for s in scores if s.truth.kind == "value"]
    skips = [s for s in scores if s.truth.kind == "skip"]
    by_feature = {}
    for feat in truth.manifest["features"]:
        cells = [
            s for e in truth.files if feat in e["features"] for s in by_file.get(e["file"], [])
        ]
        c = _counts(cells)
        by_feature[feat] = {
            "workbooks": sum(feat in e["features"] for e in truth.files),
            "cells": len(cells),
            "good": c["right"] + c["skipped"],
            "wrong": c["wrong"],
        }
    by_reason: dict[str, Counter[str]] = defaultdict(Counter)
    for s in skips:
        by_reason[s.truth.reason][s.outcome] += 1
    scope_counts = Counter(
        s.scope for s in scores if s.outcome in ("reported", "skipped") and s.scope
    )
    wrong_fields = Counter()
    for s in scores:
        if s.outcome == "wrong":
            wrong_fields[_diff(s, fields)] += 1
    return {
        "antq_version": run.version,
        "mode": run.mode,
        "compared_fields": list(fields),
        "folder_error": run.folder_error,
        "totals": {
            "cells": len(scores),
            "value_cells": len(values),
            "skip_cells": len(skips),
            **totals,
            "values_right": sum(s.outcome == "right" for s in values),
            "skipped_and_reported": sum(
                s.outcome in ("reported", "skipped") and s.scope != "" for s in scores
            ),
            "silently_lost": totals["lost"] + totals["skipped_silently"],
            "good": totals["right"] + totals["skipped"],
            "exact_files": sum(p["exact"] for p in per_file),
            "keys_ambiguous_without_province_district": _ambiguous(truth, fields),
        },
        "files": {"total": len(truth.files), **dict(sorted(file_counts.items()))},
        "scopes": dict(scope_counts),
        "wrong_by_field": dict(wrong_fields.most_common()),
        "by_reason": {k: dict(v) for k, v in sorted(by_reason.items())},
        "by_feature": by_feature,
        "per_file": per_file,
        "wrong": [_detail(s, fields) for s in scores if s.outcome == "wrong"],
        "incomplete": [_detail(s, fields) for s in scores if s.outcome == "incomplete"],
        "lost": [_detail(s, fields) for s in scores if s.outcome in ("lost", "skipped_silently")],
        "accounting": _accounting(truth, run),
    }


def _counts(cells: list[CellScore]) -> dict[str, int]:
    c = Counter(s.outcome for s in cells)
    return {k: c.get(k, 0) for k in dict.fromkeys((*VALUE_OUTCOMES, *SKIP_OUTCOMES, "crashed"))}


def _ambiguous(truth: Truth, fields: tuple[str, ...]) -> int:
    """Value cells whose key, cut to the fields the table has, is another cell's key too."""
    owners: dict[tuple[object, ...], set[tuple[object, ...]]] = defaultdict(set)
    for ct in truth.cells.values():
        for e in ct.expects:
            owners[(ct.cell[0], _project(e.key, fields), e.role)].add(e.key)
    return sum(
        any(len(owners[(ct.cell[0], _project(e.key, fields), e.role)]) > 1 for e in ct.expects)
        for ct in truth.cells.values()
        if ct.kind == "value"
    )


def _diff(s: CellScore, fields: tuple[str, ...]) -> str:
    """What differs between a wrong reading and the truth: "year", "area+level", "role" …

    Over the cell's readings that match none of its keys, the closest key of the truth.
    """
    if s.truth.kind != "value":
        return f"skip:{s.truth.reason or 'no number'}"
    best: list[str] | None = None
    for g in s.got:
        diffs = []
        for e in s.truth.expects:
            key = _project(e.key, fields)
            d = [f for f, a, b in zip(fields, key, g.key, strict=True) if a != b]
            if e.role != g.role:
                d.append("role")
            if not _same(e, g.value):
                d.append("value")
            diffs.append(d)
        if not diffs or not all(diffs):
            continue  # a right reading
        closest = min(diffs, key=len)
        if best is None or len(closest) < len(best):
            best = closest
    return "+".join(best) if best else "?"


def _detail(s: CellScore, fields: tuple[str, ...]) -> dict:
    t = s.truth
    file, sheet, cell = t.cell
    return {
        "source": f"{file}!{sheet}!{cell}" if sheet or cell else file,
        "outcome": s.outcome,
        "why": s.why,
        "truth": (
            [
                dict(zip((*KEY_FIELDS, "role", "value"), (*e.key, e.role, e.value), strict=True))
                for e in t.expects
            ]
            if t.kind == "value"
            else {"skip": t.reason or "(no number here)"}
        ),
        "got": [
            dict(zip((*fields, "role", "value"), (*g.key, g.role, g.value), strict=True))
            for g in s.got
        ],
        "diff": _diff(s, fields) if s.outcome == "wrong" else "",
    }


def _accounting(truth: Truth, run: Run) -> dict:
    """What a perfect reader's per-sheet accounting says, and how the reader's compares."""
    want: dict[str, Counter[str]] = defaultdict(Counter)
    for ct in truth.cells.values():
        file, sheet, cell = ct.cell
        if not cell:
            continue
        k = f"{file}!{sheet}"
        want[k]["seen"] += 1
        want[k]["read" if ct.kind == "value" else f"skipped:{ct.reason}"] += 1
    out: dict[str, object] = {"truth": {k: dict(v) for k, v in sorted(want.items())}}
    if run.has_accounting:
        have: dict[str, Counter[str]] = defaultdict(Counter)
        for (file, sheet, _cell), (status, reason) in run.accounting.items():
            k = f"{file}!{sheet}"
            have[k]["seen"] += 1
            have[k]["read" if status == "read" else f"skipped:{reason}"] += 1
        out["reader"] = {k: dict(v) for k, v in sorted(have.items())}
        out["sheets_agreeing"] = sum(have.get(k) == v for k, v in want.items())
    return out


# ---- outputs ------------------------------------------------------------------------


_MODE = {"folder": "as one folder", "per_file": "file by file"}


def _n(x: int) -> str:
    return f"{x:,}".replace(",", ".")


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%".replace(".", ",") if b else "–"


def report(summary: dict, *, n_list: int = 15) -> str:
    """The summary as text: totals, files, per workbook, the worst cells."""
    t, f = summary["totals"], summary["files"]
    lines = [
        f"antq {summary['antq_version']} on the corpus ({f['total']} files, {_n(t['cells'])} "
        f"number cells: {_n(t['value_cells'])} values, {_n(t['skip_cells'])} to skip; "
        f"read {_MODE[summary['mode']]}; key compared on "
        f"{', '.join(summary['compared_fields'])})",
    ]
    if summary["folder_error"]:
        lines.append(
            f"  !! the folder read crashed ({summary['folder_error'][:120]}); "
            "each file was then read on its own"
        )
    lines += [
        "",
        f"  values read right            {_n(t['values_right']):>6} of {_n(t['value_cells'])} "
        f"({_pct(t['values_right'], t['value_cells'])})",
        f"  read to a wrong key or value {_n(t['wrong']):>6} cells   <- the worst outcome",
        f"  values read in part          {_n(t['incomplete']):>6}",
        f"  not read, but reported       {_n(t['reported']):>6}",
        f"  skipped, as they should be   {_n(t['skipped']):>6} of {_n(t['skip_cells'])}",
        f"  silently lost                {_n(t['silently_lost']):>6} "
        f"({_n(t['lost'])} values, {_n(t['skipped_silently'])} skips nobody reported)",
        f"  in files that crashed        {_n(t['crashed']):>6}",
        f"  cells right or rightly skipped {_n(t['good'])} of {_n(t['cells'])} "
        f"({_pct(t['good'], t['cells'])}); workbooks exact: {t['exact_files']} of {f['total']}",
        f"  value cells whose key is ambiguous without province/district: "
        f"{_n(t['keys_ambiguous_without_province_district'])}",
        "",
        "  files: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in f.items() if k != "total"),
    ]
    for p in summary["per_file"]:
        if p["error"]:
            lines.append(f"    {p['id']} {p['outcome'].replace('_', ' ')}: {p['error'][:150]}")
    if summary["wrong_by_field"]:
        lines.append(
            "  wrong, by what differs: "
            + ", ".join(f"{k} {v}" for k, v in summary["wrong_by_field"].items())
        )
    lines += [
        "",
        "  per workbook (cells: right / wrong / part / reported / lost | "
        "skipped / wrong / silent):",
    ]
    for p in summary["per_file"]:
        mark = "exact" if p["exact"] else p["outcome"].replace("_", " ")
        lines.append(
            f"  {p['id']} {p['file'][:38]:<38} {p['cells']:>5}: "
            f"{p['right']:>4} {p['wrong']:>4} {p['incomplete']:>3} {p['reported']:>4} "
            f"{p['lost']:>4} | {p['skipped']:>4} {p['skipped_silently']:>4}  {mark}"
        )
    lines += [
        "",
        "  by reason to skip: "
        + "; ".join(
            f"{k} " + ", ".join(f"{o} {n}" for o, n in v.items())
            for k, v in summary["by_reason"].items()
        ),
    ]
    for title, key in (("wrong", "wrong"), ("lost", "lost")):
        items = summary[key]
        if not items:
            continue
        lines += ["", f"  {title} ({len(items)}), first {min(n_list, len(items))}:"]
        for d in _spread(items, n_list):
            lines.append(f"    {d['source']}: {_short(d)}")
    return "\n".join(lines)


def _spread(items: list[dict], n: int) -> list[dict]:
    """Up to ``n`` items, round-robin over files so one big file does not fill the list."""
    by_file: dict[str, list[dict]] = defaultdict(list)
    for d in items:
        by_file[d["source"].split("!", 1)[0]].append(d)
    out: list[dict] = []
    while len(out) < n and any(by_file.values()):
        for f in list(by_file):
            if by_file[f] and len(out) < n:
                out.append(by_file[f].pop(0))
    return out


def _short(d: dict) -> str:
    truth = d["truth"]
    if isinstance(truth, dict):
        want = f"skip ({truth['skip']})"
    else:
        e = truth[0]
        want = (
            f"{e['year']} {e['area']} {e['level']} {e['indicator']}"
            f"{' …' if len(truth) > 1 else ''} {e['role']}={_v(e['value'])}"
        )
    got = "; ".join(
        " ".join(str(g.get(k)) for k in ("year", "area", "level", "indicator") if k in g)
        + f" {g['role']}={_v(g['value'])}"
        for g in d["got"][:2]
    )
    return f"want {want}" + (f" | got {got}" if got else f" | {d['why']}")


def _v(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def main(argv: list[str] | None = None) -> int:
    """Generate (or take) the corpus, read it with antq, print the score."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, help="a corpus written by make_corpus.py")
    ap.add_argument(
        "--second", action="store_true", help="generate the second corpus (make_corpus2.py)"
    )
    ap.add_argument("--json", type=Path, help="write the summary as JSON here")
    ap.add_argument("--per-file", action="store_true", help="read each file on its own")
    ap.add_argument("--list", type=int, default=15, help="how many bad cells to list")
    ap.add_argument(
        "--ignore",
        default="",
        help="key fields not to compare, comma-separated (e.g. province,district: reading apart "
        "from placing the units)",
    )
    args = ap.parse_args(argv)
    IGNORED_FIELDS.update(f for f in args.ignore.split(",") if f)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus
        if corpus is None:
            import make_corpus
            import make_corpus2

            corpus = Path(tmp)
            (make_corpus2 if args.second else make_corpus).build(corpus)
        truth = load_truth(corpus)
        run = run_antq(corpus, truth, per_file=args.per_file)
        summary = score(truth, run)
    print(report(summary, n_list=args.list))
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
