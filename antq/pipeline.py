"""``antq build``: rebuild ``data/processed`` from ``data/raw`` in one step."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute

from antq._build import (
    Inputs,
    Outputs,
    Reading,
    Settled,
    Stages,
    Whole,
    all_findings,
    code_digest,
    draw_charts,
    keep_state,
    province_rows,
    read_step,
    settle_step,
    splices_yoy,
    state_tables,
    validate_step,
    without_rows,
    write_excel,
    write_tidy,
    write_yoy,
    write_yoy_changed,
)
from antq._io import atomic_write, write_text
from antq._memory import release_free_memory, system_allocator
from antq.errors import AntqError
from antq.findings import Count, findings_frame
from antq.incremental import Handed, State, digests, write_rows
from antq.outputs.summary import paragraphs
from antq.reading.cache import inputs_digest
from antq.reading.duplicates import read_supersedes
from antq.reading.reader import Paths, ReadOptions, folder_listing, read
from antq.series.events import events_beside
from antq.types import Lang, as_lang
from antq.validation import run_rules
from antq.vocab import word

__all__ = ["OUTPUTS", "PROBLEM_SEVERITIES", "BuildReport", "build", "check", "severity_counts"]

#: What ``antq build`` writes, relative to the output folder.
OUTPUTS: dict[str, str] = {
    "tidy.parquet": "the tidy table (one row per year × area × indicator), typed",
    "tidy.csv": "the same table as CSV (UTF-8 with BOM, so Excel shows Vietnamese correctly)",
    "yoy.csv": "year-over-year changes per area and indicator",
    "findings.csv": "read problems and validation findings, one per row, with the cell",
    "summary/summary_YYYY.txt": "the annual report paragraph of each year",
    "figures/*.png": "the charts of the latest year, 200 dpi, ready to paste into the report",
    "bao_cao_antq.xlsx": "the committee's Excel report: tables by indicator group, changes, "
    "findings, summaries and charts",
}


def _csv(df: pd.DataFrame, path: Path) -> None:
    """CSV in UTF-8 with a BOM (so Excel shows Vietnamese), written by pyarrow: at national
    scale pandas' writer takes seconds per million rows."""
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(df, preserve_index=False)

    def write(p: Path) -> None:
        with p.open("wb") as fh:
            fh.write(b"\xef\xbb\xbf")
            pacsv.write_csv(table, fh, pacsv.WriteOptions(quoting_style="needed"))

    atomic_write(path, write)


#: Outputs whose presence a no-change rebuild checks before it skips the work.
_CORE_OUTPUTS = ("tidy.parquet", "tidy.csv", "yoy.csv", "findings.csv", "bao_cao_antq.xlsx")


#: Severities that make ``antq check`` exit 1 ("info" does not).
PROBLEM_SEVERITIES: frozenset[str] = frozenset({"error", "warning"})


def check(
    paths: Paths, options: ReadOptions | None = None, *, lang: Lang = "vi", **changes: object
) -> pd.DataFrame:
    """Read workbooks leniently and return every problem found, read and validation alike.

    Unreadable files and cells that hold text where a number belongs are
    findings here (severity ``"error"``), not exceptions, so one bad file
    does not hide the problems of the others.

    Parameters
    ----------
    paths
        Workbooks or folders.
    options
        How to read (:class:`~antq.reading.reader.ReadOptions`); ``errors`` is
        always "coerce" here. Keywords change single options (``max_bytes`` …).
    lang
        Language of the messages.

    Returns
    -------
    pandas.DataFrame
        The findings table of :func:`antq.validate`.

    Examples
    --------
    >>> f = check("data/raw")
    >>> f.query("rule == 'rate.no_whole_total'")["source"].tolist()
    ['BC_ANTQ_2020.xlsx!ANTT!I19']
    """
    lang = as_lang(lang)
    result = read(paths, (options or ReadOptions()).with_(errors="coerce", **changes))
    found = list(result.findings)
    if len(result.table):
        found += run_rules(result.table, events=events_beside(paths))
    return findings_frame(found, lang)


