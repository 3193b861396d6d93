"""The same unit, year and indicator read twice: found with array operations, reported once.

A key read twice is either the same value twice (a workbook copied into two
folders: one row kept, one ``duplicate.same`` finding per pair of files), a
correction whose file the analyst declared to supersede the other (its value
kept, ``duplicate.superseded``), or a conflict nobody settled
(``duplicate.conflict``, an error naming both cells; the first file in name
order is kept until ``supersedes.csv`` says otherwise).

Everything is computed on integer codes and NumPy arrays: the cost grows with
the rows, not with a Python loop per duplicate.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from antq.errors import AntqError
from antq.findings import Finding, finding
from antq.schema import KEY

__all__ = [
    "SUPERSEDES_FILE",
    "Duplicates",
    "complete",
    "find_duplicates",
    "key_hashes",
    "read_supersedes",
    "repeated",
]

#: The table in a raw folder saying which file replaces which: columns ``file, supersedes``.
SUPERSEDES_FILE: str = "supersedes.csv"
_VALUES = ("achieved", "total", "reported_rate")
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MISSING = np.uint64(0x5BD1E9955BD1E995)


@dataclass
class Duplicates:
    """What :func:`find_duplicates` found."""

    #: Rows to keep (one per key), aligned with the table.
    keep: np.ndarray
    #: One row per dropped row: its key, its value and cell, the kept value and cell,
    #: ``outcome`` ("same": the values agree, or one reading lacks some; "superseded";
    #: "conflict"), the files ``file`` and ``kept_file`` of both, ``by_file`` (of a superseded
    #: row: the file said to replace it) and the positions ``row`` and ``kept_row`` in the table.
    pairs: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)


def read_supersedes(folder: Path) -> dict[str, tuple[str, ...]]:
    """``{newer file: (older files…)}`` from ``supersedes.csv`` in ``folder``, if there is one.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "supersedes.csv").write_text("file,supersedes\\nHH_v2.xlsx,HH.xlsx\\n")
    >>> read_supersedes(d)
    {'HH_v2.xlsx': ('HH.xlsx',)}
    """
    path = Path(folder) / SUPERSEDES_FILE
    if not path.is_file():
        return {}
    out: dict[str, list[str]] = {}
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    for i, row in enumerate(rows, start=2):
        newer, older = (row.get("file") or "").strip(), (row.get("supersedes") or "").strip()
        if not newer or not older:
            raise AntqError(
                f"{path} line {i}: expected the columns 'file,supersedes' (the newer file, then "
                "the file it replaces)",
                vi=f"{path} dòng {i}: cần hai cột 'file,supersedes' (file mới, rồi file được thay)",
            )
        out.setdefault(newer, []).append(older)
    return {k: tuple(v) for k, v in out.items()}


def _closure(supersede: Mapping[str, tuple[str, ...]]) -> set[tuple[str, str]]:
    """Every (newer, older) pair, following chains: v3 supersedes v2 supersedes v1."""
    pairs = {(new, old) for new, olds in supersede.items() for old in olds}
    while True:
        more = {(a, d) for a, b in pairs for c, d in pairs if b == c and a != d} - pairs
        if not more:
            return pairs
        pairs |= more


def _superseded(key: np.ndarray, files: pd.Series, pairs: set[tuple[str, str]]) -> np.ndarray:
    """Per row, the file that supersedes its file and gives the same key ("" where none).

    Newer files are tried in name order; the first that gives the key is named.
    """
    out = np.full(len(key), "", dtype=object)
    names = files.to_numpy()
    for newer, older in sorted(pairs):
        old_rows = (names == older) & (out == "")
        if old_rows.any():
            out[old_rows & np.isin(key, key[names == newer])] = newer
    return out


def _named_superseder(
    by: np.ndarray,
    files: pd.Series,
    dropped: np.ndarray,
    kept: np.ndarray,
    pairs: set[tuple[str, str]],
) -> np.ndarray:
    """The file a superseded row is said to be replaced by: the kept row's file where it
    supersedes the row's (the newest of a chain), else the one that does (the kept row may
    come from a copy of it, first by name, that supersedes nothing)."""
    if not pairs:
        return by
    old, new = files.iloc[dropped].tolist(), files.iloc[kept].tolist()
    kept_supersedes = np.array([(n, o) in pairs for n, o in zip(new, old, strict=True)], bool)
    return np.where(kept_supersedes, np.array(new, dtype=object), by)


#: Digests of the texts hashed so far: a folder's workbooks repeat their names, indicators
#: and levels in every chunk of rows (bounded: emptied before a call once it holds more
#: than this many; a national load's key columns hold about 13.000 texts).
_DIGESTS: dict[str, bytes] = {}
_DIGESTS_KEPT = 1 << 18
_MISSING_BYTES = _MISSING.tobytes()


def _digest(v: object) -> bytes:
    return hashlib.blake2b(repr(v).encode(), digest_size=8).digest()


def _value_hashes(values: list[object]) -> np.ndarray:
    """Each value's 64-bit hash: the first 8 bytes of the BLAKE2b of its ``repr``, one
    ``frombuffer`` for them all (one call per value cost as much as the digest)."""
    if len(_DIGESTS) > _DIGESTS_KEPT:
        _DIGESTS.clear()
    memo = _DIGESTS
    digests = []
    for v in values:
        if v is None:
            digests.append(_MISSING_BYTES)
        elif v.__class__ is str:
            d = memo.get(v)
            if d is None:
                d = memo[v] = _digest(v)
            digests.append(d)
        else:
            digests.append(_digest(v))
    return np.frombuffer(b"".join(digests), dtype=np.uint64).copy()


def key_hashes(table: pa.Table, columns: Iterable[str] = KEY) -> np.ndarray:
    """A 64-bit hash of each row's key, the same in every run (each distinct value hashed once).

    Examples
    --------
    >>> t = pa.table({"a": ["x", "y", "x"], "b": [1, 1, 1]})
    >>> h = key_hashes(t, ["a", "b"])
    >>> bool(h[0] == h[2]), bool(h[0] == h[1])
    (True, False)
    """
    out = np.zeros(table.num_rows, dtype=np.uint64)
    for name in columns:
        col = table[name].combine_chunks() if table.num_rows else pa.array([], pa.string())
        encoded = pc.dictionary_encode(col)
        per_value = _value_hashes(encoded.dictionary.to_pylist())
        idx = encoded.indices.to_numpy(zero_copy_only=False)
        nulls = encoded.is_null().to_numpy(zero_copy_only=False)
        h = per_value[np.where(nulls, 0, idx).astype(np.int64)] if len(per_value) else out.copy()
        h = np.where(nulls, _MISSING, h)
        with np.errstate(over="ignore"):
            out = (out * _MIX + h) & _MASK
            out ^= out >> np.uint64(29)
    return out


def _key_codes(df: pd.DataFrame) -> np.ndarray:
    """One integer per key (factorised columns; NA is a value of its own).

    The codes of the columns are combined by multiplication; when the product of their
    counts could pass int64, the key so far is factorised again first (its count is at most
    the number of rows), so two keys never share a code.
    """
    key = np.zeros(len(df), dtype=np.int64)
    bound = 1
    for col in KEY:
        codes, uniques = pd.factorize(df[col], use_na_sentinel=False)
        if bound * (len(uniques) + 1) >= 2**62:
            key, seen = pd.factorize(key)
            bound = len(seen) + 1
        key = key * (len(uniques) + 1) + codes
        bound *= len(uniques) + 1
    return key


def repeated(key: np.ndarray) -> np.ndarray:
    """The positions of the keys that occur more than once, in order.

    Sorting the codes finds the repeated ones in a third of the time a hash table of a
    million codes takes (pandas ``duplicated``); each key is then looked up among those few.

    Examples
    --------
    >>> repeated(np.array([7, 3, 7, 5, 3, 9])).tolist()
    [0, 1, 2, 4]
    """
    ordered = np.sort(key)
    twice = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not len(twice):
        return np.zeros(0, dtype=np.intp)
    at = np.minimum(np.searchsorted(twice, key), len(twice) - 1)
    return np.flatnonzero(twice[at] == key)


def _repeated_keys(df: pd.DataFrame, hashes: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the rows whose key occurs more than once, and their key codes.

    With the rows' hashes, only those whose hash repeats have their keys compared: a hash
    shared by two keys (never seen, but possible) is told apart there.
    """
    if hashes is None:
        key = _key_codes(df)
        rows = repeated(key)
        return rows, key[rows]
    if len(hashes) != len(df):  # hashes of another table would pair unrelated rows
        raise ValueError(f"{len(hashes)} key hashes for a table of {len(df)} rows")
    alike = repeated(hashes.view(np.int64))
    if not len(alike):
        return alike, alike.astype(np.int64)
    key = _key_codes(df.iloc[alike])
    again = repeated(key)
    return alike[again], key[again]


