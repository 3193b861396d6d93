"""Build antq's area registry from the reference folder, deterministically.

Reads the reference facts (``../shared/reference`` by default: the unit lists
before and from 1 July 2025, the draft crosswalk, the text of Resolution
1674/NQ-UBTVQH15) and writes ``antq/data/registry/``:

- ``units.csv.gz``      one row per administrative unit per period
- ``spellings.csv.gz``  the spellings each unit is known by, with the folded key
- ``events.csv.gz``     what changed the map: old unit → new unit, date, basis
- ``README.md``         what the tables are, sources, what is verified, corrections
- ``LICENSE-dvhcvn-20250701.txt`` and ``sources/nq-1674-NQ-UBTVQH15.md``,
  copied so that the package and its tests need nothing outside the repo.

The events of the communes of old Hà Nam, Nam Định and Ninh Bình (which form
the new Tỉnh Ninh Bình) come from Article 1 of Resolution 1674/NQ-UBTVQH15,
read clause by clause, whole units and parts alike: every event's clause names
both its old unit and its new one. The build stops if an old unit of the three
provinces is named by no clause or a new unit gets no predecessor. The draft
crosswalk is compared with the text; where they disagree, the text wins and the
correction is recorded.

Re-running gives byte-identical files (sorted rows, gzip without a timestamp).

Run:  python scripts/build_registry.py [REFERENCE_DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import io
import re
import shutil
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load_fold():
    """antq's own ``fold``: the stored keys must be what antq computes when it matches.

    Loaded from its file, not as ``antq._text``: importing the package would
    import pandas and the whole reader for one small function.
    """
    spec = importlib.util.spec_from_file_location("_antq_text", ROOT / "antq" / "_text.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.fold


fold = _load_fold()

DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference"
DEFAULT_OUT = ROOT / "antq" / "data" / "registry"

RESOLUTION_FILE = "nq-1674-NQ-UBTVQH15-ninh-binh-2025.md"
RESOLUTION_COPY = "sources/nq-1674-NQ-UBTVQH15.md"
LICENSE_FILE = "LICENSE-dvhcvn-20250701.txt"
BASIS = "1674/NQ-UBTVQH15"

LAST_OLD_DAY = "2025-06-30"
REFORM_DAY = "2025-07-01"

# ---- facts not in the reference files -----------------------------------------
# Province codes from 1 July 2025. The reference files carry no province codes
# after the reform. Source: Công văn 915/CTK-CSCL (Cục Thống kê, 16 June 2025),
# the code list later issued with Quyết định 19/2025/QĐ-TTg, as transcribed by
# dvhcvn/20250701 in input/docs/915_CTK-CSCL.csv (MIT). An independent
# published list headed "theo Quyết định 19/2025/QĐ-TTg" gives the same codes.
# Neither the Công văn nor the Quyết định is held here: unverified.
PROVINCE_CODES_2025: dict[str, str] = {
    "Thành phố Hà Nội": "01",
    "Tỉnh Cao Bằng": "04",
    "Tỉnh Tuyên Quang": "08",
    "Tỉnh Điện Biên": "11",
    "Tỉnh Lai Châu": "12",
    "Tỉnh Sơn La": "14",
    "Tỉnh Lào Cai": "15",
    "Tỉnh Thái Nguyên": "19",
    "Tỉnh Lạng Sơn": "20",
    "Tỉnh Quảng Ninh": "22",
    "Tỉnh Bắc Ninh": "24",
    "Tỉnh Phú Thọ": "25",
    "Thành phố Hải Phòng": "31",
    "Tỉnh Hưng Yên": "33",
    "Tỉnh Ninh Bình": "37",
    "Tỉnh Thanh Hóa": "38",
    "Tỉnh Nghệ An": "40",
    "Tỉnh Hà Tĩnh": "42",
    "Tỉnh Quảng Trị": "44",
    "Thành phố Huế": "46",
    "Thành phố Đà Nẵng": "48",
    "Tỉnh Quảng Ngãi": "51",
    "Tỉnh Gia Lai": "52",
    "Tỉnh Khánh Hòa": "56",
    "Tỉnh Đắk Lắk": "66",
    "Tỉnh Lâm Đồng": "68",
    "Tỉnh Đồng Nai": "75",
    "Thành phố Hồ Chí Minh": "79",
    "Tỉnh Tây Ninh": "80",
    "Tỉnh Đồng Tháp": "82",
    "Tỉnh Vĩnh Long": "86",
    "Tỉnh An Giang": "91",
    "Thành phố Cần Thơ": "92",
    "Tỉnh Cà Mau": "96",
}
PROVINCE_CODE_SOURCE = (
    "province code: Công văn 915/CTK-CSCL (16/6/2025; the list of Quyết định 19/2025/QĐ-TTg)"
    " as transcribed in dvhcvn/20250701 input/docs/915_CTK-CSCL.csv; not checked against"
    " the text"
)

# Huyện Mỹ Lộc ended on 31 August 2024: merged whole into Thành phố Nam Định.
MY_LOC = {
    "code": "358",
    "name": "Huyện Mỹ Lộc",
    "province_code": "36",
    "valid_to": "2024-08-31",
    "into_code": "356",
    "date": "2024-09-01",
    "basis": "1104/NQ-UBTVQH15",
    "source": (
        "Resolution 1104/NQ-UBTVQH15 of 23/7/2024 (in force 1/9/2024), as summarised in"
        " the reference README; not in the catalogue of 30/6/2025"
    ),
}

# Old provinces whose province-level successor a text we hold states: the
# reference README ("Hà Nam, Ninh Bình and Nam Định merged into Tỉnh Ninh Bình",
# Resolution 202/2025/QH15); Resolution 1674/NQ-UBTVQH15 arranges the communes
# of the new province from units of all three.
PROVINCE_EVENTS_VERIFIED = {"35", "36", "37"}

# Well-known short forms of whole names (not derivable from the prefix rules).
_HCM = ("TP.HCM", "TP HCM", "TPHCM", "TP. HCM", "HCM")
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "P79": _HCM,
    "P79@2025-07-01": _HCM,
    # Tỉnh Thừa Thiên Huế became the centrally-run Thành phố Huế on 1/1/2025;
    # the catalogue of 30/6/2025 carries only the new name, reports before
    # 2025 the old one.
    "P46": ("Thừa Thiên Huế", "Tỉnh Thừa Thiên Huế", "Thừa Thiên - Huế"),
}

# ---- names -------------------------------------------------------------------
LEVEL_OF_PREFIX: dict[str, str] = {
    "Tỉnh": "province",
    "Thành phố": "district",  # inside a province; centrally-run cities are provinces
    "Quận": "district",
    "Huyện": "district",
    "Thị xã": "district",
    "Xã": "commune",
    "Phường": "commune",
    "Thị trấn": "commune",
    "Đặc khu": "commune",
}
# Longest first, so "Thị xã" is not read as "Thị" + "xã".
PREFIXES = sorted(LEVEL_OF_PREFIX, key=lambda p: (-len(p), p))
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "Thành phố": ("TP.", "TP", "Tp."),
    "Thị xã": ("TX.", "TX", "T.X."),
    "Thị trấn": ("TT.", "TT", "T.T."),
    "Huyện": ("H.",),
    "Quận": ("Q.",),
    "Phường": ("P.",),
}
_PREFIX_RE = re.compile(r"^(" + "|".join(re.escape(p) for p in PREFIXES) + r")\s+(.+)$", re.I)
#: A name of Roman numerals alone ("IV"), as rows are numbered.
_ROMAN = re.compile(r"[IVXLC]+")
_SPACE = re.compile(r"\s+")
_CANONICAL_PREFIX = {p.lower(): p for p in PREFIXES}


@cache  # the same province and district names come back on every row
def clean(text: str) -> str:
    """NFC, single spaces, trimmed, and the unit prefix in its usual case ("Thị Xã" → "Thị xã")."""
    text = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    m = _PREFIX_RE.match(text)
    if m:
        text = f"{_CANONICAL_PREFIX[m.group(1).lower()]} {m.group(2)}"
    return text


def split_prefix(name: str) -> tuple[str, str]:
    """("Thị trấn", "Gôi") from "Thị trấn Gôi"."""
    m = _PREFIX_RE.match(name)
    if not m:
        raise ValueError(f"no unit prefix in {name!r}")
    return m.group(1), m.group(2)


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_GLIDES = {"oa", "oe", "uy"}


@cache
def _move_tone(word: str, *, to_first: bool) -> str:
    """The tone of a final "oa", "oe", "uy" on its first vowel (old style) or second (new style).

    "Hòa"/"Hoà", "Thủy"/"Thuỷ": both spellings are in use. "Quý" keeps its
    tone: "qu" is a consonant there.
    """
    letters = [unicodedata.normalize("NFD", ch) for ch in unicodedata.normalize("NFC", word)]
    if len(letters) < 2 or word.lower().startswith("qu"):
        return word
    a, b = letters[-2], letters[-1]
    base = (a[0] + b[0]).lower()
    tone_a = [c for c in a[1:] if c in _TONES]
    tone_b = [c for c in b[1:] if c in _TONES]
    if base not in _GLIDES or len(a) + len(b) - 2 != len(tone_a) + len(tone_b):
        return word
    tone = tone_a or tone_b
    if len(tone) != 1:
        return word
    if to_first:
        a, b = a[0] + tone[0], b[0]
    else:
        a, b = a[0], b[0] + tone[0]
    return unicodedata.normalize("NFC", "".join([*letters[:-2], a, b]))


@cache
def same_name_key(text: str) -> str:
    """Lower case with one tone placement: "Hòa" = "Hoà", but "Đồng Sơn" ≠ "Đông Sơn".

    Folding drops every diacritic and would make those two one name; the
    resolution tells repeated names apart only where the letters are the same.
    """
    return " ".join(
        _move_tone(w, to_first=False) for w in unicodedata.normalize("NFC", text).lower().split()
    )


@cache
def tone_variants(text: str) -> tuple[str, ...]:
    """The old-style and new-style tone placements of ``text``, where they differ from it."""
    out = []
    for to_first in (True, False):
        alt = " ".join(_move_tone(w, to_first=to_first) for w in text.split(" "))
        if alt != text and alt not in out:
            out.append(alt)
    return tuple(out)


# ---- reading -------------------------------------------------------------------
def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        header, *rows = csv.reader(f)
    return [dict(zip(header, map(clean, row), strict=True)) for row in rows]


@dataclass
class Cleanup:
    """What the build changed in the reference rows, for the README."""

    notes: list[str] = field(default_factory=list)


def read_old_units(ref: Path, log: Cleanup) -> list[dict[str, str]]:
    rows = read_csv(ref / "units-before-2025-07-01.csv")
    swapped = [r for r in rows if r["commune"].startswith("Huyện ")]
    for r in swapped:
        # The source has the district and commune names the wrong way round
        # for Huyện Kiên Hải (district 912): the codes say which is which.
        r["district"], r["commune"] = r["commune"], r["district"]
    if swapped:
        log.notes.append(
            f"units-before: district and commune names swapped back for {len(swapped)} rows "
            f"of {swapped[0]['district']} (district {swapped[0]['district_code']})."
        )
    return rows


# ---- Resolution 1674/NQ-UBTVQH15, Article 1 -------------------------------------------
# The old provinces whose communes Article 1 arranges: Hà Nam, Nam Định, Ninh Bình.
REGION = ("35", "36", "37")
REGION_NAMES = {"35": "Tỉnh Hà Nam", "36": "Tỉnh Nam Định", "37": "Tỉnh Ninh Bình"}


@dataclass(frozen=True)
class Mention:
    """An old unit named in a clause: its kind ("Xã"), bare name and district qualifier."""

    kind: str
    name: str
    qualifier: str  # "huyện Ý Yên" where the text adds one, else ""
    partial: bool  # "một phần …" / "phần còn lại của …"
    rest_of: int = 0  # "phần còn lại … theo quy định tại khoản N": N; else 0


@dataclass(frozen=True)
class Clause:
    number: int
    text: str  # the clause as one line, without markdown
    new_kind: str
    new_name: str
    mentions: tuple[Mention, ...]
    areas: tuple[str, ...] = ()  # parts that are no commune-level unit ("khu vực bãi bồi …")


_KIND_WORDS = {"xã": "Xã", "phường": "Phường", "thị trấn": "Thị trấn"}
_HEAD = re.compile(r"^(?:các\s+)?(thị trấn|xã|phường)\s+(.*)$", re.I)
_QUAL = re.compile(r"^(.*?)\s*\(((?:huyện|thị xã|thành phố)\s+[^)]+)\)$", re.I)
# What a clause moves: all of the units after it, a part of them, or what is left of them.
_SHARE = re.compile(
    r"(toàn bộ diện tích tự nhiên,? quy mô dân số của"
    r"|một phần diện tích tự nhiên,? quy mô dân số của"
    r"|phần còn lại của)\s+"
)
_REST = re.compile(r"^(.*) sau khi sắp xếp theo quy định tại khoản (\d+) Điều này$")


def article_1(text: str) -> list[Clause]:
    """The numbered clauses of Article 1 that form a new unit."""
    # The text mixes composed and decomposed letters ("và" both ways): compose first.
    text = unicodedata.normalize("NFC", text)
    body = text.split("**Điều 1.", 1)[1].split("**Điều 2.", 1)[0]
    body = body.replace("**", "").replace("\\", "")
    raw = re.split(r"\n\s*\n", body)
    clauses = []
    for para in raw:
        line = _SPACE.sub(" ", para).strip()
        m = re.match(r"^(\d+)\. (.*)$", line)
        if not m:
            continue
        number, sentence = int(m.group(1)), m.group(2)
        head = re.search(
            r"^(.*) thành (?:xã|phường|đặc khu) mới có tên gọi là (xã|phường|đặc khu) (.+?)\.$",
            sentence,
        )
        if not head:
            continue  # clause 130: the count after the arrangement
        mentions, areas = _mentions(head.group(1), number)
        clauses.append(
            Clause(
                number=number,
                text=line,
                new_kind=head.group(2).capitalize(),
                new_name=head.group(3).strip(),
                mentions=tuple(mentions),
                areas=tuple(areas),
            )
        )
    return clauses


def _mentions(old_part: str, number: int) -> tuple[list[Mention], list[str]]:
    """Old units named in the part before "thành … mới", and the parts that are no unit.

    The part is a run of shares: "toàn bộ … của LIST", "một phần … của LIST"
    and "phần còn lại của LIST sau khi sắp xếp theo quy định tại khoản N Điều
    này"; a share covers every name of its list ("một phần … của phường Tiên
    Nội, xã Tiên Ngoại": a part of each).

    In a list, "xã A, B và thị trấn C": a kind word carries over to the names
    after it. "(huyện X)" after a name qualifies it; after "xã A và xã B
    (huyện X)" it qualifies the pair (the text names a repeated name only this way).
    """
    s = re.sub(r"^Sắp xếp ", "", old_part)
    pieces = _SHARE.split(s)
    if pieces[0].strip():
        raise SystemExit(f"clause {number}: cannot read {pieces[0]!r}")
    out: list[Mention] = []
    areas: list[str] = []
    for share, body in zip(pieces[1::2], pieces[2::2], strict=True):
        body = re.sub(r"(?:[\s,]+và)?[\s,]*$", "", body)
        partial, rest_of = not share.startswith("toàn bộ"), 0
        if share == "phần còn lại của":
            rest = _REST.match(body)
            if not rest:
                raise SystemExit(f"clause {number}: a remainder without its clause: {body!r}")
            body, rest_of = rest.group(1), int(rest.group(2))
        out.extend(_listed(body, number, partial, rest_of, areas))
    return out, areas


def _listed(body: str, number: int, partial: bool, rest_of: int, areas: list[str]) -> list[Mention]:
    """The units of one share's list; what is no unit goes to ``areas``."""
    out: list[Mention] = []
    kind = ""
    prev_explicit = False
    # Split on commas and "và", remembering which joins were "và".
    parts = re.split(r"(,\s*(?:và\s+)?|\s+và\s+)", body)
    joins = ["," if i == 0 else parts[2 * i - 1].strip() for i in range(len(parts[::2]))]
    for seg, join in zip(parts[::2], joins, strict=True):
        seg = seg.strip()
        if not seg:
            continue
        if seg.startswith("khu vực "):
            areas.append(seg)  # clause 97: the coastal alluvial area, no unit
            continue
        explicit = False
        m = _HEAD.match(seg)
        if m:
            kind, seg, explicit = _KIND_WORDS[m.group(1).lower()], m.group(2), True
        if not kind:
            raise SystemExit(f"clause {number}: no kind word before {seg!r}")
        q = _QUAL.match(seg)
        name, qualifier = (q.group(1), q.group(2)) if q else (seg, "")
        if (
            qualifier
            and join == "và"
            and explicit
            and prev_explicit
            and out
            and not out[-1].qualifier
        ):
            last = out[-1]
            out[-1] = Mention(last.kind, last.name, qualifier, last.partial, last.rest_of)
        out.append(Mention(kind, name.strip(), qualifier, partial, rest_of))
        prev_explicit = explicit
    return out


