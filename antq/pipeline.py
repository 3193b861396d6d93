"""``antq build``: rebuild ``data/processed`` from ``data/raw`` in one step."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pandas as pd

from antq._io import atomic_write, write_text
from antq.errors import AntqError, AntqWarning
from antq.findings import findings_frame
from antq.metrics.yoy import yoy
from antq.outputs.excel import to_excel
from antq.outputs.figures import figures
from antq.outputs.summary import summary
from antq.reading.cache import digest, inputs_digest, read_cached
from antq.reading.duplicates import read_supersedes
from antq.reading.reader import Paths, ReadOptions, find_workbooks, read, read_files
from antq.schema import TIDY_COLUMNS, check_tidy
from antq.series.events import events_beside
from antq.types import Lang, as_lang
from antq.validation import run_rules
from antq.vocab import Words, word

__all__ = ["OUTPUTS", "PROBLEM_SEVERITIES", "BuildReport", "build", "check"]

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
    import pyarrow as pa
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
    severity "error", and ``findings`` is the file that lists them.
    """

    errors: int
    findings: Path

    def __new__(cls, text: str, *, errors: int = 0, findings: Path | None = None) -> BuildReport:
        report = super().__new__(cls, text)
        report.errors = errors
        report.findings = findings or Path("findings.csv")
        return report


def _counts(counts: pd.Series, lang: Lang) -> str:
    return ", ".join(
        f"{int(counts.get(s, 0))} {word(f'severity.{s}', lang).lower()}"
        for s in ("error", "warning", "info")
    )


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
    keeps what was read, keyed by each workbook's content: a rebuild re-reads
    only changed workbooks, and when nothing changed (inputs, antq version,
    language) and the outputs are there, it writes nothing.

    Returns
    -------
    BuildReport
        A short report of what was read and written (in ``lang``), with
        ``errors``, the number of error findings, and ``findings``, the file
        listing them.

    Examples
    --------
    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> print(build("data/raw", out, lang="en").splitlines()[1])
      3726 rows: years 2015–2025, 316 areas, 9 indicators
    >>> report = build("data/raw", out, lang="en")
    >>> print(report), report.errors
    antq build: up to date, 12 workbooks unchanged; nothing written
    (None, 0)
    """
    raw, out = Path(raw), Path(out)
    _check_folders(raw, out)
    lang = as_lang(lang)
    files = find_workbooks(raw)
    opts = (options or ReadOptions()).with_(errors="coerce")
    supersede = dict(opts.supersede) if opts.supersede is not None else read_supersedes(raw)
    opts = opts.with_(supersede=supersede)
    stamp, key = out / ".cache" / "build.json", ""
    events = events_beside(raw)
    if cache:
        digests = {display: digest(path) for path, display in files}
        settings = {
            "lang": lang,
            "year": opts.year,
            "within": opts.within,
            "include_hidden": opts.include_hidden,
            "supersede": sorted(supersede.items()),
            "events": events.astype(str).to_numpy().tolist(),
        }
        key = inputs_digest(digests, **settings)
        errors = _up_to_date(stamp, key, out)
        if errors is not None:
            text = word("build.up_to_date", lang, n=len(files))
            return BuildReport(text, errors=errors, findings=out / "findings.csv")
        result, stats = read_cached(raw, out / ".cache", files=files, digests=digests, options=opts)
    else:
        result = read_files(files, opts)
        stats = {"read": len(files), "reused": 0, "dropped": 0}
    if result.table.empty:
        problems = "; ".join(result.failed.values()) or "no workbooks found"
        raise AntqError(
            f"{raw}: nothing could be read ({problems})",
            vi=f"{raw}: không đọc được số liệu nào ({problems or 'không có file bảng tính'})",
        )
    tidy = check_tidy(result.table[list(TIDY_COLUMNS)].reset_index(drop=True))
    findings = findings_frame(result.findings + run_rules(result.table, events=events), lang)
    written = _write_outputs(tidy, findings, out, lang, events)
    errors = int((findings["severity"] == "error").sum())
    if cache:
        write_text(stamp, json.dumps({"key": key, "errors": errors}))
    stats["failed"] = len(result.failed)
    return _report(tidy, findings, raw, out, stats, written, lang)


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


def _summaries(tidy: pd.DataFrame, out: Path, lang: Lang, events: pd.DataFrame) -> int:
    """The paragraph of each year with a province row; returns how many were written."""
    written = 0
    for y in sorted(int(y) for y in tidy["year"].unique()):
        try:
            with warnings.catch_warnings():
                # A figure left out is an error finding already (read.not_a_number).
                warnings.simplefilter("ignore", AntqWarning)
                text = summary(tidy, year=y, lang=lang, events=events)
        except AntqError:
            continue  # a year without one province row has no province summary
        write_text(out / "summary" / f"summary_{y}.txt", text + "\n")
        written += 1
    return written


def _write_outputs(
    tidy: pd.DataFrame, findings: pd.DataFrame, out: Path, lang: Lang, events: pd.DataFrame
) -> dict[str, int]:
    """Every output of :data:`OUTPUTS`; returns how many summaries and charts were written.

    The user's known events (``events.csv`` beside the workbooks) go to each: the
    changes of ``yoy.csv``, the summaries, the charts and the report say the same.
    """
    atomic_write(out / "tidy.parquet", lambda p: tidy.to_parquet(p, index=False))
    _csv(tidy, out / "tidy.csv")
    _csv(yoy(tidy, events=events, lang=lang), out / "yoy.csv")
    _csv(findings, out / "findings.csv")
    summaries = _summaries(tidy, out, lang, events)
    pngs = figures(tidy, out / "figures", lang=lang, events=events)
    to_excel(
        tidy, out / "bao_cao_antq.xlsx", findings=findings, lang=lang, events=events, pictures=pngs
    )
    return {"summaries": summaries, "charts": len(pngs)}


def _report(
    tidy: pd.DataFrame,
    findings: pd.DataFrame,
    raw: Path,
    out: Path,
    stats: dict[str, int],
    written: dict[str, int],
    lang: Lang,
) -> BuildReport:
    """What was read and written, in ``lang``; with errors, the file to open."""
    w = Words("build", lang)
    years = sorted(int(y) for y in tidy["year"].unique())
    counts = findings["severity"].value_counts()
    errors = int(counts.get("error", 0))
    lines = [
        w["read"].format(n=stats["read"], raw=raw, reused=stats["reused"], failed=stats["failed"]),
        w["rows"].format(
            n=len(tidy),
            first=years[0],
            last=years[-1],
            areas=len(tidy[["province", "district", "area", "level"]].drop_duplicates()),
            indicators=tidy["indicator"].nunique(),
        ),
        w["findings"].format(counts=_counts(counts, lang)),
        w["wrote"].format(out=out, **written),
    ]
    if errors:
        lines.append(w["open"].format(n=errors, file=out / "findings.csv"))
    return BuildReport("\n".join(lines), errors=errors, findings=out / "findings.csv")


def _up_to_date(stamp: Path, key: str, out: Path) -> int | None:
    """The number of error findings of the last build when nothing changed since, else None."""
    try:
        last = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if last.get("key") != key or not all((out / name).exists() for name in _CORE_OUTPUTS):
        return None
    return int(last.get("errors", 0))
