"""Resolving Table 2's free-text places (实施地点) to counties. Plain functions, no ORM.

Places name one county (`交城县`, `孝义市梧桐镇郑家营村西南`, `兴县：交楼申乡…`), several
(`方山县、交口县、中阳县`), all of them (`13个县（区、市）`), the city (`吕梁市自然保护地`) or
things that are not counties at all (rivers, `其他自然保护地等`). What cannot be read with
certainty is reported (scope partial/unresolved with the unread parts), never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COUNTIES = "counties"
CITY = "city"
PARTIAL = "partial"
UNRESOLVED = "unresolved"

ALL_COUNTIES_PHRASES = ("13个县（区、市）", "13个县（市、区）", "13个县(区、市)", "13个县(市、区)")
CITY_NAMES = ("吕梁市", "吕梁")
PROVINCE_PREFIXES = ("山西省", "山西")
_SEPARATORS = re.compile(r"[、，,；;\n]+")


@dataclass(frozen=True)
class CountyName:
    code: str
    name: str
    short_name: str


@dataclass(frozen=True)
class Resolution:
    scope: str
    codes: tuple[str, ...]
    unmatched: tuple[str, ...] = ()
    note: str = ""


def _match(segment: str, counties: list[CountyName]) -> tuple[CountyName, str, bool] | None:
    """The county a segment starts with, the rest of the segment, and whether the full name
    (not the short one) matched. Longest names first so that 兴县 is not read as a short form."""
    candidates = []
    for county in counties:
        for label, full in ((county.name, True), (county.short_name, False)):
            if segment.startswith(label):
                candidates.append((len(label), full, county, segment[len(label) :]))
    if not candidates:
        return None
    _, full, county, rest = max(candidates, key=lambda c: (c[0], c[1]))
    return county, rest, full


def resolve_place(text: str, counties: list[CountyName]) -> Resolution:
    place = text.strip()
    if not place:
        return Resolution(UNRESOLVED, (), (), "实施地点为空")
    if any(phrase in place for phrase in ALL_COUNTIES_PHRASES):
        return Resolution(
            COUNTIES, tuple(c.code for c in counties), (), "13个县（区、市）：全部县区共同实施"
        )

    # `交城县：水峪贯镇…` — the text before the colon names the county; what follows (forest
    # farms, parks, villages) may name other counties' landmarks and must not be read.
    head, colon, _ = place.partition("：")
    if colon:
        matched = _match(head.strip(), counties)
        if matched and not matched[1]:
            return Resolution(COUNTIES, (matched[0].code,), (), f"冒号前的“{head}”为实施县")

    codes: list[str] = []
    unmatched: list[str] = []
    city_parts: list[str] = []
    context: CountyName | None = None
    notes: list[str] = []
    for raw in _SEPARATORS.split(place):
        segment = raw.strip()
        for prefix in PROVINCE_PREFIXES:
            if segment.startswith(prefix) and not segment.startswith("山西省吕梁"):
                segment = segment[len(prefix) :]
                break
        if not segment:
            continue
        if segment.startswith(CITY_NAMES):
            city_parts.append(segment)
            context = None
            continue
        matched = _match(segment, counties)
        if matched:
            county, rest, full = matched
            if context and not rest and not full and county.code != context.code:
                # `文水县南安、下曲，孝义、南庄`: after a county followed by its towns, a bare
                # short name is one more town of that county (文水县孝义镇), not 孝义市.
                notes.append(f"“{segment}”按{context.name}下辖地名处理")
                continue
            if county.code not in codes:
                codes.append(county.code)
            context = county if rest else None
            continue
        if context:
            continue  # a town or facility of the county named just before
        unmatched.append(segment)

    if city_parts and not codes and not unmatched:
        return Resolution(CITY, (), (), f"全市性地点：{'、'.join(city_parts)}")
    if codes and not city_parts and not unmatched:
        return Resolution(COUNTIES, tuple(codes), (), "；".join(notes))
    if codes:
        parts = [f"无法识别：{'、'.join(unmatched)}"] if unmatched else []
        if city_parts:
            parts.append(f"含全市性地点：{'、'.join(city_parts)}")
        return Resolution(PARTIAL, tuple(codes), tuple(unmatched + city_parts), "；".join(parts))
    return Resolution(
        UNRESOLVED,
        (),
        tuple(unmatched + city_parts),
        f"无法识别：{'、'.join(unmatched + city_parts)}",
    )