def _region_names(old_units: list[dict[str, str]]) -> Counter:
    """How many old units of Hà Nam, Ninh Bình and Nam Định bear each (kind, name)."""
    region = [u for u in old_units if u["province_code"] in REGION]
    return Counter(
        (split_prefix(u["commune"])[0], same_name_key(split_prefix(u["commune"])[1]))
        for u in region
    )


def _names(u: dict[str, str], m: Mention, repeated: bool) -> bool:
    """Mention ``m`` names the name of old unit ``u`` (its kind aside).

    A repeated name (borne by more than one old unit of Hà Nam, Ninh Bình and
    Nam Định) counts only where the clause qualifies it with the unit's district.
    """
    if same_name_key(m.name) != same_name_key(split_prefix(u["commune"])[1]):
        return False
    if m.qualifier:
        return same_name_key(m.qualifier) == same_name_key(u["district"])
    return not repeated


def _new_code(c: Clause, new_units: list[dict[str, str]]) -> str:
    codes = [
        u["commune_code"]
        for u in new_units
        if u["province"] == "Tỉnh Ninh Bình"
        and fold(u["commune"]) == fold(f"{c.new_kind} {c.new_name}")
    ]
    if len(codes) != 1:
        raise SystemExit(f"clause {c.number}: new unit {c.new_kind} {c.new_name}: {codes}")
    return codes[0]


