"""The area registry: its data hold together, agree with Resolution 1674, and names resolve."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from antq import registry
from antq._text import fold
from antq.errors import AntqError, AreaLookupError, SchemaError

DATA = ROOT / "antq" / "data" / "registry"
RESOLUTION = DATA / "sources" / "nq-1674-NQ-UBTVQH15.md"
REFERENCE = next(
    (
        p
        for p in (ROOT.parent / "shared" / "reference", Path("/work/shared/reference"))
        if p.is_dir()
    ),
    None,
)
LAST_OLD, FIRST_NEW = "2025-06-30", "2025-07-01"
NAM_DINH, NINH_BINH_NEW = "P36", "P37@2025-07-01"


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    return registry.areas()


@pytest.fixture(scope="module")
def nam_dinh_events() -> pd.DataFrame:
    """The 2025 events of the commune-level units of old Tỉnh Nam Định."""
    old = registry.areas(on=LAST_OLD, province=NAM_DINH, level="commune")
    ev = registry.events(on=FIRST_NEW)
    ev = ev[ev["old_uid"].isin(old["uid"])].merge(
        old[["uid", "district"]].rename(columns={"uid": "old_uid"}), on="old_uid"
    )
    return ev


def _ordinal_spans(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    # Open ends as dates before and after any record.
    out["lo"] = frame["valid_from"].fillna(pd.Timestamp("1000-01-01"))
    out["hi"] = frame["valid_to"].fillna(pd.Timestamp("9999-12-31"))
    return out


# ---- the data hold together -------------------------------------------------------
def test_uids_unique_and_codes_written_with_their_zeros(units):
    assert units["uid"].is_unique
    width = {"province": 2, "district": 3, "commune": 5}
    for level, n in width.items():
        codes = units.loc[units["level"] == level, "code"]
        assert codes.str.fullmatch(rf"\d{{{n}}}").all(), level


def test_codes_unique_per_period(units):
    spans = _ordinal_spans(units).sort_values(["level", "code", "lo"])
    following = spans.groupby(["level", "code"])["lo"].shift(-1)
    overlap = spans[following.notna() & (spans["hi"] >= following)]
    assert overlap.empty, overlap[["uid", "code", "valid_from", "valid_to"]]
    assert spans.duplicated(["level", "code"]).sum() > 3000  # codes reused after 1/7/2025
    # The same code names different units at different times.
    assert registry.unit("P37").valid_to.isoformat() == LAST_OLD
    assert registry.unit("P37@2025-07-01").valid_from.isoformat() == FIRST_NEW
    assert registry.unit("C13669").name == "Phường Cửa Bắc"
    assert registry.unit("C13669@2025-07-01").name == "Phường Nam Định"


def test_every_parent_is_in_force_whenever_its_unit_is(units):
    spans = _ordinal_spans(units).set_index("uid")
    child = spans[spans["parent_uid"].notna()]
    parent = spans.loc[child["parent_uid"]]
    assert (parent["lo"].to_numpy() <= child["lo"].to_numpy()).all()
    assert (parent["hi"].to_numpy() >= child["hi"].to_numpy()).all()
    levels = registry.LEVELS
    assert all(
        levels.index(p) < levels.index(c)
        for p, c in zip(parent["level"], child["level"], strict=True)
    )
    # A commune's parent is its district before 1/7/2025 and its province from then.
    new = child[child.index.str.endswith("@" + FIRST_NEW) & (child["level"] == "commune")]
    assert (spans.loc[new["parent_uid"], "level"] == "province").all()


def test_63_provinces_before_and_34_after():
    before = registry.areas(on=LAST_OLD, level="province")
    after = registry.areas(on=FIRST_NEW, level="province")
    assert len(before) == 63 and len(after) == 34
    assert registry.areas(on=FIRST_NEW, level="district").empty
    cities = {"Thành phố Hà Nội", "Thành phố Hải Phòng", "Thành phố Đà Nẵng"}
    cities |= {"Thành phố Hồ Chí Minh", "Thành phố Cần Thơ", "Thành phố Huế"}
    assert cities <= set(before["name"]) and cities <= set(after["name"])
    assert registry.unit(NINH_BINH_NEW).code == "37"


def test_nam_dinh_on_30_june_2025_and_the_new_ninh_binh():
    nd = registry.areas(on=LAST_OLD, province="Tỉnh Nam Định")
    communes = nd[nd["level"] == "commune"]
    districts = nd[nd["level"] == "district"]
    assert len(communes) == 175 and len(districts) == 9
    assert set(communes["parent_uid"]) == set(districts["uid"])
    assert "Huyện Mỹ Lộc" not in set(districts["name"])
    assert communes.groupby("district").size()["Thành phố Nam Định"] == 21
    nb = registry.areas(on=FIRST_NEW, province="Tỉnh Ninh Bình", level="commune")
    kinds = nb["name"].str.split().str[0].value_counts()
    assert len(nb) == 129 and kinds["Xã"] == 97 and kinds["Phường"] == 32
    assert nb["verified"].all()


def test_spellings_keys_are_the_folded_spellings():
    sp = registry.spellings()
    assert (sp["key"] == sp["spelling"].map(fold)).all()
    # A bare number is a row number in a sheet, never an area.
    assert not sp.loc[~sp["prefixed"], "spelling"].str.fullmatch(r"\d+").any()
    giao_thuy = set(registry.spellings("D365")["spelling"])
    assert {"Huyện Giao Thủy", "Huyện Giao Thuỷ", "Giao Thủy", "Giao Thuỷ", "H. Giao Thủy"} <= (
        giao_thuy
    )
    assert {"TT. Gôi", "TT Gôi", "Gôi"} <= set(registry.spellings("C13741")["spelling"])
    assert {"Q. 1", "Q1", "Quận 01"} <= set(registry.spellings("D760")["spelling"])


def test_load_refuses_broken_data(monkeypatch):
    real = registry._read

    def broken(name, dtypes):
        cols = real(name, dtypes)
        if name == "units.csv.gz":
            cols = {k: [*v, v[0]] for k, v in cols.items()}  # a duplicate uid
        return cols

    monkeypatch.setattr(registry, "_read", broken)
    registry._units_raw.cache_clear()
    try:
        with pytest.raises(SchemaError, match="duplicate uid: P01"):
            registry._units_raw()
    finally:
        monkeypatch.undo()
        registry._units_raw.cache_clear()
    assert len(registry._units_raw()["uid"]) == len(registry.areas())


# ---- the events agree with Resolution 1674/NQ-UBTVQH15 -----------------------------------
# Old and new tone placement on a final "oa", "oe", "uy": "Hòa" and "Hoà" are one name.
_TONE_PLACE = dict(
    zip(
        "òa óa ỏa õa ọa òe óe ỏe õe ọe ùy úy ủy ũy ụy".split(),
        "oà oá oả oã oạ oè oé oẻ oẽ oẹ uỳ uý uỷ uỹ uỵ".split(),
        strict=True,
    )
)


def _norm(text: str) -> str:
    """Lower case NFC with the tone of a final "oa", "oe", "uy" on its second vowel."""
    text = unicodedata.normalize("NFC", text).replace("**", "").lower()
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(f"({'|'.join(_TONE_PLACE)})(?!\\w)", lambda m: _TONE_PLACE[m.group(1)], text)


@pytest.fixture(scope="module")
def clauses() -> dict[int, str]:
    """Article 1 of the resolution in the repo, clause number → its text (normalised)."""
    text = RESOLUTION.read_text(encoding="utf-8")
    article = unicodedata.normalize("NFC", text).split("Điều 1.", 1)[1].split("Điều 2.", 1)[0]
    out = {}
    for para in re.split(r"\n\s*\n", article.replace("\\", "")):
        m = re.match(r"\s*(\d+)\. (.*)", para, re.S)
        if m:
            out[int(m.group(1))] = _norm(m.group(2))
    return out


def _kind_before(text: str, end: int) -> str | None:
    kinds = re.findall(r"(?<!\w)(thị trấn|thị xã|xã|phường)(?!\w)", text[:end])
    return kinds[-1] if kinds else None


def _names_unit(old_part: str, kind: str, bare: str) -> bool:
    """The clause names "xã Hồng Quang": the name, under the kind word that governs it."""
    return any(
        _kind_before(old_part, m.start()) == kind
        for m in re.finditer(rf"(?<!\w){re.escape(bare)}(?!\w)", old_part)
    )


def test_each_nam_dinh_event_is_named_by_the_clause_it_cites(clauses, nam_dinh_events):
    region = pd.concat(
        registry.areas(on=LAST_OLD, province=p, level="commune") for p in ("P35", "P36", "P37")
    )
    repeated = region["name"].map(_norm).value_counts()
    assert len(nam_dinh_events) == 175
    for e in nam_dinh_events.itertuples():
        where = f"{e.old_name} ({e.district}) → {e.new_name}, clause {e.clause}"
        assert e.verified and e.basis == "1674/NQ-UBTVQH15" and e.clause, where
        text = clauses[int(e.clause)]
        old_part, new_name = re.split(r" thành (?:xã|phường) mới có tên gọi là ", text)
        kind, bare = _norm(e.old_name).split(" ", 1)
        if kind == "thị":
            kind, bare = "thị trấn", bare.split(" ", 1)[1]
        assert _names_unit(old_part, kind, bare), where
        assert new_name.rstrip(".") == _norm(e.new_name), where
        if repeated[_norm(e.old_name)] > 1:
            # Two old units share the name: the clause must say which district.
            assert f"({_norm(e.district)})" in old_part, where


def test_the_draft_error_is_corrected(nam_dinh_events):
    quang_trung = nam_dinh_events.set_index("old_uid").loc["C13768"]  # Xã Quang Trung, Vụ Bản
    assert quang_trung["new_name"] == "Xã Hiển Khánh" and quang_trung["clause"] == "24"
    assert "corrected" in quang_trung["note"]
    assert "Xã Quang Trung (Huyện Vụ Bản, 13768)" in (DATA / "README.md").read_text("utf-8")


def test_nam_dinh_175_units_merged_whole_into_57(nam_dinh_events):
    assert (nam_dinh_events["n_new"] == 1).all()
    assert set(nam_dinh_events["kind"]) <= {"merged_whole", "renamed", "kept"}
    assert nam_dinh_events["old_uid"].is_unique
    assert nam_dinh_events["new_uid"].nunique() == 57
    assert (
        nam_dinh_events["new_uid"]
        .map(lambda u: registry.unit(u).province)
        .eq("Tỉnh Ninh Bình")
        .all()
    )


def test_four_new_wards_draw_on_two_old_districts(nam_dinh_events):
    districts = nam_dinh_events.groupby("new_name")["district"].agg(frozenset)
    two = districts[districts.map(len) > 1].to_dict()
    city = "Thành phố Nam Định"
    assert two == {
        "Phường Thành Nam": {city, "Huyện Vụ Bản"},
        "Phường Trường Thi": {city, "Huyện Vụ Bản"},
        "Phường Vị Khê": {city, "Huyện Nam Trực"},
        "Phường Hồng Quang": {city, "Huyện Nam Trực"},
    }


def test_province_events():
    ev = registry.events(on=FIRST_NEW)
    prov = ev[ev["old_uid"].str.fullmatch(r"P\d\d")]
    assert len(prov) == 63 and prov["new_uid"].nunique() == 34
    into_nb = prov[prov["new_uid"] == NINH_BINH_NEW]
    assert set(into_nb["old_name"]) == {"Tỉnh Hà Nam", "Tỉnh Nam Định", "Tỉnh Ninh Bình"}
    assert into_nb["verified"].all() and prov["verified"].sum() == 3
    region = pd.concat(registry.areas(province=p) for p in ("P35", "P36", "P37"))
    other = ev[~ev["old_uid"].isin(region["uid"])]
    assert not other.loc[other["basis"] != "202/2025/QH15", "verified"].any()


def test_my_loc_merged_into_the_city_on_1_september_2024():
    (e,) = registry.events(uid="D358").itertuples()
    assert (e.kind, e.new_name, e.basis, e.verified) == (
        "merged_whole",
        "Thành phố Nam Định",
        "1104/NQ-UBTVQH15",
        True,
    )
    assert e.date == pd.Timestamp("2024-09-01")
    my_loc = registry.unit("D358")
    assert my_loc.valid_to.isoformat() == "2024-08-31" and my_loc.verified
    names = {
        d: set(registry.areas(on=d, province=NAM_DINH, level="district")["name"])
        for d in ("2024-08-31", "2024-09-01")
    }
    assert len(names["2024-08-31"]) == 10 and len(names["2024-09-01"]) == 9
    assert names["2024-08-31"] - names["2024-09-01"] == {"Huyện Mỹ Lộc"}
    cw = registry.crosswalk("2024-09-01")
    assert cw[["old_uid", "new_uid"]].values.tolist() == [["D358", "D356"]]


def test_successors_and_predecessors():
    assert registry.successors("D358", on="2024-12-31") == ("D356",)
    assert registry.successors("C13768") == ("C13753@2025-07-01",)
    assert registry.successors("C13753@2025-07-01") == ("C13753@2025-07-01",)
    wards = {registry.unit(u).name for u in registry.successors("D356")}
    assert "Phường Nam Định" in wards and "Phường Hồng Quang" in wards
    assert {registry.unit(u).name for u in registry.predecessors("C13984@2025-07-01")} == {
        "Xã Hồng Quang",
        "Xã Nghĩa An",
        "Phường Nam Vân",
    }


# ---- names resolve ---------------------------------------------------------------------
def test_two_hong_quang_are_ambiguous_without_context():
    with pytest.raises(AreaLookupError) as err:
        registry.area("Xã Hồng Quang", year=2024, within="Tỉnh Nam Định")
    assert err.value.reason == "ambiguous"
    assert {a.code for a in err.value.candidates} == {"13876", "13984"}
    text = str(err.value)
    assert "matches 2 units" in text and "Huyện Ý Yên, 13876" in text
    assert "Huyện Nam Trực, 13984" in text and "within=" in text
    assert "Huyện Ý Yên" in err.value.vi
    with pytest.raises(AreaLookupError) as nationally:
        registry.area("Xã Hồng Quang", year=2024)
    assert len(nationally.value.candidates) == 6


def test_within_settles_it():
    assert registry.area("Xã Hồng Quang", year=2024, within="Huyện Ý Yên").code == "13876"
    assert registry.area("Hồng Quang", year=2024, within="Huyện Nam Trực").code == "13984"
    assert registry.area("Hồng Quang", year=2024, within="362").code == "13984"  # district code
    assert registry.area("Hồng Quang", year=2024, within="D360").code == "13876"  # uid


def test_hai_hau_is_a_district_then_a_commune():
    assert registry.area("Hải Hậu", year=2023).name == "Huyện Hải Hậu"
    commune = registry.area("Xã Hải Hậu", year=2025)
    assert (commune.level, commune.province, commune.district) == (
        "commune",
        "Tỉnh Ninh Bình",
        None,
    )
    assert registry.area("Hải Hậu", year=2025) == commune  # no district exists then
    assert registry.area("Hai Hau", year=2023).uid == "D366"  # without diacritics
    assert registry.area("H. Hải Hậu", year=2023).uid == "D366"
    assert registry.area("Huyện Hải Hậu", year=2025).uid == "D366"  # during 2025: second choice
    with pytest.raises(AreaLookupError, match=r"no unit; the name is that of Xã Hải Hậu .*2025"):
        registry.area("Xã Hải Hậu", year=2023)


def test_my_loc_by_year_and_level():
    assert registry.area("Mỹ Lộc", year=2023).name == "Huyện Mỹ Lộc"
    assert registry.area("Mỹ Lộc", year=2024, level="district").name == "Huyện Mỹ Lộc"
    assert registry.area("Mỹ Lộc", year=2024, within="Tỉnh Nam Định").code == "13735"
    with pytest.raises(AreaLookupError, match=r"earlier in 2024, Huyện Mỹ Lộc"):
        registry.area("Mỹ Lộc", year=2024)


def test_nam_dinh_is_a_province_and_a_city():
    with pytest.raises(AreaLookupError) as err:
        registry.area("Nam Định", year=2020)
    assert {a.name for a in err.value.candidates} == {"Tỉnh Nam Định", "Thành phố Nam Định"}
    assert registry.area("Nam Định", year=2020, level="province").uid == NAM_DINH
    assert registry.area("Nam Định", year=2020, level="district").uid == "D356"
    assert registry.area("Nam Định", year=2020, within="Tỉnh Nam Định").uid == "D356"
    assert registry.area("TP. Nam Định", year=2020).uid == "D356"
    assert registry.area("Tỉnh Nam Định", year=2020).uid == NAM_DINH
    assert registry.area("Nam Định", year=2025).name == "Phường Nam Định"


def test_abbreviations_and_numeric_names():
    assert registry.area("TT Gôi", year=2020).name == "Thị trấn Gôi"
    assert registry.area("tt. goi", year=2020).name == "Thị trấn Gôi"
    assert registry.area("Q.1", year=2020).uid == "D760"
    assert registry.area("Phường 1", year=2020, within="Quận Gò Vấp").code == "26890"
    with pytest.raises(AreaLookupError, match="matches 33 units.* and 23 more"):
        registry.area("Phường 1", year=2020)
    with pytest.raises(AreaLookupError):
        registry.area("1", year=2020)


def test_unknown_names_say_why():
    with pytest.raises(AreaLookupError) as err:
        registry.area("Xã Hồng Quangg", year=2024)
    assert err.value.reason == "unknown" and err.value.candidates == ()
    assert "matches no administrative unit" in str(err.value)
    assert "close names: Xã Hồng Quang" in str(err.value)
    assert "không khớp" in err.value.vi
    with pytest.raises(AreaLookupError, match=r"^within='Atlantis' in 2024 matches no"):
        registry.area("Hồng Quang", year=2024, within="Atlantis")
    with pytest.raises(ValueError, match="year= or on="):
        registry.area("Hải Hậu", year=2024, on="2024-01-01")


def test_lookup_error_is_an_antq_error_and_pickles():
    with pytest.raises(AreaLookupError) as err:
        registry.area("Nam Định", year=2020)
    assert isinstance(err.value, AntqError)
    back = pickle.loads(pickle.dumps(err.value))
    assert type(back) is AreaLookupError
    assert (str(back), back.vi, back.name, back.reason) == (
        str(err.value),
        err.value.vi,
        "Nam Định",
        "ambiguous",
    )
    assert back.candidates == err.value.candidates


def test_resolve_agrees_with_area_and_keeps_order():
    names = pd.Series(
        ["Hải Hậu", None, "Xã Hồng Quang", "Vụ Bản", "Atlantis", "Hải Hậu", "TP Nam Định"],
        index=list("abcdefg"),
    )
    out = registry.resolve(names, year=2023)
    assert list(out.index) == list("abcdefg")
    assert out["uid"].tolist() == ["D366", pd.NA, pd.NA, "D359", pd.NA, "D366", "D356"]
    assert out["candidates"].tolist() == [1, 0, 6, 1, 0, 1, 1]
    assert out["exact"].tolist() == [True, False, False, True, False, True, True]
    inside = registry.resolve(["Hồng Quang"], year=2023, within="Huyện Ý Yên")
    assert inside["uid"].tolist() == ["C13876"]
    later = registry.resolve(["Mỹ Lộc"], year=2024, level="district")
    assert later["uid"].tolist() == ["D358"] and not later["exact"].iloc[0]
    assert registry.resolve([], year=2024).empty


# ---- the build -----------------------------------------------------------------------------
@pytest.mark.skipif(
    REFERENCE is None,
    reason="the reference folder (../shared/reference) is not on this machine (CI): "
    "the build script cannot run; the committed tables are tested above",
)
def test_build_is_deterministic_and_matches_the_committed_tables(tmp_path):
    script = str(ROOT / "scripts" / "build_registry.py")
    runs = [
        subprocess.Popen(
            [sys.executable, script, str(REFERENCE), "--out", str(tmp_path / name)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in ("a", "b")
    ]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode()
    files = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    assert len(files) == 6
    for f in files:
        first = (tmp_path / "a" / f).read_bytes()
        assert first == (tmp_path / "b" / f).read_bytes(), f
        assert first == (DATA / f).read_bytes(), f"{f} differs from the committed file"