class BuildReport(str):
    """What ``antq build`` did, as text, with the number of error findings beside it.

    A ``str`` (print it, search it); ``errors`` counts the findings of
    severity "error", ``findings`` is the file that lists them, and ``seconds`` the
    time each step of the build took (``validated``: how the rules ran, "whole" or
    "groups" of the changed rows).
    """

    errors: int
    findings: Path
    seconds: dict[str, object]

    def __new__(cls, text: str, *, errors: int = 0, findings: Path | None = None) -> BuildReport:
        report = super().__new__(cls, text)
        report.errors = errors
        report.findings = findings or Path("findings.csv")
        report.seconds = {}
        return report


def severity_counts(counts: Mapping[str, int] | pd.Series, lang: Lang) -> str:
    """Findings counted by severity: "0 lỗi, 2 cảnh báo, 10 thông tin" / "0 errors, 2 warnings, …".

    Examples
    --------
    >>> severity_counts({"error": 1, "info": 3726}, "en")
    '1 error, 0 warnings, 3,726 information notes'
    """
    return ", ".join(
        word(f"count.{s}", lang, n=int(counts.get(s, 0))) for s in ("error", "warning", "info")
    )


@system_allocator()  # fresh memory comes faster from malloc here (antq._memory)
def build(
    raw: str | os.PathLike[str] = "data/raw",
    out: str | os.PathLike[str] = "data/processed",
    options: ReadOptions | None = None,
    *,
    lang: Lang = "vi",
    cache: bool = True,
) -> BuildReport:
    """Read every workbook under ``raw`` and write the outputs of :data:`OUTPUTS` to ``out``.

    Each output is written atomically. Files that cannot be read, and cells
    that hold text where numbers belong, do not stop the build: they are
    rows of ``findings.csv``. With ``cache`` (the default), ``out/.cache``
    keeps what the build read and found (:mod:`antq.incremental`): a rebuild
    re-reads only changed workbooks, validates again only where their rows can
    change a finding, rewrites the CSV rows that changed and draws the charts
    and the report again only when what they show changed, writing the same
    bytes a build from scratch would; when nothing changed (inputs, antq
    version, language) and the outputs are there, it writes nothing.

    Returns
    -------
    BuildReport
        A short report of what was read and written (in ``lang``), with
        ``errors``, the number of error findings, ``findings``, the file
        listing them, and ``seconds``, the time each step took.

    Examples
    --------
    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> print(build("data/raw", out, lang="en").splitlines()[1])
      3,726 rows: years 2015–2025, 316 areas, 9 indicators
    >>> report = build("data/raw", out, lang="en")
    >>> print(report), report.errors
    antq build: up to date, 12 workbooks unchanged; nothing written
    (None, 0)
    """
    stages = Stages()
    # The state's tables (the rows twice at national scale: 800 MB) are written by Arrow,
    # which frees the GIL: beside settling, validation and the outputs. The state is
    # trusted only once state.json is written, last.
    with ThreadPoolExecutor(1) as pool:
        with stages("read"):
            inp = _inputs(Path(raw), Path(out), options, as_lang(lang))
            stamp = inp.out / ".cache" / "build.json"
            # A .pdf or a lock file added or removed changes findings.csv and the report (a
            # line each), nothing else: not one of the settings, whose change redoes all.
            skipped = [f.source for f in inp.skipped]
            key = inputs_digest(inp.digests, **inp.read_settings, **inp.settings, skipped=skipped)
            errors = _up_to_date(stamp, key, inp.out) if cache else None
            if errors is not None:
                text = word("build.up_to_date", inp.lang, n=len(inp.files))
                return BuildReport(text, errors=errors, findings=inp.out / "findings.csv")
            # The stamp vouches for the outputs: gone before any is touched, written last.
            # A build that fails half way (yoy.csv spliced beside a validation that
            # raised) is never taken for up to date once its inputs are put back.
            stamp.unlink(missing_ok=True)
            state = State.load(inp.out / ".cache", inp.read_settings) if cache else State()
            reading = read_step(inp, state)
            release_free_memory()  # the workers' tables, copied into the rows
            _nothing_read(inp.raw, reading)
            # A state written whole starts with the rows as read: beside settling them.
            whole = cache and state.rows is None
            first = (
                pool.submit(write_rows, inp.out / ".cache", Handed(reading.rows)) if whole else None
            )
            settled = settle_step(reading, state, dict(inp.options.supersede or {}))
        # Nothing after needs the rows as read but the state: where settling copied them,
        # they are freed once written (360 MB at national scale).
        rows = first or Handed(reading.rows)
        reading = without_rows(reading)
        tables = pool.submit(state_tables, inp, reading, rows, settled, state) if cache else None
        if first is not None and not settled.is_rows:
            first.result()  # validation starts once the rows it copied are gone (~0,2 s)
        del rows, first
        last = _last_outputs(inp, settled, state)
        # A rebuild's yoy of the changed units is made beside validation (both spend much
        # of their time in NumPy and Arrow, which free the GIL: 0,6 s of a national
        # rebuild's 3); yoy of a whole table after it (beside it, a national build's peak
        # went from 0,95 to 1,25 GB).
        with ThreadPoolExecutor(1) as beside:
            changed = (
                beside.submit(_yoy_changed, inp, reading, settled, last, stages)
                if splices_yoy(inp, settled, last)
                else None
            )
            with stages("validate"):
                rules, how = validate_step(inp, reading, settled, state)
                found = all_findings(inp.skipped, reading, settled, rules)
                findings = findings_frame(found, inp.lang)
            written, kept = _write_outputs(inp, reading, settled, last, findings, stages, changed)
        errors = int((findings["severity"] == "error").sum())
        if tables is not None:
            with stages("state"):
                keep_state(inp, reading, settled, rules, kept, state, tables.result())
                write_text(stamp, json.dumps({"key": key, "errors": errors}))
    stats = {**reading.stats, "failed": len(reading.failed)}
    report = _report(settled, findings, inp, stats, written)
    report.seconds = {**stages.seconds, "validated": how}
    return report


