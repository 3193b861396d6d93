"""Copies of the source workbooks with each flagged cell highlighted and commented."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from antq._io import atomic_write
from antq.reading.reader import find_workbooks
from antq.types import Lang
from antq.vocab import word

__all__ = ["FILLS", "annotate"]

#: Cell fill by severity (Excel ARGB).
FILLS: dict[str, str] = {"error": "FFFF9999", "warning": "FFFFE699", "info": "FFDDEBF7"}
_CELL = re.compile(r"^[A-Z]{1,3}[0-9]+$")


def annotate(
    findings: pd.DataFrame, raw: str | Path, out: str | Path, *, lang: Lang = "vi"
) -> list[Path]:
    """Write copies of the workbooks under ``raw`` with the findings on their cells.

    Each flagged cell gets a fill by severity and a comment carrying the
    message(s); the files under ``raw`` are only read. Only .xlsx and .xlsm workbooks get a
    copy (:func:`annotatable`); the findings of the others are only listed.

    Parameters
    ----------
    findings
        A findings table (:func:`antq.check` or :func:`antq.validate`).
    raw
        The workbook or folder the findings' sources are relative to.
    out
        Folder for the annotated copies (same relative paths).
    lang
        Language of the severities in the comments ("Cảnh báo", "Warning"); the
        messages are those of ``findings``.

    Returns
    -------
    list of Path
        The copies written.

    Examples
    --------
    >>> import antq, tempfile
    >>> out = tempfile.mkdtemp()
    >>> [p.name for p in annotate(antq.check("data/raw"), "data/raw", out)]
    ['BC_ANTQ_2020.xlsx', 'BC_ANTQ_2024.xlsx', 'BC_ANTQ_2024_phu_luc_cap_xa.xlsx']
    """
    out = Path(out)
    raw_path = Path(raw).resolve()
    if out.resolve() == raw_path or raw_path in out.resolve().parents:
        raise ValueError("the annotated copies must not be written inside the raw folder")
    by_file: dict[str, list[tuple[str, str, str, str]]] = {}
    for _, f in findings.iterrows():
        parts = str(f["source"]).split("!")
        if len(parts) != 3 or not _CELL.match(parts[2]):
            continue
        by_file.setdefault(parts[0], []).append((parts[1], parts[2], f["severity"], f["message"]))
    written = []
    for path, display in find_workbooks(raw):
        notes = by_file.get(display)
        if not notes or not annotatable(path):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(path)
        grouped: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for sheet, cell, severity, message in notes:
            grouped.setdefault((sheet, cell), []).append((severity, message))
        for (sheet, cell), items in grouped.items():
            if sheet not in wb.sheetnames:
                continue
            c = wb[sheet][cell]
            worst = min((s for s, _ in items), key=list(FILLS).index)
            c.fill = PatternFill("solid", start_color=FILLS[worst], end_color=FILLS[worst])
            text = "\n".join(f"[{word(f'severity.{s}', lang)}] {m}" for s, m in items)
            c.comment = Comment(text, "antq", width=360, height=120)
        target = out / display
        atomic_write(target, wb.save)
        written.append(target)
    return written


#: What openpyxl can open and save with its formatting: the other formats antq reads
#: (.xls, .ods, .csv) have no copy to annotate; their findings are only listed.
ANNOTATABLE_SUFFIXES: frozenset[str] = frozenset({".xlsx", ".xlsm"})


def annotatable(path: str | Path) -> bool:
    """Whether :func:`annotate` can write a copy of ``path`` with its flagged cells marked.

    Examples
    --------
    >>> annotatable("BC_2020.xlsx"), annotatable("BC_2020.xls"), annotatable("bc.csv")
    (True, False, False)
    """
    return Path(path).suffix.lower() in ANNOTATABLE_SUFFIXES
