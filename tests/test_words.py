"""Words chosen by the data: comparisons, qualifiers, lists, numerals, dates, slugs."""

import pytest

from helpers.report import words


@pytest.mark.parametrize(
    ("share", "zh", "en"),
    [
        (0.873, "近九成", "nearly nine in ten"),  # 十大重点产业领域 10648/12192
        (0.069, "不足一成", "less than one in ten"),  # A股上市 843/12192
        (0.52, "超过五成", "over five in ten"),
        (0.801, "约八成", "about eight in ten"),
        (0.5, "约五成", "about five in ten"),
        (0.96, "超过九成", "over nine in ten"),
        (0.0999, "约一成", "about one in ten"),
        (0.0949, "不足一成", "less than one in ten"),
        (0.498, "约五成", "about five in ten"),
    ],
)
def test_tenths_qualifier_follows_the_value(share, zh, en):
    assert words.tenths(share, "zh") == zh
    assert words.tenths(share, "en") == en


def test_tenths_refuses_a_value_that_is_not_a_share():
    with pytest.raises(ValueError, match="between 0 and 1"):
        words.tenths(1.2)


@pytest.mark.parametrize(
    ("a", "b", "zh", "en"),
    [
        (0.156, 0.10, "高于", "higher than"),
        (0.05, 0.10, "低于", "lower than"),
        (0.1, 0.1, "等于", "equal to"),
    ],
)
def test_compare_names_the_sign_of_the_gap(a, b, zh, en):
    assert words.compare(a, b, "zh") == zh
    assert words.compare(a, b, "en") == en


def test_relation_is_on_par_within_ten_percent():
    assert words.relation_kind(115 / 115) == "on_par"
    assert words.relation_kind(1.09) == "on_par"
    assert words.relation_kind(1.2) == "higher"
    assert words.relation_kind(0.29) == "lower"


def test_direction_and_decreasing():
    assert words.direction(1617, 2404, "zh") == "增至"
    assert words.direction(2404, 1617, "en") == "fell to"
    assert words.direction(5, 5, "zh") == "保持为"
    assert words.decreasing([183, 152, 122, 111, 100])
    assert not words.decreasing([183, 152, 160])


def test_lists_use_the_editions_punctuation():
    assert (
        words.join(["新材料", "新一代信息技术", "高端机械装备"], "zh")
        == "新材料、新一代信息技术和高端机械装备"
    )
    assert words.join(["A", "B", "C"], "en") == "A, B and C"
    assert words.join(["A"], "en") == "A"


def test_numerals_and_dates():
    assert words.numeral(5, "zh") == "五" and words.numeral(6, "zh") == "六"
    assert words.numeral(6, "en") == "six"
    assert words.numeral(12, "en") == "12"
    assert words.format_date("2023-07-31", "zh") == "2023年7月31日"
    assert words.format_date("2023-07-31", "en") == "31 July 2023"


@pytest.mark.parametrize(
    ("english", "slug"),
    [
        ("STAR Market", "star_market"),
        ("≥100", "ge_100"),
        ("1–9", "1_9"),
        ("Batch 4", "batch_4"),
        (">10 markets", "gt_10_markets"),
    ],
)
def test_slugs_are_ascii_ids(english, slug):
    assert words.slug(english) == slug


def test_a_name_without_english_has_no_slug():
    with pytest.raises(ValueError, match="add its English name"):
        words.slug("未收录")


def test_outline_numbers_of_a_regulation_in_digits():
    from helpers.report.words import outline_number

    assert outline_number("二（一）1") == "2(1)1"
    assert outline_number("十二（三）4") == "12(3)4"
    assert outline_number("二十（十）13") == "20(10)13"
    with pytest.raises(ValueError, match="not an outline number like 二（一）1: '第二条'"):
        outline_number("第二条")


def test_regulation_sources_read_in_english():
    from helpers.report.sources import translate_source_id

    assert (
        translate_source_id("附件2 专精特新中小企业认定标准·二（四）13", "en")
        == "Annex 2, recognition standard for specialised and sophisticated SMEs · section 2(4)13"
    )
    assert translate_source_id("附件2 专精特新中小企业认定标准·二（四）13", "zh").startswith(
        "附件2"
    )


@pytest.mark.parametrize(
    ("name", "language", "shown"),
    [
        (
            "A leading market share of the main product",
            "en",
            "a leading market share of the main product",
        ),
        (
            "The specialised and sophisticated development score",
            "en",
            "the specialised and sophisticated development score",
        ),
        ("R&D spending last year", "en", "R&D spending last year"),
        ("MIIT's platform score", "en", "MIIT's platform score"),
        ("主导产品全国细分市场占有率", "zh", "主导产品全国细分市场占有率"),
    ],
)
def test_a_condition_name_inside_an_english_sentence_starts_lowercase(name, language, shown):
    assert words.mid_sentence(name, language) == shown


def test_an_english_table_cell_starts_with_a_capital():
    assert words.capitalised("innovation", "en") == "Innovation"
    assert words.capitalised("firm A", "en") == "Firm A"
    assert words.capitalised("创新能力", "zh") == "创新能力"


@pytest.mark.parametrize(
    ("value", "threshold", "unit", "language", "shown"),
    [
        (0.02999, 0.03, "share", "en", "2.999%"),  # not '3.0%' against 3%
        (0.0273, 0.03, "share", "en", "2.7%"),
        (0.701, 0.70, "share", "zh", "70.1%"),
        (99, 100, "万元", "zh", "99万元"),
        (99.99, 100, "万元", "zh", "99.99万元"),
        (0.03, 0.03, "share", "en", "3%"),
    ],
)
def test_a_firms_value_is_never_written_as_its_threshold(value, threshold, unit, language, shown):
    from helpers.screening.reasons import number_apart

    assert number_apart(value, threshold, unit, language) == shown