def _inputs(raw: Path, out: Path, options: ReadOptions | None, lang: Lang) -> Inputs:
    _check_folders(raw, out)
    files, skipped = folder_listing(raw)  # one walk of the folder
    opts = (options or ReadOptions()).with_(errors="coerce")
    supersede = dict(opts.supersede) if opts.supersede is not None else read_supersedes(raw)
    opts = opts.with_(supersede=supersede)
    events = events_beside(raw)
    return Inputs(
        raw=raw,
        out=out,
        lang=lang,
        files=files,
        options=opts,
        events=events,
        digests=digests(files),
        read_settings={
            "year": opts.year,
            "within": opts.within,
            "include_hidden": opts.include_hidden,
            "max_bytes": opts.max_bytes,
        },
        settings={
            "lang": lang,
            "supersede": sorted(supersede.items()),
            "events": events.astype(str).to_numpy().tolist(),
            "code": code_digest(),
        },
        skipped=skipped,
    )


def _nothing_read(raw: Path, reading: Reading) -> None:
    if reading.rows.num_rows:
        return
    problems = "; ".join(reading.failed.values())
    raise AntqError(
        f"{raw}: nothing could be read ({problems or 'no workbooks found'})",
        vi=f"{raw}: không đọc được số liệu nào ({problems or 'không có file bảng tính'})",
    )


def _check_folders(raw: Path, out: Path) -> None:
    if not raw.exists():
        raise AntqError(
            f"{raw}: no such file or folder", vi=f"{raw}: không có file hoặc thư mục này"
        )
    if out.resolve() == raw.resolve() or raw.resolve() in out.resolve().parents:
        raise AntqError(
            f"{out}: outputs must not be written inside the raw folder {raw}",
            vi=f"{out}: không được ghi kết quả vào trong thư mục số liệu gốc {raw}",
        )


def _summaries(shown: pd.DataFrame, out: Path, lang: Lang, events: pd.DataFrame) -> dict[int, str]:
    """The paragraph of each year with a province row, written to ``summary/``; returns them
    by year (the report's summary sheet shows the same paragraphs).

    ``shown``: the rows of areas named at province level; a paragraph reads nothing else.
    """
    made: set[str] = set()
    texts = paragraphs(shown, lang=lang, events=events)
    for y, text in texts.items():
        write_text(out / "summary" / f"summary_{y}.txt", text + "\n")
        made.add(f"summary_{y}.txt")
    # A paragraph of an earlier build that this table no longer gives is not left behind.
    for old in (out / "summary").glob("summary_*.txt"):
        if old.name not in made:
            old.unlink()
    return texts


def _last_outputs(inp: Inputs, settled: Settled, state: State) -> State:
    """The last build's state where its outputs can be reused (same settings, same rows'
    shape), else an empty one: every output is written whole."""
    same = state.meta.get("settings") == inp.settings_key() and not settled.anew
    return state if same else State()