@dataclass(frozen=True)
class Placed:
    """Where Article 1 puts (a share of) an old unit."""

    clause: int
    new_code: str
    partial: bool
    rest_of: int  # the clause of the part this is the remainder of; 0 if none
    note: str  # how the text's naming differs from the catalogue's, if it does


def _unit_label(u: dict[str, str]) -> str:
    return (
        f"{u['commune']} ({u['district']}, {REGION_NAMES[u['province_code']]}, {u['commune_code']})"
    )


def read_region(
    clauses: list[Clause],
    old_units: list[dict[str, str]],
    new_units: list[dict[str, str]],
) -> dict[str, tuple[Placed, ...]]:
    """For every commune of old Hà Nam, Ninh Bình and Nam Định: where Article 1 puts it.

    Each old unit must be named by one clause (moved whole) or by several
    (split: "một phần … của" it in clause N, "phần còn lại của" it "theo quy
    định tại khoản N" in another); each name in a clause must be one old unit;
    each of the 129 new units must get a predecessor. Otherwise the build stops.

    A unit is named by its kind and name; where no unit of the kind the text
    gives bears the name, the one unit of the region that bears it under
    another kind and that no clause names otherwise (Xã Tiên Sơn, "phường
    Tiên Sơn" in clause 102) is taken, with a note.
    """
    region = [u for u in old_units if u["province_code"] in REGION]
    by_code = {u["commune_code"]: u for u in region}
    seen = _region_names(old_units)
    any_kind = Counter(same_name_key(split_prefix(u["commune"])[1]) for u in region)
    by_name: dict[str, list[tuple[int, int, Mention]]] = defaultdict(list)
    for c in clauses:
        for i, m in enumerate(c.mentions):
            by_name[same_name_key(m.name)].append((c.number, i, m))
    claims: dict[tuple[int, int], list[str]] = defaultdict(list)
    for u in region:
        kind, bare = split_prefix(u["commune"])
        repeated = seen[(kind, same_name_key(bare))] > 1
        for number, i, m in by_name[same_name_key(bare)]:
            if m.kind == kind and _names(u, m, repeated):
                claims[(number, i)].append(u["commune_code"])
    notes: dict[tuple[int, int], str] = {}
    named = {code for codes in claims.values() for code in codes}
    for c in clauses:
        for i, m in enumerate(c.mentions):
            if claims[(c.number, i)]:
                continue
            # The kind the text gives matches no unit: the same name under another kind,
            # if exactly one unit of the region bears it and no clause names that unit.
            other = [
                u["commune_code"]
                for u in region
                if u["commune_code"] not in named
                and _names(u, m, any_kind[same_name_key(split_prefix(u["commune"])[1])] > 1)
            ]
            if len(other) == 1:
                claims[(c.number, i)] = other
                named.add(other[0])
                notes[(c.number, i)] = (
                    f"named as {m.kind.lower()} {m.name} in cl. {c.number}, though the"
                    f" catalogue of 30/6/2025 has {by_code[other[0]]['commune']}; no clause"
                    f" names a {split_prefix(by_code[other[0]]['commune'])[0].lower()} {m.name},"
                    " and no other old unit of Hà Nam, Ninh Bình or Nam Định bears the name"
                )
    placed: dict[str, list[Placed]] = defaultdict(list)
    for c in clauses:
        new_code = _new_code(c, new_units)
        for i, m in enumerate(c.mentions):
            codes = claims[(c.number, i)]
            what = f"clause {c.number}: {m.kind.lower()} {m.name}" + (
                f" ({m.qualifier})" if m.qualifier else ""
            )
            if not codes:
                namesakes = [
                    _unit_label(u)
                    for u in region
                    if split_prefix(u["commune"])[0] == m.kind and _names(u, m, False)
                ]
                raise SystemExit(
                    f"{what}: the name of {len(namesakes)} old units, the clause does not say"
                    f" which district: {'; '.join(namesakes)}"
                    if namesakes
                    else f"{what} is no old unit of Hà Nam, Ninh Bình or Nam Định"
                )
            if len(codes) > 1:
                units = ", ".join(_unit_label(by_code[k]) for k in codes)
                raise SystemExit(f"{what} names {len(codes)} old units: {units}")
            placed[codes[0]].append(
                Placed(c.number, new_code, m.partial, m.rest_of, notes.get((c.number, i), ""))
            )
    formed = {p.new_code for shares in placed.values() for p in shares}
    empty = [
        f"{c.new_kind} {c.new_name} (cl. {c.number})"
        for c in clauses
        if _new_code(c, new_units) not in formed
    ]
    if empty:
        raise SystemExit(f"new units with no predecessor in the text: {', '.join(empty)}")
    unnamed = [_unit_label(u) for u in region if u["commune_code"] not in placed]
    if unnamed:
        raise SystemExit(
            f"no clause of 1674/NQ-UBTVQH15 Art. 1 names {len(unnamed)} old unit(s): "
            + "; ".join(unnamed)
        )
    for code, shares in placed.items():
        label = _unit_label(by_code[code])
        where = ", ".join(str(p.clause) for p in shares)
        if len(shares) == 1:
            if shares[0].partial:
                raise SystemExit(f"{label}: only part of it is placed (cl. {where})")
            continue
        if not all(p.partial for p in shares):
            raise SystemExit(f"{label}: named whole and again elsewhere (cl. {where})")
        parts = {p.clause for p in shares if not p.rest_of}
        rests = [p.rest_of for p in shares if p.rest_of]
        if len(parts) != 1 or rests != [*parts]:
            raise SystemExit(
                f"{label}: split between cl. {where}, but the parts and the remainder"
                " do not refer to each other"
            )
        if len({p.new_code for p in shares}) != len(shares):
            raise SystemExit(f"{label}: two shares in one new unit (cl. {where})")
    return {code: tuple(sorted(shares, key=lambda p: p.clause)) for code, shares in placed.items()}


