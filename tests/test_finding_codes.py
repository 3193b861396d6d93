"""Every code of the finding catalogue (antq/data/findings.csv) fired by a small case of its own.

A code added to the catalogue without a case here fails
:func:`test_every_catalogue_code_has_a_case`; a case whose code no longer fires
fails its own test. Each case returns the findings of one small run (a read of
a workbook written here, or ``validate`` of a table), and the test checks the
code is among them with the catalogue's severity.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from conftest import two_years, write_book

import antq
from antq.findings import catalogue
from antq.validation import validate

HEAD = ["Đơn vị", "Cơ quan an toàn ANTT"]


def _read(path: Path, **kw: object) -> pd.DataFrame:
    """The findings of reading ``path`` (coercing bad cells), as a frame with a severity column."""
    res = antq.read(path, errors="coerce", **kw)
    return pd.DataFrame(
        {"rule": [f.rule for f in res.findings], "severity": [f.severity for f in res.findings]}
    )


def _book(tmp: Path, rows: list[list[object]], name: str = "r.xlsx", **kw: object) -> Path:
    return write_book(tmp / name, {"S": rows}, **kw)


def table(*rows: dict[str, object]) -> pd.DataFrame:
    out = []
    for i, r in enumerate(rows):
        base: dict[str, object] = dict(
            year=2020,
            area="Huyện Hải Hậu",
            level="district",
            indicator="safe_agency",
            achieved=50,
            total=60,
            reported_rate=None,
            source=f"f.xlsx!S!D{i + 5}",
        )
        base.update(r)
        out.append(base)
    return antq.as_tidy(pd.DataFrame(out), unique=False)


# ---- the cases: code → a run whose findings include it --------------------------------------


def unreadable(tmp: Path) -> pd.DataFrame:
    (tmp / "junk.xlsx").write_bytes(b"not a workbook")
    return _read(tmp / "junk.xlsx")


def not_a_number(tmp: Path) -> pd.DataFrame:
    return _read(_book(tmp, [["NĂM 2020"], HEAD, ["Hải Hậu", "sáu mươi"], ["Mỹ Lộc", 40]]))


def uncached_formula(tmp: Path) -> pd.DataFrame:
    rows = [["NĂM 2020"], HEAD, ["Hải Hậu", 60], ["Mỹ Lộc", 40], ["Tổng cộng", "=B3+B4"]]
    return _read(_book(tmp, rows))


def no_area(tmp: Path) -> pd.DataFrame:
    return _read(_book(tmp, [["NĂM 2020"], HEAD, ["Hải Hậu", 60], [None, 40]]))


def unrecognised_column(tmp: Path) -> pd.DataFrame:
    rows = [["NĂM 2020"], [*HEAD, "Tính toán tạm"], ["Hải Hậu", 60, 0.5]]
    return _read(_book(tmp, rows))


def duplicate_column(tmp: Path) -> pd.DataFrame:
    rows = [["NĂM 2020"], [*HEAD, "Cơ quan an toàn ANTT"], ["Hải Hậu", 60, 61]]
    return _read(_book(tmp, rows))


def fraction_total(tmp: Path) -> pd.DataFrame:
    rows = [["NĂM 2020"], ["Đơn vị", "Tổng số cơ quan", "Cơ quan an toàn ANTT"]]
    rows += [["Hải Hậu", 60, "50/61"]]
    return _read(_book(tmp, rows))


def hidden_sheet(tmp: Path) -> pd.DataFrame:
    rows = [["NĂM 2020"], HEAD, ["Hải Hậu", 60]]
    old = [["NĂM 2019"], HEAD, ["Hải Hậu", 55]]
    return _read(write_book(tmp / "h.xlsx", {"S": rows, "Old": old}, hidden=["Old"]))


def no_table(tmp: Path) -> pd.DataFrame:
    rows = [["NĂM 2020"], HEAD, ["Hải Hậu", 60]]
    models = [["DANH SÁCH MÔ HÌNH"], ["STT", "Tên mô hình"], [1, "Camera an ninh"]]
    return _read(write_book(tmp / "m.xlsx", {"Mô hình": models, "S": rows}))


def area_unknown(tmp: Path) -> pd.DataFrame:
    return _read(_book(tmp, [["NĂM 2020"], HEAD, ["Hải Hậu", 60], ["Xã Không Có Thật", 4]]))


def area_unknown_many(tmp: Path) -> pd.DataFrame:
    rows = [["NĂM 2020"], HEAD] + [[f"Xã Không Có Thật {i}", i] for i in range(1, 23)]
    return _read(_book(tmp, rows))


def area_ambiguous(tmp: Path) -> pd.DataFrame:
    head = ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"]
    rows = [["KẾT QUẢ NĂM 2024"], head, [1, "Xã Hồng Quang", 30, 20], [2, "Xã Hải Nam", 12, 9]]
    return _read(_book(tmp, rows))


def area_before_start(tmp: Path) -> pd.DataFrame:
    head = two_years(2024, 2025, "Xã, phường")
    rows = [["UBND TỈNH NINH BÌNH"], ["KẾT QUẢ NĂM 2025 SO VỚI NĂM 2024"], *head]
    rows += [[1, "Xã Hải Hậu", 40, 30, 40, 32]]
    return _read(_book(tmp, rows, merged={"S": ["C3:D3", "E3:F3"]}))


def area_ceased(tmp: Path) -> pd.DataFrame:
    head = ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"]
    rows = [["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"], ["KẾT QUẢ NĂM 2024"], head]
    rows += [[1, "TP. Nam Định", 30, 20], [2, "Mỹ Lộc", 10, 8]]
    return _read(_book(tmp, rows))


def area_respelled(tmp: Path) -> pd.DataFrame:
    # "Đông Sơn" for Huyện Nam Trực's Xã Đồng Sơn: found once the marks are folded away.
    head = ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"]
    rows = [["UBND HUYỆN NAM TRỰC"], ["KẾT QUẢ NĂM 2024"], head]
    rows += [[1, "Xã Đông Sơn", 30, 20], [2, "Xã Hồng Quang", 12, 9]]
    return _read(_book(tmp, rows))


def duplicate_same(tmp: Path) -> pd.DataFrame:
    return validate(table(dict(source="a.xlsx!S!D5"), dict(source="b.xlsx!S!D9")))


def duplicate_conflict(tmp: Path) -> pd.DataFrame:
    return validate(table(dict(source="a.xlsx!S!D5"), dict(achieved=51, source="b.xlsx!S!D9")))


def duplicate_superseded(tmp: Path) -> pd.DataFrame:
    rows = [["NĂM 2020"], HEAD, ["Hải Hậu", 60]]
    _book(tmp, rows, "a.xlsx")
    _book(tmp, [["NĂM 2020"], HEAD, ["Hải Hậu", 61]], "b.xlsx")
    return _read(tmp, supersede={"b.xlsx": ("a.xlsx",)})


def _validated(row: dict[str, object]) -> Callable[[Path], pd.DataFrame]:
    return lambda tmp: validate(table(row))


def sum_mismatch(tmp: Path) -> pd.DataFrame:
    rows = [
        dict(area=a, achieved=n, total=10) for a, n in (("Huyện Mỹ Lộc", 5), ("Huyện Vụ Bản", 6))
    ]
    return validate(table(*rows, dict(area="Toàn tỉnh", level="province", achieved=12, total=20)))


def denominator_inconsistent(tmp: Path) -> pd.DataFrame:
    base = dict(indicator="cultural_residential_area", achieved=80, total=100)
    return validate(table(base, dict(indicator="five_no_residential_area", achieved=10, total=101)))


def denominator_implied(tmp: Path) -> pd.DataFrame:
    base = dict(indicator="cultural_residential_area", achieved=80, total=100)
    rate = dict(indicator="safe_residential_area", achieved=90, total=None, reported_rate=0.9474)
    return validate(table(base, rate))


def denominator_jump(tmp: Path) -> pd.DataFrame:
    return validate(table(dict(year=2019, total=100), dict(year=2020, total=111)))


def history_spike(tmp: Path) -> pd.DataFrame:
    return validate(
        table(
            *[dict(year=y, achieved=a, total=100) for y, a in ((2018, 50), (2019, 90), (2020, 52))]
        )
    )


def missing_area(tmp: Path) -> pd.DataFrame:
    rows = [dict(year=2019, area="Huyện Mỹ Lộc"), dict(year=2019, area="Huyện Vụ Bản")]
    return validate(table(*rows, dict(year=2020, area="Huyện Mỹ Lộc")))


# ---- series across the reorganisation (issue 11): harmonise, regions, known events ----------


def _units(*rows: tuple[int, str, str, str]) -> pd.DataFrame:
    """Rows (year, level, name, official code) of safe residential areas."""
    out = [
        dict(
            year=y,
            area=name,
            level=level,
            area_code=code,
            indicator="safe_residential_area",
            achieved=9,
            total=10,
            reported_rate=None,
            source=f"u.xlsx!S!D{i + 5}",
        )
        for i, (y, level, name, code) in enumerate(rows)
    ]
    return antq.as_tidy(pd.DataFrame(out))


def _harmonised(*rows: tuple[int, str, str, str], to: str) -> Callable[[Path], pd.DataFrame]:
    return lambda tmp: antq.harmonise(_units(*rows), to=to, findings=True).findings


def _region(of: str, *rows: tuple[int, str, str, str]) -> Callable[[Path], pd.DataFrame]:
    return lambda tmp: antq.regions(_units(*rows), of=of, findings=True).findings


def harmonise_unidentified(tmp: Path) -> pd.DataFrame:
    rows = table(dict(year=2024, area="Khu Bắc", level="commune"))
    return antq.harmonise(rows, to="2025-07-01", findings=True).findings


_HAI_HAU = (2024, "district", "Huyện Hải Hậu", "366")
#: A user's event: the hamlets of Hải Hậu merged in 2020.
_HAMLETS = pd.DataFrame(
    {"date": ["2020"], "area": ["Huyện Hải Hậu"], "description": ["sáp nhập thôn"]}
)


def jump_event(tmp: Path) -> pd.DataFrame:
    return validate(table(dict(year=2019, total=100), dict(year=2020, total=111)), events=_HAMLETS)


def events_unmatched(tmp: Path) -> pd.DataFrame:
    return validate(table(dict(year=2020)), events=_HAMLETS.assign(area="Huyện Hải Hâu"))


# ---- the reader's accounting (issue 12): every number read or skipped with a reason ----------


def _locale_book(tmp: Path, family: str) -> Path:
    rows = [
        ["KẾT QUẢ NĂM 2021"],
        ["Đơn vị", "Tổng số hộ", "Số hộ GĐVH", "Tỷ lệ (%)"],
        ["Mỹ Lộc", "4.770", "4.415", "92,56%"],
        ["Hải Hậu", "4.840", family, "48,45%"],
    ]
    return _book(tmp, rows)


def ambiguous_number(tmp: Path) -> pd.DataFrame:
    # "2,345" among numbers written the Vietnamese way: 2.345 or 2,345? Not guessed.
    return _read(_locale_book(tmp, "2,345"))


def other_locale(tmp: Path) -> pd.DataFrame:
    rows = [
        ["KẾT QUẢ NĂM 2021"],
        ["Đơn vị", "Tổng số hộ", "Số hộ GĐVH", "Tỷ lệ (%)"],
        ["Toàn tỉnh", "63,628", "60,002", "94.30%"],
    ]
    return _read(_book(tmp, rows))


def outside_table(tmp: Path) -> pd.DataFrame:
    rows = [["NĂM 2020"], HEAD, ["Hải Hậu", 60], ["Mỹ Lộc", 40], [], ["Ghi chú", None, 15]]
    return _read(_book(tmp, rows))


def skipped_column(tmp: Path) -> pd.DataFrame:
    rows = [["NĂM 2020"], [*HEAD, "Tăng/giảm"], ["Hải Hậu", 60, 2], ["Mỹ Lộc", 40, -1]]
    return _read(_book(tmp, rows))


def skipped_file(tmp: Path) -> pd.DataFrame:
    _book(tmp, [["NĂM 2020"], HEAD, ["Hải Hậu", 60]])
    (tmp / "cong_van.pdf").write_bytes(b"%PDF-1.4")
    return _read(tmp)


def skipped_rows(tmp: Path) -> pd.DataFrame:
    rows = [["NĂM 2020"], HEAD, ["Toàn huyện", 60], ["- Trong đó: thị trấn", 8], ["Mỹ Lộc", 40]]
    return _read(_book(tmp, rows))


def unaccounted(tmp: Path) -> pd.DataFrame:
    # A number the reader neither read nor skipped: planted by losing a skip on the way.
    from antq.reading.accounting import Tally

    kept = Tally.skip_column

    def loses_differences(self, sheet, reason, rows, col, values):  # type: ignore[no-untyped-def]
        if reason != "difference":
            kept(self, sheet, reason, rows, col, values)

    Tally.skip_column = loses_differences  # type: ignore[method-assign]
    try:
        return skipped_column(tmp)
    finally:
        Tally.skip_column = kept  # type: ignore[method-assign]


CASES: dict[str, Callable[[Path], pd.DataFrame]] = {
    "read.ambiguous_number": ambiguous_number,
    "read.other_locale": other_locale,
    "read.outside_table": outside_table,
    "read.skipped_column": skipped_column,
    "read.skipped_file": skipped_file,
    "read.skipped_rows": skipped_rows,
    "read.unaccounted": unaccounted,
    "read.unreadable": unreadable,
    "read.not_a_number": not_a_number,
    "read.uncached_formula": uncached_formula,
    "read.no_area": no_area,
    "read.unrecognised_column": unrecognised_column,
    "read.duplicate_column": duplicate_column,
    "read.fraction_total": fraction_total,
    "read.hidden_sheet": hidden_sheet,
    "read.no_table": no_table,
    "area.unknown": area_unknown,
    "area.unknown_many": area_unknown_many,
    "area.ambiguous": area_ambiguous,
    "area.ceased": area_ceased,
    "area.before_start": area_before_start,
    "area.respelled": area_respelled,
    "duplicate.same": duplicate_same,
    "duplicate.conflict": duplicate_conflict,
    "duplicate.superseded": duplicate_superseded,
    "count.negative": _validated(dict(achieved=-1)),
    "count.achieved_above_total": _validated(dict(achieved=61, total=60)),
    "count.total_zero": _validated(dict(achieved=3, total=0)),
    "rate.mismatch": _validated(dict(achieved=3321, total=3462, reported_rate=0.9475)),
    "rate.no_whole_total": _validated(dict(achieved=595, total=None, reported_rate=0.9725)),
    "rate.above_100": _validated(dict(reported_rate=1.2)),
    "rate.wrong_scale": _validated(dict(achieved=50, total=100, reported_rate=0.005)),
    "rate.zero_total": _validated(dict(achieved=0, total=0, reported_rate=1.0)),
    "sum.mismatch": sum_mismatch,
    "denominator.inconsistent": denominator_inconsistent,
    "denominator.implied": denominator_implied,
    "denominator.jump": denominator_jump,
    "history.spike": history_spike,
    "coverage.missing_area": missing_area,
    "denominator.jump_event": jump_event,
    "events.unmatched": events_unmatched,
    # Phường Phủ Lý (1/7/2025) takes a part of Phường Quang Trung (Phủ Lý), not all of it.
    "harmonise.split": _harmonised(
        (2024, "commune", "Phường Quang Trung", "13285"),
        (2024, "commune", "Phường Châu Cầu", "13294"),
        to="2025-07-01",
    ),
    # Xã Vạn Thắng = Yên Lương + Yên Tiến + Yên Thắng: the third is not in the table.
    "harmonise.partial": _harmonised(
        (2024, "commune", "Xã Yên Lương", "13852"),
        (2024, "commune", "Xã Yên Tiến", "13861"),
        to="2025-07-01",
    ),
    # Phường Hồng Quang = Nam Vân + Nghĩa An + Hồng Quang: Nam Vân twice, under two names.
    "harmonise.repeated": _harmonised(
        (2024, "commune", "Phường Nam Vân", "13705"),
        (2024, "commune", "Phuong Nam Van", "13705"),
        (2024, "commune", "Xã Nghĩa An", "13975"),
        (2024, "commune", "Xã Hồng Quang", "13984"),
        to="2025-07-01",
    ),
    "harmonise.abolished": _harmonised(_HAI_HAU, to="2025-07-01"),
    "harmonise.after": _harmonised((2025, "commune", "Xã Vạn Thắng", "13864"), to="2024-09-01"),
    "harmonise.unidentified": harmonise_unidentified,
    "region.straddle": _region(
        "Huyện Vụ Bản",
        (2024, "district", "Huyện Vụ Bản", "359"),
        (2025, "commune", "Phường Thành Nam", "13699"),
    ),
    "region.partial": _region("Huyện Hải Hậu", _HAI_HAU, (2025, "commune", "Xã Hải Hậu", "14215")),
    "region.unknown": _region(
        "Huyện Mỹ Lộc",
        (2023, "district", "Huyện Mỹ Lộc", "358"),
        (2025, "commune", "Xã Hải Hậu", "14215"),
    ),
}


#: The severity each code must have: pinned here, so a code downgraded in the catalogue
#: (an error read as a warning, ``check`` exiting 0) fails until this table agrees.
SEVERITY: dict[str, str] = {
    "read.ambiguous_number": "error",  # a value not guessed: the cell is read as NA
    "read.other_locale": "info",
    "read.outside_table": "warning",  # numbers nothing read: the analyst must look
    "read.skipped_column": "info",
    "read.skipped_file": "info",
    "read.skipped_rows": "info",
    "read.unaccounted": "warning",
    "read.unreadable": "error",
    "read.not_a_number": "error",
    "read.uncached_formula": "error",
    "read.no_area": "warning",
    "read.unrecognised_column": "warning",
    "read.duplicate_column": "warning",
    "read.fraction_total": "warning",
    "read.hidden_sheet": "info",
    "read.no_table": "info",
    "area.unknown": "warning",
    "area.unknown_many": "warning",
    "duplicate.same": "info",
    "duplicate.conflict": "error",
    "duplicate.superseded": "info",
    "count.negative": "error",
    "count.achieved_above_total": "error",
    "count.total_zero": "error",
    "rate.mismatch": "warning",
    "rate.no_whole_total": "warning",
    "rate.above_100": "error",
    "rate.wrong_scale": "warning",
    "rate.zero_total": "warning",
    "sum.mismatch": "error",
    "denominator.inconsistent": "warning",
    "denominator.implied": "warning",
    "denominator.jump": "warning",
    "history.spike": "warning",
    "coverage.missing_area": "warning",
    "area.ambiguous": "warning",
    "area.ceased": "warning",
    "area.respelled": "info",  # read as the registry's unit; said, not doubted
    "area.before_start": "info",  # the report's own figures, kept as read
    "denominator.jump_event": "info",
    "events.unmatched": "warning",
    "harmonise.split": "warning",
    "harmonise.partial": "warning",
    "harmonise.repeated": "warning",
    "harmonise.abolished": "info",
    "harmonise.after": "info",
    "harmonise.unidentified": "warning",
    "region.straddle": "info",
    "region.partial": "warning",
    "region.unknown": "info",
}


def test_every_catalogue_code_has_a_case():
    codes = set(catalogue())
    assert sorted(codes - set(CASES)) == [], "a code without a case that fires it"
    assert sorted(set(CASES) - codes) == [], "a case for a code no longer in the catalogue"
    assert {c: t.severity for c, t in catalogue().items()} == SEVERITY


@pytest.mark.parametrize("code", sorted(CASES))
def test_code_fires_with_its_severity(code, tmp_path):
    found = CASES[code](tmp_path)
    fired = found[found["rule"] == code]
    assert not fired.empty, f"{code} did not fire; fired: {sorted(set(found['rule']))}"
    assert set(fired["severity"]) == {SEVERITY[code]}


def test_a_clean_book_fires_nothing(tmp_path):
    # The near miss of the reading cases: the same sheet without the fault.
    assert _read(_book(tmp_path, [["NĂM 2020"], HEAD, ["Hải Hậu", 60], ["Mỹ Lộc", 40]])).empty


def test_read_errors_make_check_fail(tmp_path):
    """The read.* errors are errors: ``antq check`` exits 1 on them (2: a file not read at all)."""
    from antq.cli import main

    for case in (unreadable, not_a_number, uncached_formula):
        folder = tmp_path / case.__name__
        folder.mkdir()
        case(folder)
        f = antq.check(folder)
        assert "error" in set(f["severity"]), case.__name__
        unreadable_file = case is unreadable
        assert main(["check", str(folder), "--lang", "en"]) == (2 if unreadable_file else 1)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_catalogue_code_has_a_rule_name_for_the_report(lang):
    """The findings sheet names each rule beside its code (``rule.<code>`` of words.csv)."""
    from antq.vocab import words

    missing = [
        code for code in catalogue() if not words().get(f"rule.{code}", ("", ""))[lang == "en"]
    ]
    assert missing == []