def _yoy_changed(
    inp: Inputs, reading: Reading, settled: Settled, last: State, stages: Stages
) -> Any:
    with stages("yoy of the changed units (beside validation)"):
        return write_yoy_changed(inp.out / "yoy.csv", settled, reading, last, inp.events, inp.lang)


def _write_outputs(
    inp: Inputs,
    reading: Reading,
    settled: Settled,
    last: State,
    findings: pd.DataFrame,
    stages: Stages,
    yoy_changed: Future[Any] | None = None,
) -> tuple[dict[str, int], Outputs]:
    """Every output of :data:`OUTPUTS`; returns how many summaries and charts were written,
    and what the next build needs to know of them.

    The user's known events (``events.csv`` beside the workbooks) go to each: the
    changes of ``yoy.csv``, the summaries, the charts and the report say the same.
    """
    out, kept = inp.out, Outputs()
    # The tidy files are written by Arrow, which frees the GIL: beside the charts and the
    # report, once yoy is done (beside yoy, the two held a national build's peak).
    with ThreadPoolExecutor(1) as pool:
        tidy: list[Future[dict[str, Any]]] = []

        def start_tidy() -> None:
            tidy.append(pool.submit(write_tidy, out, settled, reading, last))

        written = _write_rest(inp, settled, last, findings, kept, start_tidy, yoy_changed)
        with stages("tidy CSV/parquet (waited for)"):
            kept.meta["tidy_csv"] = tidy[0].result()
    seconds = written.pop("seconds")
    assert isinstance(seconds, dict)
    stages.seconds.update(seconds)
    return {k: int(v) for k, v in written.items()}, kept  # type: ignore[call-overload]


def _write_rest(
    inp: Inputs,
    settled: Settled,
    state: State,
    findings: pd.DataFrame,
    kept: Outputs,
    start_tidy: Callable[[], None],
    yoy_changed: Future[Any] | None = None,
) -> dict[str, object]:
    """Everything but the tidy files, which ``start_tidy`` has a thread write after yoy;
    ``yoy_changed``: yoy of the changed units, already started."""
    out, stages = inp.out, Stages()
    with stages("yoy"):
        kept.yoy_index = write_yoy(inp, Whole(settled), yoy_changed)
    start_tidy()
    with stages("findings CSV"):
        _csv(findings, out / "findings.csv")
    with stages("summaries"):
        texts = _summaries(province_rows(settled.table), out, inp.lang, inp.events)
    with stages("charts"):
        pngs = draw_charts(inp, settled, state, kept)
    with stages("Excel report"):
        write_excel(inp, settled, state, kept, findings, pngs, texts)
    return {"summaries": len(texts), "charts": len(pngs), "seconds": stages.seconds}


def _report(
    settled: Settled,
    findings: pd.DataFrame,
    inp: Inputs,
    stats: dict[str, int],
    written: dict[str, int],
) -> BuildReport:
    """What was read and written, in ``lang``; with errors, the file to open."""
    lang, table = inp.lang, settled.table
    years = sorted(int(y) for y in pa.compute.unique(table["year"]).to_pylist())
    counts = findings["severity"].value_counts()
    errors = int(counts.get("error", 0))
    areas = table.group_by(["province", "district", "area", "level"]).aggregate([]).num_rows
    lines = [
        word(
            "build.read",
            lang,
            n=stats["read"],
            raw=inp.raw,
            reused=Count(stats["reused"]),
            failed=Count(stats["failed"]),
        ),
        word(
            "build.rows",
            lang,
            n=table.num_rows,
            years=word("build.year", lang, year=years[0])
            if years[0] == years[-1]
            else word("build.years", lang, first=years[0], last=years[-1]),
            areas=areas,
            indicators=len(pa.compute.unique(table["indicator"])),
        ),
        word("build.findings", lang, counts=severity_counts(counts, lang)),
        word("build.wrote", lang, out=inp.out, **written),
    ]
    if errors:
        lines.append(word("build.open", lang, n=errors, file=inp.out / "findings.csv"))
    return BuildReport("\n".join(lines), errors=errors, findings=inp.out / "findings.csv")


def _up_to_date(stamp: Path, key: str, out: Path) -> int | None:
    """The number of error findings of the last build when nothing changed since, else None."""
    try:
        last = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if last.get("key") != key or not all((out / name).exists() for name in _CORE_OUTPUTS):
        return None
    return int(last.get("errors", 0))
