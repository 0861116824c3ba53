"""`make assess FIRM=…`: the firm id is checked before any kernel starts, and one firm's card
(helpers.screening.cards) says tier by tier what it meets, what it misses and what would qualify
it, in both languages. Expected sentences by hand."""

from __future__ import annotations

import pytest

from helpers.paths import SAMPLE_DIR
from helpers.screening import cards
from helpers.screening.examples import FIRM_B
from helpers.workflow import cards as card_step


def test_an_unknown_firm_id_stops_with_the_closest_ids():
    with pytest.raises(card_step.UnknownFirm) as error:
        card_step.check_firm("SYN-0001", SAMPLE_DIR, "2023-07-31")
    message = str(error.value)
    assert message.startswith(
        "assess: FIRM 'SYN-0001' is not a firm_id of data/sample; close ids: "
    )
    assert "SYN-00001" in message
    card_step.check_firm("SYN-00001", SAMPLE_DIR, "2023-07-31")  # a known id passes


@pytest.mark.parametrize(
    ("firm_id", "stem"),
    [("SYN-00001", "SYN-00001"), ("91320500MA1XXXXX0Q", "91320500MA1XXXXX0Q")],
)
def test_a_safe_firm_id_is_its_own_file_name(firm_id, stem):
    assert card_step.file_stem(firm_id) == stem


def test_an_unsafe_firm_id_gets_an_ascii_name_with_a_hash():
    stem = card_step.file_stem("../甲 公司")
    assert stem.startswith("firm-") and len(stem) == len("firm-") + 8
    assert card_step.file_stem("a/b") != card_step.file_stem("a b")


def test_firm_b_card_says_what_would_qualify_it():
    zh = cards.next_steps(cards.make_card(FIRM_B, "zh"))
    assert zh == [
        "创新型中小企业：已满足。",
        "专精特新中小企业：须补充数据：上年度研发费用总额和营业收入（或1000万元以下且股权融资达标）。",
        "专精特新“小巨人”企业：须补充数据：主导产品全国细分市场占有率和享有较高知名度和影响力。",
    ]
    en = cards.next_steps(cards.make_card(FIRM_B, "en"))
    assert en[0] == "Innovative SMEs: met."


def test_one_condition_short_names_it_with_the_gap():
    firm = FIRM_B | {"revenue": 19000, "rd_expense": 0.021 * 19000, "rd_share": 0.021}
    card = cards.make_card(firm, "zh")
    # what would have to change, from what to what (issue 21)
    assert cards.next_steps(card)[1] == (
        "专精特新中小企业：上年度研发费用占营业收入比例须由2.1%提高到3%。"
    )
    table = cards.conditions_table(card, "专精特新中小企业").set_index("screen_criterion")
    assert table.loc[
        "ZJ.2.b", ["screen_requirement", "screen_value", "screen_outcome"]
    ].tolist() == [
        "不低于3%",
        "2.1%",
        "不满足",
    ]


def test_the_points_table_gives_ranges_for_unknown_indicators():
    table = cards.points_table(cards.make_card(FIRM_B, "en"), "专精特新中小企业")
    digital = table[table["screen_indicator"] == "Digitalisation level"].iloc[0]
    assert digital["screen_points"] == "between 0 points and 5 points"
    assert digital["screen_dimension"] == "Refinement"  # a table cell starts with a capital
