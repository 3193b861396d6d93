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
from dataclasses import asdict
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
    with_dtypes,
)

__all__ = ["CACHE_FORMAT", "digest", "inputs_digest", "read_cached"]

#: Bumped when what the cache stores changes shape.
CACHE_FORMAT: int = 2


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


def _load(cache: Path) -> tuple[dict[str, Any] | None, pd.DataFrame | None, list[dict[str, Any]]]:
    try:
        manifest = json.loads((cache / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != CACHE_FORMAT or manifest.get("antq") != __version__:
            return None, None, []
        table = pd.read_parquet(cache / "rows.parquet")
        findings = json.loads((cache / "findings.json").read_text(encoding="utf-8"))
        return manifest, table, findings
    except (OSError, ValueError, KeyError):
        return None, None, []  # a missing or damaged cache is rebuilt, never trusted


def read_cached(
    raw: Path,
    cache: Path,
    *,
    files: list[tuple[Path, str]] | None = None,
    digests: dict[str, str] | None = None,
    options: ReadOptions | None = None,
) -> tuple[ReadResult, dict[str, int]]:
    """Read ``raw`` (errors coerced), reusing the rows of unchanged workbooks from ``cache``.

    Returns the result, as :func:`antq.read` would give it, and counts of
    workbooks ``read``, ``reused`` and ``dropped``.

    Examples
    --------
    >>> import tempfile
    >>> cache = Path(tempfile.mkdtemp())
    >>> _, first = read_cached(Path("data/raw"), cache)
    >>> _, again = read_cached(Path("data/raw"), cache)
    >>> first["read"], again["read"], again["reused"]
    (12, 0, 12)
    """
    files = files if files is not None else find_workbooks(raw)
    digests = digests or {display: digest(path) for path, display in files}
    manifest, table, cached_findings = _load(cache)
    known: dict[str, str] = dict(manifest["files"]) if manifest else {}
    reuse = {d for d, h in digests.items() if known.get(d) == h}
    to_read = [(p, d) for p, d in files if d not in reuse]
    opts = (options or ReadOptions()).with_(errors="coerce")
    fresh = read_files(to_read, opts, keep_duplicates=True)
    frames = []
    if table is not None and reuse:
        frames.append(table[table["file"].isin(reuse)].drop(columns="file"))
    if len(fresh.table):
        frames.append(fresh.table)
    rows = pd.concat(frames, ignore_index=True) if frames else fresh.table
    # The file of each row, from the few distinct "file!sheet" values (not a million splits).
    codes, tables = pd.factorize(rows["table"])
    names = sorted(digests, key=len, reverse=True)  # "a!b.xlsx" before "a"
    of_table = [next((n for n in names if str(t).startswith(n + "!")), "") for t in tables]
    file_codes, files_seen = pd.factorize(pd.Index(of_table))
    file_col = pd.Categorical.from_codes(file_codes[codes], categories=files_seen)
    kept_findings = [f for f in cached_findings if f["file"] in reuse]
    new_findings = [{**asdict(f), "file": f.source.split("!", 1)[0]} for f in fresh.findings]
    failed = {d: m for d, m in (manifest or {}).get("failed", {}).items() if d in reuse}
    failed.update(fresh.failed)
    all_findings = kept_findings + new_findings
    # Write the cache first (rows with their file), then hand back the deduplicated table.
    cache.mkdir(parents=True, exist_ok=True)
    atomic_write(
        cache / "rows.parquet", lambda p: rows.assign(file=file_col).to_parquet(p, index=False)
    )
    write_text(cache / "findings.json", json.dumps(all_findings, ensure_ascii=False))
    write_text(
        cache / "manifest.json",
        json.dumps(
            {"format": CACHE_FORMAT, "antq": __version__, "files": digests, "failed": failed},
            ensure_ascii=False,
            indent=1,
        ),
    )
    findings = [Finding(**{k: v for k, v in f.items() if k != "file"}) for f in all_findings]
    result = dedupe(
        ReadResult(with_dtypes(rows.reset_index(drop=True)), findings, failed), opts.supersede or {}
    )
    stats = {"read": len(to_read), "reused": len(reuse), "dropped": len(set(known) - set(digests))}
    return result, stats
