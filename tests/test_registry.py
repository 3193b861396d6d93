"""The area registry: its data hold together, agree with Resolution 1674, and names resolve."""

from __future__ import annotations

import importlib.util
import pickle
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from types import SimpleNamespace

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
# Old Hà Nam, Nam Định and Ninh Bình: Article 1 arranges their communes into the 129
# communes of the new Tỉnh Ninh Bình.
REGION = ("P35", "P36", "P37")
BASIS = "1674/NQ-UBTVQH15"
# The one old unit the text names under another kind than the catalogue's (the
# registry README says why it is read so): Xã Tiên Sơn is "phường Tiên Sơn" in clause 102.
KIND_IN_TEXT = {"C13369": "phường"}

# Old and new tone placement on a final "oa", "oe", "uy": "Hòa" and "Hoà" are one name.
_TONE_PLACE = dict(
    zip(
        "òa óa ỏa õa ọa òe óe ỏe õe ọe ùy úy ủy ũy ụy".split(),
        "oà oá oả oã oạ oè oé oẻ oẽ oẹ uỳ uý uỷ uỹ uỵ".split(),
        strict=True,
    )
)
# What a clause moves of the units listed after it: all, a part, or what is left.
_SHARE = re.compile(
    r"toàn bộ diện tích tự nhiên,? quy mô dân số của"
    r"|một phần diện tích tự nhiên,? quy mô dân số của"
    r"|phần còn lại của"
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


@pytest.fixture(scope="module")
def region_units() -> pd.DataFrame:
    """The commune-level units of old Hà Nam, Nam Định and Ninh Bình on 30/6/2025."""
    return pd.concat(registry.areas(on=LAST_OLD, province=p, level="commune") for p in REGION)


@pytest.fixture(scope="module")
def repeated(region_units) -> pd.Series:
    """How many old units of the three provinces bear each name (kind and name)."""
    return region_units["name"].map(_norm).value_counts()


@pytest.fixture(scope="module")
def region_events(region_units) -> pd.DataFrame:
    """The 2025 events of those units, with the old unit's district and province."""
    old = region_units[["uid", "district", "province"]].rename(
        columns={"uid": "old_uid", "province": "old_province"}
    )
    return registry.events(on=FIRST_NEW).merge(old, on="old_uid")


@pytest.fixture(scope="module")
def nam_dinh_events(region_events) -> pd.DataFrame:
    """The 2025 events of the commune-level units of old Tỉnh Nam Định."""
    nd = region_events[region_events["old_province"] == "Tỉnh Nam Định"]
    return nd.reset_index(drop=True)


def _parts(clause: str) -> tuple[str, str]:
    """A clause as (what it moves, the new unit's name)."""
    old_part, new_name = re.split(r" thành (?:xã|phường) mới có tên gọi là ", clause)
    return old_part, new_name.rstrip(".")


def _kind_before(text: str, end: int) -> str | None:
    kinds = re.findall(r"(?<!\w)(thị trấn|thị xã|xã|phường)(?!\w)", text[:end])
    return kinds[-1] if kinds else None


def _share_before(text: str, end: int) -> str:
    shares = _SHARE.findall(text[:end])
    return "whole" if shares and shares[-1].startswith("toàn bộ") else "part"


def _faults(e, clauses: dict[int, str], repeated: pd.Series) -> list[str]:
    """Why the clause event ``e`` cites does not carry it; empty when it does.

    The clause must form ``e``'s new unit and name its old unit: the name under
    the kind word that governs it; a name that repeats among the old units of the
    three provinces only where "(its district)" follows it in the same list item;
    moved whole for a ``merged_whole`` event, in part ("một phần …", "phần còn
    lại của …") for a ``merged_part`` one.
    """
    if e.basis != BASIS or not e.clause or int(e.clause) not in clauses:
        return [f"cites no clause of {BASIS}: {e.basis} {e.clause}"]
    old_part, new_name = _parts(clauses[int(e.clause)])
    out = []
    if new_name != _norm(e.new_name):
        out.append(f"clause {e.clause} forms {new_name}, not {e.new_name}")
    kind, bare = _norm(e.old_name).split(" ", 1)
    if kind == "thị":
        kind, bare = "thị trấn", bare.split(" ", 1)[1]
    kind = KIND_IN_TEXT.get(e.old_uid, kind)
    qualifier = f"({_norm(e.district)})" if repeated[_norm(e.old_name)] > 1 else ""
    hits = [
        m
        for m in re.finditer(rf"(?<!\w){re.escape(bare)}(?!\w)", old_part)
        if _kind_before(old_part, m.start()) == kind
        and qualifier in old_part[m.end() :].split(",", 1)[0]
    ]
    if not hits:
        return [*out, f"clause {e.clause} does not name {kind} {bare} {qualifier}".rstrip()]
    shares = {_share_before(old_part, m.start()) for m in hits}
    moved = "part" if e.kind == "merged_part" else "whole"
    if moved not in shares:
        out.append(f"clause {e.clause} moves {'/'.join(shares)} of it; the event: {moved}")
    return out


def _listed(old_part: str) -> int:
    """How many units a clause lists (a simple count, independent of the build's reading)."""
    s = _SHARE.sub("", old_part.removeprefix("sắp xếp "))
    s = re.sub(r" sau khi sắp xếp theo quy định tại khoản \d+ điều này", "", s)
    items = [i.strip() for i in re.split(r",\s*(?:và\s+)?|\s+và\s+", s)]
    return sum(bool(i) and not i.startswith("khu vực") for i in items)


def test_each_event_is_named_by_the_clause_it_cites(clauses, region_events, repeated):
    faults = {
        f"{e.old_name} ({e.district}, {e.old_uid}) → {e.new_name}, cl. {e.clause}": f
        for e in region_events.itertuples()
        if (f := _faults(e, clauses, repeated))
    }
    assert not faults, faults
    assert len(region_events) == 404 and region_events["verified"].all()


def test_every_old_unit_and_every_new_unit_is_accounted_for(clauses, region_units, region_events):
    # Each old unit has its events, as many as the new units it was split between.
    per_old = region_events.groupby("old_uid").agg(
        n=("new_uid", "size"), n_new=("n_new", "first"), new=("new_uid", "nunique")
    )
    assert set(per_old.index) == set(region_units["uid"])
    assert (per_old["n"] == per_old["n_new"]).all() and (per_old["n"] == per_old["new"]).all()
    # Each of the 129 new units has as many predecessors as its clause lists, all from
    # the three provinces.
    new = registry.areas(on=FIRST_NEW, province=NINH_BINH_NEW, level="commune")
    assert len(new) == 129 and set(region_events["new_uid"]) == set(new["uid"])
    listed = {_parts(text)[1]: _listed(_parts(text)[0]) for n, text in clauses.items() if n <= 129}
    got = region_events.groupby("new_name").size().rename(index=_norm).to_dict()
    assert got == listed
    everyone = registry.events(on=FIRST_NEW)
    into_nb = everyone[everyone["new_uid"].isin(new["uid"])]
    assert set(into_nb["old_uid"]) == set(region_units["uid"])


def test_split_units_are_the_text_s(region_events):
    parts = region_events[region_events["kind"] == "merged_part"]
    assert (parts["n_new"] == 2).all()
    split = parts.groupby("old_uid").apply(
        lambda g: dict(zip(g["clause"].astype(int), g["new_name"], strict=True)),
        include_groups=False,
    )
    assert split.to_dict() == {
        "C13285": {109: "Phường Hà Nam", 112: "Phường Phủ Lý"},  # Quang Trung, Phủ Lý
        "C13324": {98: "Phường Duy Tiên", 99: "Phường Duy Tân"},  # Hòa Mạc
        "C13354": {102: "Phường Tiên Sơn", 109: "Phường Hà Nam"},  # Tiên Nội
        "C13357": {101: "Phường Duy Hà", 109: "Phường Hà Nam"},  # Hoàng Đông
        "C13363": {102: "Phường Tiên Sơn", 109: "Phường Hà Nam"},  # Tiên Ngoại
        "C14503": {71: "Xã Gia Vân", 122: "Phường Tây Hoa Lư"},  # Gia Tân
    }
    assert (region_events.loc[region_events["n_new"] == 1, "kind"] != "merged_part").all()


def test_the_draft_errors_are_corrected(region_events):
    ev = region_events.set_index("old_uid")
    # Xã Đông Sơn (Tam Điệp) goes whole to Phường Trung Sơn (cl. 128); the draft also
    # sent part of it to Xã Nam Đồng (cl. 20 names Nam Trực's xã Đồng Sơn).
    dong_son = ev.loc[["C14380"]]
    assert dong_son[["new_name", "clause", "kind", "n_new"]].values.tolist() == [
        ["Phường Trung Sơn", "128", "merged_whole", 1]
    ]
    assert "corrected" in dong_son["note"].iloc[0]
    nam_dong = region_events[region_events["new_name"] == "Xã Nam Đồng"]
    assert sorted(zip(nam_dong["old_name"], nam_dong["district"], strict=True)) == [
        ("Xã Nam Thái", "Huyện Nam Trực"),
        ("Xã Đồng Sơn", "Huyện Nam Trực"),
    ]
    assert set(registry.predecessors("C14014@2025-07-01")) == {"C14014", "C14023"}
    # Phường Tân Thành (Hoa Lư) goes whole to Phường Hoa Lư (cl. 123); cl. 94 names
    # Kim Sơn's xã Tân Thành, which goes to Xã Lai Thành.
    tan_thanh = ev.loc[["C14323"]]
    assert tan_thanh[["new_name", "clause", "kind", "n_new"]].values.tolist() == [
        ["Phường Hoa Lư", "123", "merged_whole", 1]
    ]
    assert ev.loc[["C14668"], ["new_name", "clause"]].values.tolist() == [["Xã Lai Thành", "94"]]
    # Xã Quang Trung (Vụ Bản) goes to Xã Hiển Khánh (cl. 24), not Phường Nam Định.
    quang_trung = ev.loc["C13768"]
    assert quang_trung["new_name"] == "Xã Hiển Khánh" and quang_trung["clause"] == "24"
    assert "corrected" in quang_trung["note"]
    readme = (DATA / "README.md").read_text("utf-8")
    for unit in (
        "Xã Quang Trung (Huyện Vụ Bản, 13768)",
        "Xã Đông Sơn (Thành phố Tam Điệp, 14380)",
        "Phường Tân Thành (Thành phố Hoa Lư, 14323)",
    ):
        assert f"| {unit} |" in readme
    # Xã Tiên Sơn: "phường Tiên Sơn" in the text (cl. 102), whole into Phường Tiên Sơn.
    tien_son = ev.loc["C13369"]
    assert (tien_son["new_name"], tien_son["clause"]) == ("Phường Tiên Sơn", "102")
    assert "named as phường Tiên Sơn" in tien_son["note"]


def test_a_restored_draft_mistake_is_caught(clauses, region_events, repeated):
    """The check above fails on each of the draft's mistakes, put back."""
    ev = region_events.set_index("old_uid", drop=False)

    def planted(old_uid: str, **changes) -> SimpleNamespace:
        return SimpleNamespace(**{**ev.loc[old_uid].to_dict(), **changes})

    mistakes = {
        "Đông Sơn → Nam Đồng": planted(
            "C14380", new_name="Xã Nam Đồng", clause="20", kind="merged_part", n_new=2
        ),
        "Tân Thành (Hoa Lư) → Lai Thành": planted(
            "C14323", new_name="Xã Lai Thành", clause="94", kind="merged_part", n_new=2
        ),
        "Quang Trung (Vụ Bản) → Nam Định": planted(
            "C13768", new_name="Phường Nam Định", clause="114"
        ),
        # A repeated name, the clause of its namesake: xã Yên Nhân (huyện Ý Yên).
        "Yên Nhân (Yên Mô) → Yên Cường": planted("C14737", new_name="Xã Yên Cường", clause="29"),
        # The part of Gia Tân taken for all of it.
        "Gia Tân whole into Gia Vân": planted("C14503", kind="merged_whole", n_new=1),
        "a clause the event does not cite": planted("C14014", clause=""),
    }
    for what, e in mistakes.items():
        assert _faults(e, clauses, repeated), what


@pytest.fixture(scope="module")
def build_script():
    """scripts/build_registry.py as a module, to run its reading of the text alone."""
    name = "_antq_build_registry"
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "build_registry.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[name]


@pytest.fixture(scope="module")
def unit_lists(region_units) -> tuple[list[dict], list[dict]]:
    """The old units of the three provinces and the new ones, as the build reads them."""
    code = {"Tỉnh Hà Nam": "35", "Tỉnh Nam Định": "36", "Tỉnh Ninh Bình": "37"}
    old = [
        {"province_code": code[u.province], "district": u.district, "commune": u.name}
        | {"commune_code": u.code}
        for u in region_units.itertuples()
    ]
    nb = registry.areas(on=FIRST_NEW, province=NINH_BINH_NEW, level="commune")
    new = [
        {"province": "Tỉnh Ninh Bình", "commune_code": u.code, "commune": u.name}
        for u in nb.itertuples()
    ]
    return old, new


def test_the_build_reads_the_committed_events_from_the_text(
    build_script, unit_lists, region_events
):
    text = RESOLUTION.read_text(encoding="utf-8")
    placed = build_script.read_region(build_script.article_1(text), *unit_lists)
    from_text = {(f"C{k}", str(p.clause)) for k, ps in placed.items() for p in ps}
    committed = set(zip(region_events["old_uid"], region_events["clause"], strict=True))
    assert from_text == committed


@pytest.mark.parametrize(
    ("cut", "instead", "message"),
    [
        # Clause 128 without xã Đông Sơn: an old unit no clause names.
        (
            "Trung Sơn và xã Đông Sơn",
            "Trung Sơn",
            r"no clause .* names 1 old unit\(s\): Xã Đông Sơn \(Thành phố Tam Điệp",
        ),
        # Clause 20 listing no old unit: a new unit with no predecessor.
        (
            "xã Đồng Sơn\nvà xã Nam Thái",
            "khu vực bãi bồi",
            r"no predecessor in the text: Xã Nam Đồng \(cl. 20\)",
        ),
        # A repeated name without its district.
        (
            "và xã Hồng Quang (huyện Ý Yên)",
            "và xã Hồng Quang",
            r"clause 27: xã Yên Phong: the name of 2 old units",
        ),
        # A remainder that points at the wrong clause.
        ("khoản 98 Điều", "khoản 97 Điều", r"Phường Hòa Mạc .* do not refer to each other"),
    ],
)
def test_the_build_stops_where_the_text_leaves_a_gap(
    build_script, unit_lists, cut, instead, message
):
    text = unicodedata.normalize("NFC", RESOLUTION.read_text(encoding="utf-8"))
    assert cut in text
    with pytest.raises(SystemExit, match=message):
        build_script.read_region(build_script.article_1(text.replace(cut, instead)), *unit_lists)


def test_nam_dinh_175_units_merged_whole_into_57(nam_dinh_events):
    assert len(nam_dinh_events) == 175
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


def test_new_units_per_old_province(region_events):
    new = region_events.groupby("old_province")["new_uid"].nunique().to_dict()
    assert new == {"Tỉnh Hà Nam": 33, "Tỉnh Nam Định": 57, "Tỉnh Ninh Bình": 39}
    # No new unit draws on two old provinces (the draft's Nam Đồng did).
    assert region_events.groupby("new_uid")["old_province"].nunique().max() == 1


def test_province_events():
    ev = registry.events(on=FIRST_NEW)
    prov = ev[ev["old_uid"].str.fullmatch(r"P\d\d")]
    assert len(prov) == 63 and prov["new_uid"].nunique() == 34
    into_nb = prov[prov["new_uid"] == NINH_BINH_NEW]
    assert set(into_nb["old_name"]) == {"Tỉnh Hà Nam", "Tỉnh Nam Định", "Tỉnh Ninh Bình"}
    assert into_nb["verified"].all() and prov["verified"].sum() == 3
    region = pd.concat(registry.areas(province=p) for p in REGION)
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


def test_the_registry_is_public_api():
    import antq

    assert antq.area("Hồng Quang", year=2024, within="Huyện Ý Yên").code == "13876"
    assert len(antq.areas(on="2025-07-01", level="province")) == 34


def test_uids_answer_each_year_by_the_units_in_force_then_and_a_missing_year_with_na():
    """Codes looked up once per span of years with the same units still give each year its
    own unit: 358 is Mỹ Lộc to 2024 (the year it ceased in) and nothing in 2025; 13669 is the
    old commune in 2019 and the new one of 1/7/2025 in 2026; a row without a year has none."""
    t = pd.DataFrame(
        {
            "area_code": ["358", "358", "358", "358", "13669", "13669"],
            "level": ["district"] * 4 + ["commune"] * 2,
            "year": pd.array([2016, 2023, 2024, None, 2019, 2026], dtype="Int64"),
        }
    )
    got = registry.uids(t).fillna("NA").tolist()
    assert got == ["D358", "D358", "D358", "NA", "C13669", "C13669@2025-07-01"]
    assert registry.uids(t.assign(year=[2016, 2023, 2024, 2025, 2019, 2026]))[3] is pd.NA


def test_no_bare_spelling_is_a_row_number():
    # Rows are numbered 1, 2 … and groups I, II, III …: a bare "VII" in the STT column is no
    # Phường VII (Vị Thanh), which is still known by its name and its abbreviation.
    spell = registry._spellings_frame()
    bare = spell.loc[~spell["prefixed"], "key"]
    assert not bare.str.fullmatch(r"[0-9]+|[ivxlc]+").any()
    assert registry.lookup("VII", year=2024) == (None, 0, True)
    for name in ("Phường VII", "P. VII"):
        uid, n, _ = registry.lookup(name, year=2024)
        assert n == 1 and registry.unit(uid).name == "Phường VII"
