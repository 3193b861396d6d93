"""A new indicator with a new unit is rows of CSV files, and every stage takes it.

"Chợ an toàn về ANTT" (markets safe for security and order) counts markets, a
unit antq does not know. It is added in a temporary vocabulary
(:func:`antq.vocab.use`): a row of ``units.csv``, of ``indicators.csv`` and of
``header_terms.csv``; then two yearly workbooks with a column for it are read,
checked, compared year on year, summarised, drawn and written to the report.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from conftest import write_book
from openpyxl import load_workbook

import antq
from antq import plot, vocab
from antq.metrics.yoy import yoy
from antq.outputs.excel import to_excel
from antq.outputs.summary import summary
from antq.validation import validate

CODE = "safe_market"
LABEL_VI = "Chợ an toàn về ANTT"
LABEL_EN = "Markets safe for security and order"


def _append(folder: Path, name: str, row: dict[str, str]) -> None:
    src = resources.files("antq.data").joinpath(name)
    with src.open(encoding="utf-8") as f:
        fields = list(csv.DictReader(f).fieldnames or [])
    shutil.copy(str(src), folder / name)
    with (folder / name).open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fields, lineterminator="\n").writerow(row)


@pytest.fixture
def markets(tmp_path: Path) -> Iterator[Path]:
    """A vocabulary with the new unit and indicator, in use for the test; the raw folder."""
    voc = tmp_path / "vocab"
    voc.mkdir()
    _append(
        voc,
        "units.csv",
        dict(unit="market", word_vi="chợ", word_en="markets", denominator_jump="0.20", note=""),
    )
    _append(
        voc,
        "indicators.csv",
        dict(
            code=CODE,
            group="safety",
            label_vi=LABEL_VI,
            label_en=LABEL_EN,
            unit="market",
            qualifier="safe",
            phrase_vi="chợ",
            phrase_en="markets",
            shown_as="rate",
            change_in="rate",
        ),
    )
    _append(voc, "header_terms.csv", dict(kind="unit", term="chợ", value="market", note=""))
    raw = tmp_path / "raw"
    raw.mkdir()
    # Two districts and the province; markets 40 → 41 (Hải Hậu) and 20 → 25 (Vụ Bản: +25%).
    for year, rows in {
        2019: [
            ("Hải Hậu", 40, 30, 60, 50),
            ("Vụ Bản", 20, 10, 30, 25),
            ("Tổng cộng", 60, 40, 90, 75),
        ],
        2020: [
            ("Hải Hậu", 41, 35, 60, 52),
            ("Vụ Bản", 25, 20, 30, 26),
            ("Tổng cộng", 66, 55, 90, 78),
        ],
    }.items():
        write_book(
            raw / f"BC_{year}.xlsx",
            {
                "S": [
                    ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
                    [f"KẾT QUẢ NĂM {year}"],
                    [
                        "Đơn vị",
                        "Tổng số chợ",
                        "Chợ an toàn về ANTT",
                        "Tổng số cơ quan",
                        "Cơ quan an toàn ANTT",
                    ],
                    *[list(r) for r in rows],
                ]
            },
        )
    with vocab.use(voc):
        yield raw


def test_a_new_indicator_goes_through_every_stage(markets: Path, tmp_path: Path) -> None:
    # Read: the column is the new indicator, in its unit.
    df = antq.load(markets)
    mk = df[df["indicator"] == CODE].set_index(["year", "area"])
    assert len(mk) == 6
    assert (mk.loc[(2020, "Huyện Vụ Bản"), ["achieved", "total"]].tolist()) == [20, 25]
    assert mk.loc[(2020, "Tỉnh Nam Định"), "rate"] == pytest.approx(55 / 66)
    assert set(df["indicator"]) == {CODE, "safe_agency"}

    # Validate: the new unit's jump limit (20%) applies: 20 → 25 is flagged, 40 → 41 is not.
    f = validate(df, lang="en")
    jumps = f[(f["rule"] == "denominator.jump") & (f["indicator"] == CODE)]
    assert jumps["area"].tolist() == ["Huyện Vụ Bản"] and jumps["expected"].tolist() == [
        "within ±20%"
    ]
    assert not f["severity"].eq("error").any()

    # Year on year.
    y = yoy(df).query("indicator == @CODE and year == 2020").set_index("area")
    assert y.loc["Huyện Hải Hậu", "change_pp"] == pytest.approx((35 / 41 - 30 / 40) * 100)
    assert y.loc["Huyện Hải Hậu", "total_prev"] == 40

    # The annual paragraph names it with its rate and change, in both languages.
    vi = summary(df, year=2020)
    assert "55 chợ (chiếm tỷ lệ 83,33%, tăng 16,67 điểm phần trăm so với năm 2019)" in vi, vi
    en = summary(df, year=2020, lang="en")
    assert "55 markets (83.33%, up 16.67 percentage points on 2019)" in en, en

    # A chart: a line of its own among the safety indicators, and one per district.
    ax = plot.trend(df, area="Tỉnh Nam Định", group="safety", ax=plt.figure().gca())
    assert LABEL_VI in [t.get_text() for t in ax.get_legend().get_texts()]
    ax = plot.trend(df, indicator=CODE, level="district", ax=plt.figure().gca())
    assert LABEL_VI in ax.get_title(loc="left") and len(ax.get_legend().get_texts()) == 2
    plt.close("all")

    # The Excel report: on the safety sheet, in the data and in the findings.
    path = to_excel(df, tmp_path / "r.xlsx", findings=validate(df), charts=True)
    wb = load_workbook(path)

    def cells(sheet: str) -> set[str]:
        return {str(c.value) for row in wb[sheet].iter_rows() for c in row if c.value is not None}

    assert any(LABEL_VI in t for t in cells("An toàn ANTT"))
    assert LABEL_VI in cells(wb.sheetnames[-1])  # the data, codes shown as words
    assert LABEL_VI in cells("Kiểm tra số liệu")  # the jump found above
    assert len(wb["Biểu đồ"]._images) >= 1


def test_without_the_new_rows_the_column_is_not_read(markets: Path) -> None:
    # The same workbooks with the package's vocabulary: no such indicator, the column reported.
    with vocab.use(Path("/nonexistent-folder-uses-the-package-tables")):
        res = antq.read(markets)
    assert CODE not in set(res.table["indicator"])
    assert "read.unrecognised_column" in {f.rule for f in res.findings}