def _files(df: pd.DataFrame, rows: np.ndarray) -> pd.Series:
    """The file of each of ``rows`` ("a.xlsx" of "a.xlsx!S!D9"), from its few distinct tables
    where every row of ``df`` has one: splitting a million sources takes seconds."""
    col = df["table"] if "table" in df.columns and df["table"].notna().all() else df["source"]
    codes, uniques = pd.factorize(col.iloc[rows].astype("string"))
    names = pd.Series(uniques, dtype="string").str.split("!", n=1).str[0].fillna("")
    out = np.append(names.to_numpy(dtype=object), "")[codes]  # code -1 (missing): ""
    return pd.Series(out, dtype="string")


def _agree(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Equal, or given in one reading only (a rate without its total, and the total elsewhere)."""
    x, y = a.to_numpy(dtype=float, na_value=np.nan), b.to_numpy(dtype=float, na_value=np.nan)
    return (x == y) | np.isnan(x) | np.isnan(y)


def find_duplicates(
    df: pd.DataFrame,
    *,
    supersede: Mapping[str, tuple[str, ...]] | None = None,
    hashes: np.ndarray | None = None,
) -> Duplicates:
    """Rows that share a key, which one to keep, and the findings, without a loop per row.

    Parameters
    ----------
    df
        A table with the tidy columns (and ``source``).
    supersede
        ``{newer file: (older files…)}``: where two files give the same key, the
        newer one's value is kept (see :func:`read_supersedes`).
    hashes
        Each row's :func:`key_hashes`, where they are known (the reader's workers make
        them): only the rows whose hash repeats are compared, by their keys.

    Examples
    --------
    >>> import antq
    >>> df = antq.load("data/raw")
    >>> both = pd.concat([df, df.assign(source="copy.xlsx!S!A1")], ignore_index=True)
    >>> d = find_duplicates(both)
    >>> int(d.keep.sum()) == len(df), {f.rule for f in d.findings}, len(d.findings)
    (True, {'duplicate.same'}, 12)
    """
    n = len(df)
    keep = np.ones(n, dtype=bool)
    # Only the rows of a key read more than once can be dropped: the file names, the order
    # and the pairs are worked out on those few, not on every row.
    rows, key = _repeated_keys(df, hashes)
    if not len(rows):
        return Duplicates(keep, pd.DataFrame())
    files = _files(df, rows)
    newer_older = _closure(supersede or {})  # chains followed
    by = _superseded(key, files, newer_older)
    gone = by != ""
    # Sort by key, rows of superseded files last, then by file name and the order within
    # the file: the first of each run of equal keys is kept, whatever order the rows came in
    # (a rebuild puts cached files before re-read ones).
    codes, _names = pd.factorize(files, sort=True)
    at = np.arange(len(rows))
    order = np.lexsort((at, codes, gone, key))
    ks = key[order]
    starts = np.r_[True, ks[1:] != ks[:-1]]
    first_pos = np.maximum.accumulate(np.where(starts, at, 0))
    keep[rows] = False
    keep[rows[order[starts]]] = True
    # Positions among ``rows`` of each dropped row and of the row kept for its key.
    dropped, kept = order[~starts], order[first_pos][~starts]
    d = df.iloc[rows[dropped]].reset_index(drop=True)
    k = df.iloc[rows[kept]].reset_index(drop=True)
    same = np.logical_and.reduce([_agree(d[c], k[c]) for c in _VALUES])
    outcome = np.where(gone[dropped], "superseded", np.where(same, "same", "conflict"))
    pairs = d[list(KEY)].assign(
        achieved=d["achieved"],
        source=d["source"],
        kept_achieved=k["achieved"],
        kept_source=k["source"],
        outcome=outcome,
        file=files.iloc[dropped].to_numpy(),
        kept_file=files.iloc[kept].to_numpy(),
        by_file=_named_superseder(by[dropped], files, dropped, kept, newer_older),
        row=rows[dropped],
        kept_row=rows[kept],
    )
    return Duplicates(keep, pairs, _findings(pairs))


#: What settles a conflict, by whether both cells are in one file (supersedes.csv cannot).
_CONFLICT_ADVICE: dict[bool, dict[str, str]] = {
    False: {
        "advice": "say which file supersedes which in supersedes.csv in the raw folder.",
        "advice_vi": "ghi file nào thay thế file nào vào supersedes.csv trong thư mục số liệu.",
    },
    True: {
        "advice": "both cells are in one file, which supersedes.csv cannot settle: correct "
        "the file (one unit written twice) and send it again.",
        "advice_vi": "cả hai ô ở cùng một file, supersedes.csv không phân xử được: sửa lại "
        "file (một đơn vị ghi hai lần) rồi gửi lại.",
    },
}


def _findings(pairs: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    conflicts = pairs[pairs["outcome"] == "conflict"]
    for row in conflicts.itertuples(index=False):
        out.append(
            finding(
                "duplicate.conflict",
                str(row.source),
                year=int(row.year),
                area=str(row.area),
                level=str(row.level),
                indicator=str(row.indicator),
                first=_show(row.kept_achieved),
                s1=row.kept_source,
                second=_show(row.achieved),
                s2=row.source,
                expected=f"{_show(row.kept_achieved)} ({row.kept_source})",
                found=_show(row.achieved),
                **_CONFLICT_ADVICE[row.file == row.kept_file],
            )
        )
    # The same values twice, or a whole superseded file: one line per pair of files.
    for outcome, rule in (("same", "duplicate.same"), ("superseded", "duplicate.superseded")):
        sub = pairs[pairs["outcome"] == outcome]
        winner_col = "by_file" if outcome == "superseded" else "kept_file"
        for (file, winner), grp in sub.groupby(["file", winner_col], sort=True):
            differs = (grp["achieved"].astype("Float64") != grp["kept_achieved"]).fillna(True)
            changed = int(differs.sum())
            # A replaced file's example is a value that changed, where one did.
            example = differs.to_numpy() if changed and outcome == "superseded" else slice(None)
            first = grp[example].iloc[0]
            dropped_file = file
            out.append(
                finding(
                    rule,
                    str(first["source"]),
                    n=len(grp),
                    file=winner if outcome == "superseded" else dropped_file,
                    other=dropped_file if outcome == "superseded" else winner,
                    changed=changed,
                    year=int(first["year"]),
                    area=str(first["area"]),
                    level=str(first["level"]),
                    indicator=str(first["indicator"]),
                )
            )
    return out


def _show(value: object) -> str:
    return "NA" if value is None or pd.isna(value) else str(value)


def complete(table: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """The table with each kept row's missing count, total or rate taken from a reading that
    agrees.

    A province report gives a rate without its total and the commune annex the
    total: one row, with the total and its cell from the annex. Rows at
    ``pairs.kept_row`` are completed; ``table`` is not modified. (The count too: a cell
    only the dropped reading gives would otherwise be accounted as a duplicate while its
    number is missing from the table.)

    Examples
    --------
    >>> t = pd.DataFrame({"achieved": [5, 5], "total": pd.array([None, 8], dtype="Int64"),
    ...     "reported_rate": [0.625, None], "rate": [None, 0.625],
    ...     "total_source": [None, "b.xlsx!S!C4"], "rate_source": ["a.xlsx!S!E4", None]})
    >>> p = pd.DataFrame({"outcome": ["same"], "row": [1], "kept_row": [0]})
    >>> row = complete(t, p).loc[0]
    >>> int(row["total"]), row["total_source"]
    (8, 'b.xlsx!S!C4')
    """
    agree = pairs[pairs["outcome"] == "same"] if len(pairs) else pairs
    if agree.empty:
        return table
    out = table.copy()
    for col, src in (
        ("achieved", "source"),
        ("total", "total_source"),
        ("reported_rate", "rate_source"),
    ):
        donors = out.iloc[agree["row"].to_numpy()][[col, *([src] if src in out else [])]]
        donors.index = pd.Index(agree["kept_row"].to_numpy())
        donors = donors[donors[col].notna()].groupby(level=0).first()
        if donors.empty:
            continue
        kept = out.index[donors.index.to_numpy()]
        gap = out.loc[kept, col].isna().to_numpy()
        where = kept[gap]
        out.loc[where, col] = donors[col].to_numpy()[gap]
        if src in out:
            out.loc[where, src] = donors[src].to_numpy()[gap]
    total = out["total"].astype("Float64")
    out["rate"] = (out["achieved"].astype("Float64") / total.where(total != 0)).astype("Float64")
    return out