# ---- the tables ------------------------------------------------------------------
UNIT_COLUMNS = [
    "uid",
    "code",
    "name",
    "level",
    "parent_uid",
    "valid_from",
    "valid_to",
    "verified",
    "source",
]
SPELLING_COLUMNS = ["uid", "spelling", "key", "prefixed", "kind"]
EVENT_COLUMNS = [
    "date",
    "kind",
    "old_uid",
    "new_uid",
    "n_new",
    "basis",
    "clause",
    "verified",
    "note",
]
LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}
LETTER = {"province": "P", "district": "D", "commune": "C"}


def require(condition: bool, what: str) -> None:
    """Stop the build when the reference data break an expectation the tables rely on."""
    if not condition:
        raise SystemExit(f"build_registry: expected {what}")


def uid(level: str, code: str, valid_from: str = "") -> str:
    """Level letter and code; units that start on a recorded date add it: "C13669@2025-07-01"."""
    return f"{LETTER[level]}{code}" + (f"@{valid_from}" if valid_from else "")


def build(ref: Path) -> tuple[list[dict], list[dict], list[dict], dict]:
    log = Cleanup()
    old = read_old_units(ref, log)
    new = read_csv(ref / "units-from-2025-07-01.csv")
    draft = read_csv(ref / "crosswalk-2025-draft.csv")
    clauses = article_1((ref / RESOLUTION_FILE).read_text(encoding="utf-8"))

    units: list[dict] = []

    def add(level, code, name, parent, valid_from, valid_to, verified, source):
        units.append(
            {
                "uid": uid(level, code, valid_from),
                "code": code,
                "name": name,
                "level": level,
                "parent_uid": parent,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "verified": verified,
                "source": source,
            }
        )

    src_old = "units-before-2025-07-01.csv"
    src_new = "units-from-2025-07-01.csv"

    # Before 1 July 2025: provinces, districts, communes of the catalogue of 30/6/2025.
    provinces = sorted({(r["province_code"], r["province"]) for r in old})
    districts = sorted({(r["district_code"], r["district"], r["province_code"]) for r in old})
    require(len({c for c, _ in provinces}) == len(provinces) == 63, "63 provinces, one name each")
    require(len({c for c, _, _ in districts}) == len(districts), "one name per district code")
    for code, name in provinces:
        add("province", code, name, "", "", LAST_OLD_DAY, False, src_old)
    for code, name, pcode in districts:
        add("district", code, name, uid("province", pcode), "", LAST_OLD_DAY, False, src_old)
    add(
        "district",
        MY_LOC["code"],
        MY_LOC["name"],
        uid("province", MY_LOC["province_code"]),
        "",
        MY_LOC["valid_to"],
        True,
        MY_LOC["source"],
    )

    placed = read_region(clauses, old, new)
    for r in old:
        code = r["commune_code"]
        verified = code in placed
        source = src_old
        if verified:
            where = ", ".join(str(p.clause) for p in placed[code])
            source += f"; named in {BASIS} Art. 1 cl. {where}"
        add(
            "commune",
            code,
            r["commune"],
            uid("district", r["district_code"]),
            "",
            LAST_OLD_DAY,
            verified,
            source,
        )

    # From 1 July 2025: 34 provinces, their communes; no districts.
    new_provinces = sorted({r["province"] for r in new})
    require(set(new_provinces) == set(PROVINCE_CODES_2025), "a code for each new province")
    for name in new_provinces:
        add(
            "province",
            PROVINCE_CODES_2025[name],
            name,
            "",
            REFORM_DAY,
            "",
            False,
            PROVINCE_CODE_SOURCE,
        )
    heads = {fold(f"{c.new_kind} {c.new_name}"): c.number for c in clauses}
    ninh_binh = [r for r in new if r["province"] == "Tỉnh Ninh Bình"]
    require(
        sorted(heads) == sorted(fold(r["commune"]) for r in ninh_binh),
        "Resolution 1674 names exactly the new units of Tỉnh Ninh Bình",
    )
    kinds = Counter(c.new_kind for c in clauses)
    require(kinds == {"Xã": 97, "Phường": 32}, "97 xã and 32 phường (clause 130)")
    for r in new:
        key = fold(r["commune"])
        verified = r["province"] == "Tỉnh Ninh Bình" and key in heads
        source = src_new + (
            f"; named in 1674/NQ-UBTVQH15 Art. 1 cl. {heads[key]}" if verified else ""
        )
        add(
            "commune",
            r["commune_code"],
            r["commune"],
            uid("province", PROVINCE_CODES_2025[r["province"]], REFORM_DAY),
            REFORM_DAY,
            "",
            verified,
            source,
        )

    # ---- events
    events: list[dict] = []
    new_code_name = {r["commune_code"]: r["commune"] for r in new}
    new_code_province = {r["commune_code"]: r["province"] for r in new}
    old_by_code = {r["commune_code"]: r for r in old}
    corrections: list[dict[str, str]] = []

    rows = []
    drafted: dict[str, list[dict[str, str]]] = defaultdict(list)
    for d in draft:
        code = d["old_commune_code"]
        if code in placed:
            drafted[code].append(d)
            continue
        note = []
        new_code = d["new_commune_code"]
        if new_code_province[new_code] != d["new_province"]:
            log_note = (
                f"draft new_province {d['new_province']!r} read as {new_code_province[new_code]!r}"
            )
            note.append(log_note)
        rows.append((code, new_code, int(d["n_new"]), d["resolution"], d["clause"], False, note))

    # Old Hà Nam, Nam Định, Ninh Bình: the events come from the text; the draft is
    # compared with it, and where they differ the text wins.
    def said(pairs: list[tuple[str, str]]) -> str:
        return " and ".join(f"{new_code_name[k]} ({k}), cl. {c or '—'}" for k, c in pairs) or "—"

    for code in sorted(placed, key=lambda c: (old_by_code[c]["province_code"], c)):
        shares = placed[code]
        u = old_by_code[code]
        draft_at = {d["new_commune_code"]: d["clause"] for d in drafted[code]}
        text_at = {p.new_code: str(p.clause) for p in shares}
        common = []
        if set(draft_at) != set(text_at):
            by_clause = sorted(draft_at.items(), key=lambda kc: (int(kc[1] or 0), kc[0]))
            text_said = said(list(text_at.items()))
            corrections.append(
                {
                    "old": f"{u['commune']} ({u['district']}, {code})",
                    "province": REGION_NAMES[u["province_code"]],
                    "draft": said(by_clause),
                    "text": text_said,
                }
            )
            common.append(
                f"corrected: the draft had {said(by_clause)}; the text puts it"
                f" {'whole' if len(shares) == 1 else 'in parts'} in {text_said}"
            )
        for p in shares:
            note = [p.note] if p.note else []
            if p.partial:
                note.append(
                    f"part of the unit (cl. {p.clause}: remainder after cl. {p.rest_of})"
                    if p.rest_of
                    else f"part of the unit (cl. {p.clause}: một phần)"
                )
            note += common
            if not common and draft_at[p.new_code] != str(p.clause):
                before = draft_at[p.new_code]
                note.append(
                    f"clause {'filled' if not before else f'corrected from {before}'} from the text"
                )
            rows.append((code, p.new_code, len(shares), BASIS, str(p.clause), True, note))

    # Old province → new province, from where most of its communes went.
    flows: dict[str, Counter] = defaultdict(Counter)
    for code, new_code, *_ in rows:
        flows[old_by_code[code]["province_code"]][new_code_province[new_code]] += 1
    province_successor = {p: c.most_common(1)[0][0] for p, c in flows.items()}
    pred_count = Counter(new_code for _, new_code, *_ in rows)
    for code, new_code, n_new, basis, clause, verified, note in rows:
        pcode = old_by_code[code]["province_code"]
        if new_code_province[new_code] != province_successor[pcode]:
            note.append(
                f"suspect: leaves its province's successor {province_successor[pcode]}"
                f" for {new_code_province[new_code]} (same-name unit elsewhere?); not checked"
            )
        if n_new > 1:
            kind = "merged_part"
        elif pred_count[new_code] == 1:
            kind = "kept" if old_by_code[code]["commune"] == new_code_name[new_code] else "renamed"
        else:
            kind = "merged_whole"
        events.append(
            {
                "date": REFORM_DAY,
                "kind": kind,
                "old_uid": uid("commune", code),
                "new_uid": uid("commune", new_code, REFORM_DAY),
                "n_new": n_new,
                "basis": basis,
                "clause": clause,
                "verified": verified,
                "note": "; ".join(note),
            }
        )

    merged_into = Counter(province_successor.values())
    for pcode, pname in provinces:
        target = province_successor[pcode]
        ok = pcode in PROVINCE_EVENTS_VERIFIED
        if merged_into[target] > 1:
            kind = "merged_whole"
        else:
            kind = "kept" if pname == target else "renamed"
        events.append(
            {
                "date": REFORM_DAY,
                "kind": kind,
                "old_uid": uid("province", pcode),
                "new_uid": uid("province", PROVINCE_CODES_2025[target], REFORM_DAY),
                "n_new": 1,
                "basis": "202/2025/QH15",
                "clause": "",
                "verified": ok,
                "note": (
                    "stated in the reference README (Hà Nam, Ninh Bình, Nam Định → Tỉnh Ninh Bình)"
                    if ok
                    else "derived from the draft crosswalk (where its communes went)"
                ),
            }
        )
    for code, _name, _ in districts:
        events.append(
            {
                "date": REFORM_DAY,
                "kind": "abolished",
                "old_uid": uid("district", code),
                "new_uid": "",
                "n_new": 0,
                "basis": "",
                "clause": "",
                "verified": False,
                "note": "district level abolished; its communes' events say where they went",
            }
        )
    events.append(
        {
            "date": MY_LOC["date"],
            "kind": "merged_whole",
            "old_uid": uid("district", MY_LOC["code"]),
            "new_uid": uid("district", MY_LOC["into_code"]),
            "n_new": 1,
            "basis": MY_LOC["basis"],
            "clause": "",
            "verified": True,
            "note": "Huyện Mỹ Lộc merged whole into Thành phố Nam Định (reference README)",
        }
    )

    spellings = build_spellings(units)
    units.sort(key=lambda u: (LEVEL_ORDER[u["level"]], u["code"], u["valid_from"]))
    events.sort(key=lambda e: (e["date"], e["old_uid"], e["new_uid"], e["kind"]))
    facts = {
        "corrections": corrections,
        "cleanup": log.notes,
        "clauses": len(clauses),
        "region": region_facts(placed, old_by_code, new_code_name, clauses),
    }
    return units, spellings, events, facts


