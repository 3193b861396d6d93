"""A cache of what was read, keyed by the raw files' content, for fast rebuilds.

``antq build`` keeps in ``<out>/.cache``: the rows and read findings of every
workbook, and a manifest of each workbook's SHA-256. A rebuild re-reads only
the workbooks whose content changed (or that are new) and drops those that are
gone; the cache is never trusted when stale: a file is reused only when its
bytes hash to the digest recorded, by the same antq version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from antq._io import atomic_write, write_text
from antq._version import __version__
from antq.findings import Finding
from antq.reading.reader import (
    ReadOptions,
    ReadResult,
    dedupe,
    find_workbooks,
    read_files,
    skipped_files,
    with_dtypes,
)

__all__ = ["CACHE_FORMAT", "digest", "inputs_digest", "read_cached"]

#: Bumped when what the cache stores changes shape (3: the accounting and skipped cells).
CACHE_FORMAT: int = 3


def digest(path: Path) -> str:
    """SHA-256 of a file's bytes.

    Examples
    --------
    >>> len(digest(Path("data/raw/BC_ANTQ_2020.xlsx")))
    64
    """
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def inputs_digest(digests: dict[str, str], **options: object) -> str:
    """One digest of every input's digest, the options and the antq version.

    Examples
    --------
    >>> a = inputs_digest({"a.xlsx": "0" * 64}, lang="vi")
    >>> a == inputs_digest({"a.xlsx": "1" * 64}, lang="vi"), len(a)
    (False, 64)
    """
    blob = json.dumps(
        {"files": digests, "options": options, "antq": __version__, "format": CACHE_FORMAT},
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass
class _Cached:
    """What the cache holds: each workbook's rows, findings, accounting and skipped cells."""

    manifest: dict[str, Any] = field(default_factory=dict)
    rows: pd.DataFrame | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    accounting: pd.DataFrame | None = None
    skipped: pd.DataFrame | None = None

    def files(self) -> dict[str, str]:
        return dict(self.manifest.get("files", {}))

    def merge(self, fresh: ReadResult, reuse: set[str]) -> ReadResult:
        """What was kept of the workbooks in ``reuse``, with what was read afresh."""
        frames = [r.drop(columns="file") for r in _kept(self.rows, "file", reuse)]
        if len(fresh.table):
            frames.append(fresh.table)
        rows = pd.concat(frames, ignore_index=True) if frames else fresh.table
        failed = {d: m for d, m in self.manifest.get("failed", {}).items() if d in reuse}
        failed.update(fresh.failed)
        findings = [
            Finding(**{k: v for k, v in f.items() if k != "file"})
            for f in self.findings
            if f["file"] in reuse
        ]
        return ReadResult(
            with_dtypes(rows.reset_index(drop=True)),
            findings + fresh.findings,
            failed,
            accounting=pd.concat(
                [*_kept(self.accounting, "file", reuse), fresh.accounting], ignore_index=True
            ),
            skipped=pd.concat(
                [*_kept(self.skipped, "file", reuse), fresh.skipped], ignore_index=True
            ),
        )


def _load(cache: Path) -> _Cached:
    try:
        manifest = json.loads((cache / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != CACHE_FORMAT or manifest.get("antq") != __version__:
            return _Cached()
        return _Cached(
            manifest,
            pd.read_parquet(cache / "rows.parquet"),
            json.loads((cache / "findings.json").read_text(encoding="utf-8")),
            pd.read_parquet(cache / "accounting.parquet"),
            pd.read_parquet(cache / "skipped.parquet"),
        )
    except (OSError, ValueError, KeyError):
        return _Cached()  # a missing or damaged cache is rebuilt, never trusted


def _file_column(rows: pd.DataFrame, names: list[str]) -> pd.Categorical:
    """The file of each row, from the few distinct "file!sheet" values (not a million splits)."""
    codes, tables = pd.factorize(rows["table"])
    names = sorted(names, key=len, reverse=True)  # "a!b.xlsx" before "a"
    of_table = [next((n for n in names if str(t).startswith(n + "!")), "") for t in tables]
    file_codes, files_seen = pd.factorize(pd.Index(of_table))
    return pd.Categorical.from_codes(file_codes[codes], categories=files_seen)


def _kept(frame: pd.DataFrame | None, column: str, reuse: set[str]) -> list[pd.DataFrame]:
    if frame is None or not reuse:
        return []
    return [frame[frame[column].isin(reuse)].drop(columns=[c for c in ["_file"] if c in frame])]


def _write(cache: Path, rows: pd.DataFrame, result: ReadResult, manifest: dict[str, Any]) -> None:
    """Write the cache: the rows with their file first, the manifest last (it vouches for them)."""
    cache.mkdir(parents=True, exist_ok=True)
    atomic_write(cache / "rows.parquet", lambda p: rows.to_parquet(p, index=False))
    atomic_write(
        cache / "accounting.parquet", lambda p: result.accounting.to_parquet(p, index=False)
    )
    atomic_write(cache / "skipped.parquet", lambda p: result.skipped.to_parquet(p, index=False))
    findings = [{**asdict(f), "file": f.source.split("!", 1)[0]} for f in result.findings]
    write_text(cache / "findings.json", json.dumps(findings, ensure_ascii=False))
    write_text(cache / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))


def read_cached(
    raw: Path,
    cache: Path,
    *,
    files: list[tuple[Path, str]] | None = None,
    digests: dict[str, str] | None = None,
    options: ReadOptions | None = None,
) -> tuple[ReadResult, dict[str, int]]:
    """Read ``raw`` (errors coerced), reusing what was read of unchanged workbooks from ``cache``.

    Returns the result, as :func:`antq.read` would give it (accounting included), and
    counts of workbooks ``read``, ``reused`` and ``dropped``.

    Examples
    --------
    >>> import tempfile
    >>> cache = Path(tempfile.mkdtemp())
    >>> _, first = read_cached(Path("data/raw"), cache)
    >>> result, again = read_cached(Path("data/raw"), cache)
    >>> first["read"], again["read"], again["reused"], len(result.accounting)
    (12, 0, 12, 22)
    """
    files = files if files is not None else find_workbooks(raw)
    digests = digests or {display: digest(path) for path, display in files}
    old = _load(cache)
    reuse = {d for d, h in digests.items() if old.files().get(d) == h}
    opts = (options or ReadOptions()).with_(errors="coerce")
    fresh = read_files([(p, d) for p, d in files if d not in reuse], opts, keep_duplicates=True)
    result = old.merge(fresh, reuse)
    manifest = {
        "format": CACHE_FORMAT,
        "antq": __version__,
        "files": digests,
        "failed": result.failed,
    }
    _write(
        cache, result.table.assign(file=_file_column(result.table, list(digests))), result, manifest
    )
    result = dedupe(result, opts.supersede or {})
    result.findings = skipped_files(raw) + result.findings
    stats = {
        "read": len(files) - len(reuse),
        "reused": len(reuse),
        "dropped": len(set(old.files()) - set(digests)),
    }
    return result, stats
