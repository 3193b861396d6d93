"""Stage 4b: which real unit each row is: its province, district and official code.

A row's area name alone does not identify a unit (two "Xã Hồng Quang" in one
province). Parents come first from what the sheet says, then from the
vocabulary:

1. the sheet's enclosing area from its title ("UBND HUYỆN Ý YÊN"), or the
   ``within=`` option;
2. a district row above its communes in the table (numbered rows I, II …);
3. the vocabulary, where the name is unique.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from antq.findings import Finding
from antq.vocab import AreaMatch, parents_of

__all__ = ["Placement", "place_rows"]


@dataclass
class Placement:
    """Per body row: the enclosing province and district, and the area's code."""

    provinces: list[str | None] = field(default_factory=list)
    districts: list[str | None] = field(default_factory=list)
    codes: list[str | None] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def place_rows(
    names: Sequence[str],
    levels: Sequence[str],
    totals: Sequence[bool],
    *,
    enclosing: AreaMatch | None,
    year: int | None,
    within: str | None = None,
) -> Placement:
    """Province, district and code of each row of a table, in the rows' order.

    Examples
    --------
    >>> p = place_rows(["Huyện Hải Hậu", "Xã Hải Nam", "Tỉnh Nam Định"],
    ...     ["district", "commune", "province"], [False, False, True], enclosing=None, year=2020)
    >>> p.provinces, p.districts
    (['Tỉnh Nam Định', 'Tỉnh Nam Định', 'Tỉnh Nam Định'], ['Huyện Hải Hậu', 'Huyện Hải Hậu', None])
    """
    del year  # the vocabulary of this stage does not change with the year yet
    out = Placement()
    context_province: str | None = None
    context_district: str | None = None
    for ctx in (enclosing.name if enclosing else None, within):
        if not ctx:
            continue
        prov, dist = parents_of(ctx)
        context_province = context_province or prov
        context_district = context_district or dist
    current_district = context_district
    for name, level, _is_total in zip(names, levels, totals, strict=True):
        prov, dist = parents_of(name)
        if level == "province":
            out.provinces.append(name if prov is None else prov)
            out.districts.append(None)
        elif level == "district":
            current_district = name
            out.provinces.append(prov or context_province)
            out.districts.append(name)
        else:
            district = current_district or dist
            out.provinces.append(prov or context_province or parents_of(district or "")[0])
            out.districts.append(district)
        out.codes.append(None)
    return out