def region_facts(
    placed: dict[str, tuple[Placed, ...]],
    old_by_code: dict[str, dict[str, str]],
    new_code_name: dict[str, str],
    clauses: list[Clause],
) -> dict:
    """What the README says of the three old provinces, checked against the reference README."""
    per: dict[str, dict] = {}
    provinces_of: dict[str, set[str]] = defaultdict(set)
    districts_of: dict[str, set[str]] = defaultdict(set)
    for code, shares in placed.items():
        u = old_by_code[code]
        p = per.setdefault(u["province_code"], {"old": 0, "events": 0, "new": set(), "split": 0})
        p["old"] += 1
        p["events"] += len(shares)
        p["split"] += len(shares) > 1
        for s in shares:
            p["new"].add(s.new_code)
            provinces_of[s.new_code].add(u["province_code"])
            if u["province_code"] == "36":
                districts_of[new_code_name[s.new_code]].add(u["district"])
    nd = per["36"]
    require(nd["old"] == 175 and nd["split"] == 0, "175 Nam Định units, none split")
    require(len(nd["new"]) == 57, "Nam Định's units to form 57 new units")
    city = "Thành phố Nam Định"
    two = {k: v for k, v in districts_of.items() if len(v) > 1}
    require(
        two
        == {
            "Phường Thành Nam": {city, "Huyện Vụ Bản"},
            "Phường Trường Thi": {city, "Huyện Vụ Bản"},
            "Phường Vị Khê": {city, "Huyện Nam Trực"},
            "Phường Hồng Quang": {city, "Huyện Nam Trực"},
        },
        f"four new wards drawing on two old districts of Nam Định, got {two}",
    )
    label = {c: f"{old_by_code[c]['commune']} ({old_by_code[c]['district']}, {c})" for c in placed}
    return {
        "per_province": {k: {**v, "new": len(v["new"])} for k, v in sorted(per.items())},
        "new": len(provinces_of),
        "across_provinces": sorted(new_code_name[k] for k, v in provinces_of.items() if len(v) > 1),
        "splits": [
            (
                label[c],
                "; ".join(
                    f"cl. {s.clause} {'remainder' if s.rest_of else 'part'}"
                    f" → {new_code_name[s.new_code]}"
                    for s in placed[c]
                ),
            )
            for c in sorted(placed)
            if len(placed[c]) > 1
        ],
        "kind_notes": [(c, label[c], s.note) for c in sorted(placed) for s in placed[c] if s.note],
        "areas": [(c.number, a) for c in clauses for a in c.areas],
        "events": sum(v["events"] for v in per.values()),
        "old": sum(v["old"] for v in per.values()),
    }


