"""Where an agency is (issue 19's way in by region and its downloads by province): read from
its name against the pinned national gazetteer, and never guessed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT
from gxsite.site.regions import gazetteer

GOLDEN = Path(__file__).parent / "golden" / "records"


@pytest.fixture(scope="module")
def places():
    return gazetteer(ROOT)


def test_every_real_report_is_placed_where_it_is_or_left_unplaced(places):
    """The agencies of the 15 real reports (seeds and ../shared/corpus/)."""
    names = {json.loads(path.read_text(encoding="utf-8"))["agency"]["name"] for path in GOLDEN.glob("*.json")}
    where = {name: places.region_of(name).names for name in names}
    assert where == {
        "咸宁市政府国资委": "湖北省 咸宁市",
        "五原县和胜乡": "内蒙古自治区 巴彦淖尔市 五原县",
        "江西省人民政府办公厅": "江西省",
        "淮安市人民政府": "江苏省 淮安市",
        "平潭综合实验区": "福建省 福州市 平潭县",
        "上海市人民政府办公厅": "上海市",
        # no place in the name, a misspelt place (沭阳 printed as 沐阳), no name at all
        "市国资委": "", "沐阳县人民政府": "", None: "",
    }


@pytest.mark.parametrize("name, region", [
    ("鼓楼区财政局", ""),  # four 鼓楼区: the name does not say which
    ("南京市鼓楼区财政局", "江苏省 南京市 鼓楼区"),
    ("北京市朝阳区人民政府", "北京市 朝阳区"),  # a municipality's district, no city between
    ("吉林市人民政府", "吉林省 吉林市"),  # the city, not the province of the same name
    ("仙桃市教育局", "湖北省 仙桃市"),  # a city directly under its province
    ("中共通山县委", "湖北省 咸宁市 通山县"),
    ("国家税务总局咸宁市税务局", "湖北省 咸宁市"),
    ("国家统计局", ""), ("教育部", ""),
])
def test_a_name_gives_its_place_only_when_it_names_one(places, name, region):
    assert places.region_of(name).names == region


def test_region_addresses_are_unique_readable_and_fixed(places):
    paths = {}
    for place in places.places.values():
        path = "/".join(p.slug for p in place.chain())
        assert path not in paths, (place.name, paths.get(path))
        paths[path] = place.name
    assert places.region_of("湖北省咸宁市通山县财政局").path() == "hubei/xianning/tongshan"
    # 山西 and 陕西 are both shanxi in pinyin: each keeps its code
    assert {places.region_of(n).path() for n in ("山西省教育厅", "陕西省教育厅")} == {"shanxi-140000", "shanxi-610000"}
    assert places.region_of("市国资委").path() == "qita"
