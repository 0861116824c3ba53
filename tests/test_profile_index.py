"""The profile index's tile map reads in the edition's language, also for provinces without a
page of their own (an edition built with REGIONS=beijing still shows all 31 tiles)."""

import re

from helpers.report.profile_index import tile_map

CJK = re.compile(r"[\u3400-\u9fff]")


def test_tiles_without_a_page_are_named_in_english_in_the_english_edition():
    english = tile_map([], "en")
    assert not CJK.search(english)
    assert ">Beijing<" in english and ">Xinjiang<" in english
    assert len(re.findall(r"grid-row:", english)) == 31


def test_tiles_without_a_page_use_the_short_chinese_name():
    chinese = tile_map([], "zh")
    assert ">北京<" in chinese and ">内蒙古<" in chinese