def build_spellings(units: list[dict]) -> list[dict]:
    """Every spelling of every unit: its name, bare name, abbreviations, tone variants, aliases."""
    out: dict[tuple[str, str], dict] = {}

    def add(u: dict, text: str, prefixed: bool, kind: str) -> None:
        key = fold(text)
        if not key or (u["uid"], text) in out:
            return
        out[(u["uid"], text)] = {
            "uid": u["uid"],
            "spelling": text,
            "key": key,
            "prefixed": prefixed,
            "kind": kind,
        }

    for u in units:
        prefix, bare = split_prefix(u["name"])
        add(u, u["name"], True, "name")
        for alt in tone_variants(u["name"]):
            add(u, alt, True, "tone_variant")
        numeric = bare.isdigit()
        # A bare "1" or "IV" is a row number (STT: I, II, III … over groups), not "Phường
        # 1" or "Phường IV" (Vị Thanh's wards are named by Roman numerals).
        if numeric:
            add(u, f"{prefix} {int(bare):02d}", True, "numeric")
        elif not _ROMAN.fullmatch(bare):
            add(u, bare, False, "bare")
            for alt in tone_variants(bare):
                add(u, alt, False, "tone_variant")
        for abbr in ABBREVIATIONS.get(prefix, ()):
            add(u, f"{abbr} {bare}", True, "abbreviation")
            for alt in tone_variants(bare):
                add(u, f"{abbr} {alt}", True, "tone_variant")
            if numeric:
                letters = abbr.rstrip(".")
                add(u, f"{letters}{bare}", True, "numeric")
                add(u, f"{abbr}{int(bare):02d}", True, "numeric")
        if u["level"] == "province" and prefix == "Thành phố":
            for abbr in ABBREVIATIONS["Thành phố"]:
                add(u, f"{abbr} {bare}", True, "abbreviation")
        for alias in EXTRA_ALIASES.get(u["uid"], ()):
            has_prefix = bool(_PREFIX_RE.match(alias)) or fold(alias).startswith("tp")
            add(u, alias, has_prefix, "alias")
    return sorted(out.values(), key=lambda s: (s["uid"], s["kind"], s["spelling"]))


