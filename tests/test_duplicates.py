"""A key read twice: which reading is kept and what is reported (antq/reading/duplicates.py),
and what reading many files shows (antq/reading/reader.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import write_book

import antq

TITLE = [
    ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
    ["KẾT QUẢ PHONG TRÀO NĂM 2019"],
    ["STT", "Đơn vị", "Cơ quan an toàn ANTT"],
]


def _book(path: Path, rows: list[tuple[str, int]]) -> None:
    write_book(path, {"S": TITLE + [[i + 1, name, v] for i, (name, v) in enumerate(rows)]})


def _achieved(res: antq.ReadResult, area: str) -> list[int]:
    return res.table.loc[res.table["area"] == area, "achieved"].tolist()


def test_a_superseded_file_loses_only_the_keys_its_successor_gives(tmp_path):
    """b.xlsx supersedes a.xlsx but gives only Hải Hậu: a.xlsx's Giao Thủy, read again in
    c.xlsx with another value, is a conflict (the first file in name order kept), not a row
    superseded."""
    _book(tmp_path / "a.xlsx", [("Huyện Hải Hậu", 30), ("Huyện Giao Thủy", 20)])
    _book(tmp_path / "b.xlsx", [("Huyện Hải Hậu", 31)])
    _book(tmp_path / "c.xlsx", [("Huyện Giao Thủy", 22)])
    (tmp_path / "supersedes.csv").write_text("file,supersedes\nb.xlsx,a.xlsx\n")
    res = antq.read(tmp_path, errors="coerce")
    assert _achieved(res, "Huyện Hải Hậu") == [31]
    assert _achieved(res, "Huyện Giao Thủy") == [20]
    outcomes = dict(zip(res.duplicates["file"], res.duplicates["outcome"], strict=True))
    assert outcomes == {"a.xlsx": "superseded", "c.xlsx": "conflict"}
    assert sorted(f.rule for f in res.findings if f.rule.startswith("duplicate.")) == [
        "duplicate.conflict",
        "duplicate.superseded",
    ]


def test_the_progress_bar_counts_files(tmp_path, capsys: pytest.CaptureFixture[str]):
    _book(tmp_path / "a.xlsx", [("Huyện Hải Hậu", 30)])
    _book(tmp_path / "b.xlsx", [("Huyện Giao Thủy", 20)])
    antq.read(tmp_path, progress=True, workers=1)
    err = capsys.readouterr().err
    assert "antq" in err and "2/2" in err and "file/s" in err


def test_a_conflict_names_both_values_their_cells_and_the_year(tmp_path):
    _book(tmp_path / "a.xlsx", [("Huyện Hải Hậu", 30)])
    _book(tmp_path / "b.xlsx", [("Huyện Hải Hậu", 31)])
    (f,) = antq.read(tmp_path, errors="coerce").findings
    assert (f.rule, f.year, f.area) == ("duplicate.conflict", 2019, "Huyện Hải Hậu")
    assert f.message_en.startswith(
        "Huyện Hải Hậu, Agencies safe for security and order, 2019 is read twice with "
        "different values: 30 at a.xlsx!S!C4 and 31 at b.xlsx!S!C4; say which file "
        "supersedes which in supersedes.csv in the raw folder."
    )


def test_a_superseded_file_s_example_is_a_value_that_changed(tmp_path):
    _book(tmp_path / "a.xlsx", [("Huyện Giao Thủy", 20), ("Huyện Hải Hậu", 30)])
    _book(tmp_path / "b.xlsx", [("Huyện Giao Thủy", 20), ("Huyện Hải Hậu", 31)])
    (tmp_path / "supersedes.csv").write_text("file,supersedes\nb.xlsx,a.xlsx\n")
    (f,) = antq.read(tmp_path, errors="coerce").findings
    assert (f.rule, f.source, f.area) == ("duplicate.superseded", "a.xlsx!S!C5", "Huyện Hải Hậu")
    assert "1 of them different; e.g. Huyện Hải Hậu, " in f.message_en


def test_a_conflict_inside_one_file_says_to_correct_the_file_not_supersedes_csv(tmp_path):
    _book(tmp_path / "a.xlsx", [("Huyện Hải Hậu", 30), ("Huyện Hải Hậu", 31)])
    (f,) = antq.read(tmp_path, errors="coerce").findings
    assert f.rule == "duplicate.conflict"
    assert f.message_en.endswith(
        "30 at a.xlsx!S!C4 and 31 at a.xlsx!S!C5; both cells are in one file, which "
        "supersedes.csv cannot settle: correct the file (one unit written twice) and send "
        "it again."
    )
    assert f.message.endswith("sửa lại file (một đơn vị ghi hai lần) rồi gửi lại.")


def test_a_superseding_file_is_named_as_the_one_that_replaces(tmp_path):
    _book(tmp_path / "a.xlsx", [("Huyện Hải Hậu", 30)])
    _book(tmp_path / "b.xlsx", [("Huyện Hải Hậu", 31)])
    (tmp_path / "supersedes.csv").write_text("file,supersedes\nb.xlsx,a.xlsx\n")
    (f,) = antq.read(tmp_path, errors="coerce").findings
    assert (f.rule, f.level) == ("duplicate.superseded", "district")
    assert f.message_en.startswith("b.xlsx replaces 1 value of a.xlsx (it supersedes a.xlsx")


def test_the_file_named_as_replacing_is_the_one_supersedes_csv_names(tmp_path):
    """c.xlsx supersedes b.xlsx; a.xlsx is a copy of c.xlsx, kept as first by name. The line
    says c.xlsx replaces b.xlsx (it said a.xlsx, which supersedes nothing)."""
    _book(tmp_path / "a.xlsx", [("Huyện Hải Hậu", 31)])
    _book(tmp_path / "b.xlsx", [("Huyện Hải Hậu", 30)])
    _book(tmp_path / "c.xlsx", [("Huyện Hải Hậu", 31)])
    (tmp_path / "supersedes.csv").write_text("file,supersedes\nc.xlsx,b.xlsx\n")
    res = antq.read(tmp_path, errors="coerce")
    assert _achieved(res, "Huyện Hải Hậu") == [31]
    by_rule = {f.rule: f for f in res.findings}
    assert sorted(by_rule) == ["duplicate.same", "duplicate.superseded"]
    assert by_rule["duplicate.superseded"].message_en.startswith(
        "c.xlsx replaces 1 value of b.xlsx (it supersedes b.xlsx by supersedes.csv), 1 of them"
    )
    assert by_rule["duplicate.same"].message_en.startswith(
        "c.xlsx repeats 1 value read from a.xlsx"
    )


def test_a_chain_of_corrections_names_the_newest_as_replacing_each(tmp_path):
    for name, value in (("v1.xlsx", 10), ("v2.xlsx", 11), ("v3.xlsx", 12)):
        _book(tmp_path / name, [("Huyện Hải Hậu", value)])
    (tmp_path / "supersedes.csv").write_text("file,supersedes\nv2.xlsx,v1.xlsx\nv3.xlsx,v2.xlsx\n")
    res = antq.read(tmp_path, errors="coerce")
    assert _achieved(res, "Huyện Hải Hậu") == [12]
    lines = sorted(f.message_en.split(" (")[0] for f in res.findings)
    assert lines == ["v3.xlsx replaces 1 value of v1.xlsx", "v3.xlsx replaces 1 value of v2.xlsx"]


def test_a_copied_file_is_named_as_the_one_that_repeats(tmp_path):
    _book(tmp_path / "a.xlsx", [("Huyện Hải Hậu", 30)])
    _book(tmp_path / "copy.xlsx", [("Huyện Hải Hậu", 30)])
    (f,) = antq.read(tmp_path, errors="coerce").findings
    assert (f.rule, f.level) == ("duplicate.same", "district")
    assert f.message_en.startswith("copy.xlsx repeats 1 value read from a.xlsx")


def test_a_copied_file_s_values_are_skipped_as_duplicates_beside_its_row_numbers(tmp_path):
    _book(tmp_path / "a.xlsx", [("Huyện Hải Hậu", 30), ("Huyện Giao Thủy", 20)])
    _book(tmp_path / "copy.xlsx", [("Huyện Hải Hậu", 30), ("Huyện Giao Thủy", 20)])
    acc = antq.read(tmp_path, errors="coerce").accounting.set_index("file")
    counts = ["numbers", "read", "skipped", "row_number", "duplicate"]
    # Each file: two row numbers (STT) and two values; the copy's values are the duplicates.
    assert acc.loc["a.xlsx", counts].tolist() == [4, 2, 2, 2, 0]
    assert acc.loc["copy.xlsx", counts].tolist() == [4, 0, 4, 2, 2]


def test_a_row_read_without_its_total_takes_it_from_a_file_that_gives_it(tmp_path):
    head = TITLE[:2]
    rows = [["STT", "Đơn vị", "Cơ quan an toàn ANTT"], [1, "Huyện Hải Hậu", 30]]
    write_book(tmp_path / "a.xlsx", {"S": head + rows})
    rows = [
        ["STT", "Đơn vị", "Tổng số cơ quan", "Cơ quan an toàn ANTT"],
        [1, "Huyện Hải Hậu", 40, 30],
    ]
    write_book(tmp_path / "b.xlsx", {"S": head + rows})
    (row,) = antq.read(tmp_path, errors="coerce").table.to_dict("records")
    assert (row["achieved"], row["source"]) == (30, "a.xlsx!S!C4")
    assert (row["total"], row["total_source"], row["rate"]) == (40, "b.xlsx!S!C4", 0.75)


@pytest.mark.parametrize(
    ("n", "extra"),
    [
        # Six key columns of 1 000 values each: the combined code nears 2**60, short of the
        # renumbering at 2**62, where a float would no longer tell codes one apart. The last
        # row is row 999 but its indicator.
        (1000, ["999", "999", "999", "999", "999", "998"]),
        # Six key columns of 65 535 values each: their combined code would need 96 bits, so
        # it is renumbered on the way. The last row differs from the first only in its year.
        (2**16 - 1, ["1", "0", "0", "0", "0", "0"]),
    ],
    ids=["past 53 bits", "past 64 bits"],
)
def test_keys_differing_in_one_column_are_told_apart_however_many_values(n, extra):
    from antq.reading.duplicates import find_duplicates

    names = [str(i) for i in range(n)]
    df = pd.DataFrame({c: names for c in ("year", "province", "district", "area", "level")})
    df["indicator"] = names
    df.loc[len(df)] = extra
    df["achieved"] = range(len(df))
    df["source"] = [f"a.xlsx!S!A{i}" for i in range(1, len(df) + 1)]
    for col in ("total", "reported_rate"):
        df[col] = None
    found = find_duplicates(df)
    assert found.keep.all() and found.pairs.empty


@pytest.mark.parametrize(
    "text", ["file,supersedes\nb.xlsx,a.xlsx\nc.xlsx,\n", "file,replaces\nb.xlsx,a.xlsx\n"]
)
def test_a_supersedes_line_without_the_file_it_replaces_is_refused(tmp_path, text):
    from antq.reading.duplicates import read_supersedes

    (tmp_path / "supersedes.csv").write_text(text)
    line = 3 if "c.xlsx" in text else 2
    with pytest.raises(antq.AntqError) as err:
        read_supersedes(tmp_path)
    assert str(err.value).endswith(
        f"supersedes.csv line {line}: expected the columns 'file,supersedes' (the newer file, "
        "then the file it replaces)"
    )


def test_keys_whose_hashes_collide_are_told_apart_by_their_keys():
    """Rows whose key hashes are equal are only candidates: their keys are compared, and two
    keys sharing a hash (made to here) are no duplicate; the real one is found."""
    import numpy as np

    from antq.reading.duplicates import find_duplicates

    df = pd.DataFrame(
        {
            "year": [2019, 2019, 2019, 2020],
            "province": ["Tỉnh Nam Định"] * 4,
            "district": [None] * 4,
            "area": ["Huyện Hải Hậu", "Huyện Giao Thủy", "Huyện Hải Hậu", "Huyện Hải Hậu"],
            "level": ["district"] * 4,
            "indicator": ["safe_agency"] * 4,
            "achieved": [30, 25, 31, 30],
            "total": [None] * 4,
            "reported_rate": [None] * 4,
            "source": ["a.xlsx!S!C4", "a.xlsx!S!C5", "b.xlsx!S!C4", "a.xlsx!S!C9"],
        }
    )
    hashes = np.array([7, 7, 7, 7], dtype=np.uint64)  # every row alike by hash
    found = find_duplicates(df, hashes=hashes)
    assert found.keep.tolist() == [True, True, False, True]
    assert found.pairs[["row", "kept_row", "outcome"]].values.tolist() == [[2, 0, "conflict"]]
    assert find_duplicates(df).keep.tolist() == found.keep.tolist()
    with pytest.raises(ValueError, match="3 key hashes for a table of 4 rows"):
        find_duplicates(df, hashes=hashes[:3])


def test_the_workers_key_hashes_are_those_of_the_rows_read_in_their_order(tmp_path):
    """Each row read carries the hash of its own key, made in the worker that read it: the
    same as hashing the finished table (misaligned hashes would pair unrelated rows)."""
    import pyarrow as pa

    from antq.reading.duplicates import key_hashes
    from antq.reading.reader import ReadOptions, folder_listing, read_files

    for i, name in enumerate(["Huyện Hải Hậu", "Huyện Giao Thủy", "Huyện Ý Yên"] * 10):
        _book(tmp_path / f"f{i:02d}.xlsx", [(name, i), ("Huyện Nam Trực", 2 * i)])
    files, _ = folder_listing(tmp_path)
    res = read_files(files, ReadOptions(workers=2, progress=False), keep_duplicates=True)
    table = pa.Table.from_pandas(res.table, preserve_index=False)
    assert res.keyhash is not None and len(res.keyhash) == len(res.table) == 60
    assert (res.keyhash == key_hashes(table)).all()


def test_rows_taken_from_many_tables_are_those_of_the_tables_joined():
    """The rows of a few positions, and all rows but a few, taken table by table (the reader's
    chunks) are the rows a take from the tables joined gives, at the tables' edges too."""
    import numpy as np
    import pyarrow as pa

    from antq.reading.reader import _without_rows, take_rows

    spans = [(0, 3), (3, 3), (3, 7), (7, 8)]
    tables = [pa.table({"x": pa.array(range(a, b), pa.int64())}) for a, b in spans]
    joined = pa.concat_tables(tables)
    at = np.array([0, 2, 3, 6, 7])
    assert take_rows(tables, at).column("x").to_pylist() == [0, 2, 3, 6, 7]
    assert take_rows(tables, np.array([], dtype=np.int64)).num_rows == 0
    keep = np.ones(8, dtype=bool)
    keep[[2, 3, 7]] = False
    rest = pa.concat_tables(_without_rows(tables, keep))
    assert rest.column("x").to_pylist() == joined.filter(pa.array(keep)).column("x").to_pylist()