# ---- writing -------------------------------------------------------------------
def csv_bytes(rows: list[dict], columns: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    w.writerows([r[c] for c in columns] for r in rows)
    return buf.getvalue().encode("utf-8")


def gz(data: bytes) -> bytes:
    # mtime=0 and no file name: the same input gives the same bytes.
    return gzip.compress(data, compresslevel=6, mtime=0)


README_TEMPLATE = """\
# The area registry

Generated by `scripts/build_registry.py` from the reference folder; do not edit by
hand (re-run the script). `antq.registry` loads these tables.

## Tables

| file | rows | bytes | one row is |
|---|---|---|---|
| `units.csv.gz` | {n_units} | {b_units} | an administrative unit during one period |
| `spellings.csv.gz` | {n_spellings} | {b_spellings} | a spelling of a unit, with its folded key |
| `events.csv.gz` | {n_events} | {b_events} | a change of the map: an old unit into a new one |

**units**: `uid` (level letter and official code, plus `@valid_from` for units that
start on a recorded date: `P37` is old Tỉnh Ninh Bình, `P37@2025-07-01` the new one;
`C13669` old Phường Cửa Bắc, `C13669@2025-07-01` Phường Nam Định), `code` (official
code as text: provinces 2 digits, districts 3, communes 5), `name` (with its prefix),
`level` (province, district, commune), `parent_uid` (empty for provinces; a commune's
district before 1/7/2025, its province from then), `valid_from` / `valid_to` (ISO
dates, both inclusive; an empty `valid_from` means in force before the records held
here, start not recorded; an empty `valid_to` means still in force), `verified`,
`source`.

- before 1/7/2025: {old_provinces} provinces, {old_districts} district-level units (Huyện Mỹ Lộc,
  until 2024-08-31, included), {old_communes} commune-level units;
- from 1/7/2025: {new_provinces} provinces, {new_communes} commune-level units, no districts.

**spellings**: `uid`, `spelling` (as it may be written), `key` (`antq._text.fold` of
it: what matching compares), `prefixed` (the spelling carries the unit's prefix, full or
abbreviated), `kind`: `name`, `bare` (no prefix: "Hồng Quang"), `abbreviation`
("TP. Nam Định", "H. Hải Hậu", "TX. …", "Q. 1", "P. 1", "TT. Gôi"), `numeric`
("Phường 01", "P1", "Q1"), `tone_variant` ("Hòa"/"Hoà", "Thủy"/"Thuỷ"), `alias`
("TP.HCM", "Thừa Thiên Huế"). A bare number ("1", or "IV" in Roman numerals) is never
a spelling: sheets number their rows.

**events**: `date` (the first day of the new map), `kind`, `old_uid`, `new_uid`,
`n_new` (how many new units the old one was split between), `basis` (the resolution),
`clause` (of its Article 1, as cited), `verified`, `note`. Kinds:

- `merged_whole` ({k_merged_whole}): the old unit lies entirely inside one new unit that
  also takes others;
- `merged_part` ({k_merged_part}): the old unit was split between several new ones (a row
  each);
- `renamed` ({k_renamed}): the new unit is exactly the old one under another name or kind;
- `kept` ({k_kept}): the new unit is exactly the old one, same name (a new record, new
  period);
- `abolished` ({k_abolished}): the district level ended on 1/7/2025; no new unit.

## Sources

- `units-before-2025-07-01.csv`, `units-from-2025-07-01.csv`, `crosswalk-2025-draft.csv`,
  `nq-1674-NQ-UBTVQH15-ninh-binh-2025.md` of the project's reference folder, compiled by
  dvhcvn/20250701 (MIT, see `LICENSE-dvhcvn-20250701.txt`) from the national catalogue
  of administrative units and the published resolutions.
- Province codes from 1/7/2025 (not in those files): Công văn 915/CTK-CSCL of the
  Statistics Office (16/6/2025), the list issued with Quyết định 19/2025/QĐ-TTg, as
  transcribed by dvhcvn/20250701 (`input/docs/915_CTK-CSCL.csv`); an independent list
  published as "theo Quyết định 19/2025/QĐ-TTg" agrees. Not checked against the
  decision itself: the 34 new provinces are `verified = False`.
- Huyện Mỹ Lộc (358) and its merger into Thành phố Nam Định (356) on 1/9/2024:
  Resolution 1104/NQ-UBTVQH15 (23/7/2024), as summarised in the reference README.
- `sources/nq-1674-NQ-UBTVQH15.md`: the text of Resolution 1674/NQ-UBTVQH15
  (16/6/2025), copied unchanged, so that tests can check the events against it.

## What is verified

`verified = True` only where a text held here was checked:

- the {r_old} commune-level units of old Hà Nam ({hn_old}), Nam Định ({nd_old}) and Ninh
  Bình ({nb_old}) and their {r_events} events into the 129 new units of Tỉnh Ninh Bình.
  These events come from the text, not from the draft: Article 1 of Resolution
  1674/NQ-UBTVQH15 is read clause by clause; each clause lists the old units it moves,
  whole ("toàn bộ diện tích tự nhiên, quy mô dân số của …") or in part ("một phần diện
  tích tự nhiên, quy mô dân số của …", "phần còn lại của … sau khi sắp xếp theo quy định
  tại khoản N Điều này"), and names the new unit last. An old unit is named by its kind
  and name; a name repeated among the old units of the three provinces only where the
  clause adds the unit's district ("xã Hồng Quang (huyện Ý Yên)"). The build stops if an
  old unit is named by no clause, a name in a clause is no old unit or several, a unit is
  named whole twice or split without the remainder clause pointing back at its part, or
  one of the 129 new units gets no predecessor. Every event's clause names both its old
  and its new unit.
  - Nam Định: {nd_old} units → {nd_new} new units, every one merged whole; four new wards
    draw on two old districts (Thành Nam, Trường Thi: Thành phố Nam Định + Vụ Bản; Vị
    Khê, Hồng Quang: Thành phố Nam Định + Nam Trực).
  - Hà Nam: {hn_old} units → {hn_new} new units ({hn_events} events; {hn_split} units split).
  - Ninh Bình: {nb_old} units → {nb_new} new units ({nb_events} events; {nb_split} unit split).
  - New units drawing on two old provinces: {across}.
  - Units split between two new units (`merged_part`, one event each; the text gives
    no shares, so the events say where each part went, not how much):
{splits}
- all 129 new commune-level units of Tỉnh Ninh Bình (each is named at the end of its
  clause; 97 xã and 32 phường, as clause 130 states);
- Huyện Mỹ Lộc and its merger (Resolution 1104/NQ-UBTVQH15, per the reference README);
- the province events of Hà Nam, Ninh Bình and Nam Định into Tỉnh Ninh Bình
  (Resolution 202/2025/QH15, per the reference README).

Everything else ({n_unverified} of {n_events} events) is as the draft or the catalogue
says, unverified: other provinces' crosswalk rows (the draft is known to contain
errors), province events derived from where most communes went, district abolitions.
Codes are never in the resolutions; they come from the catalogue.

## Corrections to the draft crosswalk (old Hà Nam, Nam Định, Ninh Bình)

Where the draft's new units for an old unit differ from the text's, the text wins; the
event `note` says what the draft had.

{corrections}

Clauses missing or different in the draft and filled from the text: {n_filled} rows
(the event `note` says which).

## Where the text is unclear, and how the build reads it

{kind_notes}
- Clause 102 moves "một phần … của phường Tiên Nội, xã Tiên Ngoại": read as a part of
  each, since clause 109 takes "phần còn lại của phường Tiên Nội, xã Tiên Ngoại sau khi
  sắp xếp theo quy định tại khoản 102"; the draft reads it so too.
{areas}
- "xã Yên Phong và xã Hồng Quang (huyện Ý Yên)" (cl. 27; likewise cl. 29, 87, 105): the
  district after a pair joined by "và" qualifies both names; each of these names is
  borne by two old units, and only so does each clause name one unit.
- A name is matched with its tone mark on either vowel of a final "oa", "oe", "uy"
  ("Thuỵ Lôi" in cl. 107 is Xã Thụy Lôi, "Đồng Hoá" in cl. 103 Phường Đồng Hóa), but
  "Đồng Sơn" (Nam Trực, cl. 20) and "Đông Sơn" (Tam Điệp, cl. 128) are two names.

## Cleaning of the reference rows

- Names in Unicode NFC, runs of spaces made one, trimmed; the prefix in its usual case
  ("Thị Xã" → "Thị xã", "Thành Phố" → "Thành phố", "xã" → "Xã").
{cleanup}
- The draft's `new_province` is not used: the new unit's province comes from
  `units-from-2025-07-01.csv` (the draft misspells one row "Tỉnh Phú Thú").
- Events whose new unit lies outside the province that received most of the old
  province's communes carry a `suspect:` note; they are kept as the draft has them.

## Known gaps

- The five commune-level special zones missing from `units-from-2025-07-01.csv` (3.316
  rows against the official 3.321), and the island districts without communes before
  1/7/2025, are not in the registry.
- Commune-level units that ended before 30/6/2025 (Nam Định's 226 → 175 of 1/9/2024,
  its 229 → 226 of early 2020) are not in the registry; the units in force on
  30/6/2025 carry an empty `valid_from` and their parent of that day (the former
  communes of Huyện Mỹ Lộc stand under Thành phố Nam Định).
- Provinces and communes that continued unchanged through 1/7/2025 get a new record
  (new uid) from that day, linked by a `kept` or `merged_whole` event.

## Licence

The reference data of dvhcvn/20250701 are under the MIT licence; its text is in
`LICENSE-dvhcvn-20250701.txt`. Resolutions are official texts.
"""


# What else is known of a unit the text names under another kind (not held here).
KIND_REMARKS = {
    "13369": (
        " Hà Nam's plan of April 2025, as the press reported it (Dân trí, 18/4/2025), also"
        ' speaks of "xã Tiên Sơn" (and of parts of Tiên Nội and Tiên Ngoại).'
    ),
}


def readme(units, spellings, events, facts, sizes) -> str:
    n = Counter((u["level"], "old" if u["valid_to"] else "new") for u in units)
    kinds = Counter(e["kind"] for e in events)
    corr = facts["corrections"]
    table = [
        "| old unit | old province | draft said | Resolution 1674 says |",
        "|---|---|---|---|",
    ]
    table += [f"| {c['old']} | {c['province']} | {c['draft']} | {c['text']} |" for c in corr]
    region = facts["region"]
    per = {REGION_NAMES[k]: v for k, v in region["per_province"].items()}
    hn, nd, nb = per["Tỉnh Hà Nam"], per["Tỉnh Nam Định"], per["Tỉnh Ninh Bình"]
    return README_TEMPLATE.format(
        n_units=len(units),
        n_spellings=len(spellings),
        n_events=len(events),
        b_units=sizes["units.csv.gz"],
        b_spellings=sizes["spellings.csv.gz"],
        b_events=sizes["events.csv.gz"],
        old_provinces=n[("province", "old")],
        old_districts=n[("district", "old")],
        old_communes=n[("commune", "old")],
        new_provinces=n[("province", "new")],
        new_communes=n[("commune", "new")],
        **{f"k_{k}": kinds[k] for k in ("merged_whole", "merged_part", "renamed", "kept")},
        k_abolished=kinds["abolished"],
        r_old=region["old"],
        r_events=region["events"],
        **{
            f"{short}_{k}": v[k]
            for short, v in (("hn", hn), ("nd", nd), ("nb", nb))
            for k in ("old", "new", "events", "split")
        },
        across=", ".join(region["across_provinces"]) or "none",
        splits="\n".join(f"    - {unit}: {where}" for unit, where in region["splits"]),
        n_unverified=sum(not e["verified"] for e in events),
        corrections="\n".join(table) if corr else "None.",
        n_filled=sum("from the text" in e["note"] for e in events),
        kind_notes="\n".join(
            f"- {unit}: {note}. The build reads the clause as naming it (verified, with"
            f" this note).{KIND_REMARKS.get(code, '')}"
            for code, unit, note in region["kind_notes"]
        ),
        areas="\n".join(
            f'- Clause {number} also moves "{area}": no commune-level unit, so no event.'
            for number, area in region["areas"]
        ),
        cleanup="\n".join(f"- {note}" for note in facts["cleanup"]),
    )


def main(reference: Path = DEFAULT_REFERENCE, out: Path = DEFAULT_OUT) -> dict[str, int]:
    """Build the registry from ``reference`` into ``out``; return the byte size of each file."""
    units, spellings, events, facts = build(reference)
    out.mkdir(parents=True, exist_ok=True)
    (out / "sources").mkdir(exist_ok=True)
    files = {
        "units.csv.gz": gz(csv_bytes(units, UNIT_COLUMNS)),
        "spellings.csv.gz": gz(csv_bytes(spellings, SPELLING_COLUMNS)),
        "events.csv.gz": gz(csv_bytes(events, EVENT_COLUMNS)),
    }
    for name, data in files.items():
        (out / name).write_bytes(data)
    sizes = {name: len(data) for name, data in files.items()}
    (out / "README.md").write_text(readme(units, spellings, events, facts, sizes), encoding="utf-8")
    shutil.copyfile(reference / LICENSE_FILE, out / LICENSE_FILE)
    shutil.copyfile(reference / RESOLUTION_FILE, out / RESOLUTION_COPY)
    print(
        f"wrote {len(units)} units, {len(spellings)} spellings, {len(events)} events to {out};"
        f" {len(facts['corrections'])} corrections"
    )
    return sizes


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", nargs="?", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    main(args.reference, args.out)