def test_key_hashes_are_those_the_state_was_written_with():
    """A rebuild compares the hashes of rows read today with those stored by the last
    build: the same key must hash to the same 64 bits in every version of the hashing
    (the two Xã Hồng Quang apart, a missing year and district hashed as missing)."""
    import pyarrow as pa

    from antq.reading import duplicates as d

    table = pa.table(
        {
            "year": [2024, 2024, None],
            "province": ["Tỉnh Nam Định", "Tỉnh Nam Định", None],
            "district": ["Huyện Ý Yên", "Huyện Nam Trực", None],
            "area": ["Xã Hồng Quang", "Xã Hồng Quang", "Tỉnh Ninh Bình"],
            "level": ["commune", "commune", "province"],
            "indicator": ["kdc_vh", "kdc_vh", "kdc_vh"],
        }
    )
    expected = [9595321642260297615, 18173406881346059407, 2884111019381997917]
    d._DIGESTS.clear()
    assert d.key_hashes(table).tolist() == expected  # texts digested afresh
    assert d.key_hashes(table).tolist() == expected  # and remembered
    assert len(d._DIGESTS) >= 6


def test_the_remembered_digests_are_bounded(monkeypatch):
    """The digests of texts are kept for the next chunk, but not without end."""
    from antq.reading import duplicates as d

    monkeypatch.setattr(d, "_DIGESTS_KEPT", 3)
    d._DIGESTS.clear()
    first = d._value_hashes([f"x{i}" for i in range(5)] + [None, 7])
    assert len(d._DIGESTS) == 5
    again = d._value_hashes(["x0", "y"])  # over the bound: emptied first
    assert list(d._DIGESTS) == ["x0", "y"] and again[0] == first[0]
    assert first[5] == d._MISSING and first[6] != first[5]


def test_two_folders_files_of_one_name_are_told_apart(tmp_path):
    # Both folders hold a hai_hau_2024.xlsx: their sources named the same file, and the
    # conflict said both cells were in one file.
    for folder, value in (("a", 30), ("b", 31)):
        (tmp_path / folder).mkdir()
        _book(tmp_path / folder / "hai_hau_2024.xlsx", [("Huyện Hải Hậu", value)])
    res = antq.read([tmp_path / "a", tmp_path / "b"], errors="coerce")
    (f,) = res.findings
    assert f.rule == "duplicate.conflict"
    assert "30 at a/hai_hau_2024.xlsx!S!C4 and 31 at b/hai_hau_2024.xlsx!S!C4" in f.message_en
    assert f.message_en.endswith(
        "say which file supersedes which in supersedes.csv in the raw folder."
    )
    # One folder alone keeps its names as they were.
    assert antq.read(tmp_path / "a").table["source"].tolist() == ["hai_hau_2024.xlsx!S!C4"]
