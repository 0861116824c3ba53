"""helpers.report.chapters.context: chapter 05's numbers as readers see them (with the hedge word
the source printed), the criteria table's lines, the statistics recorded row by row in each row's
own unit, and the figures drawn from small tables."""

import pandas as pd
import pytest

from helpers import pipeline
from helpers.data.catalog import load_published
from helpers.report.chapter import STRICT_ENV, Chapter
from helpers.report.chapters import context as show
from helpers.stats import context as st

J = show.WORD_JOINER
NBSP = show.NO_BREAK_SPACE


@pytest.fixture
def ch(tmp_path, monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)
    return Chapter("05_context", output_dir=str(tmp_path))


@pytest.fixture
def en(tmp_path):
    return Chapter("05_context", output_dir=str(tmp_path / "en"), language="en")


def test_qualified_numbers_period_words_and_money(ch, en):
    assert show.qualified(ch, 12000, "家", "超") == "超12,000"
    assert show.qualified(en, 12000, "家", "超") == "over 12,000"
    assert show.qualified(ch, 9000, "家", None) == "9,000"  # no hedge word: the number alone
    assert show.qualified(ch, 0.3, "share", "约", decimals=0) == "约30%"
    # counts of 10万 and more in 万, as the sources write them; 多 between number and unit
    assert show.qualified(ch, 200_000, "家", "超") == "超20万"
    assert show.qualified(ch, 52_000_000, "户", "超") == "超5,200万"
    assert show.qualified(en, 52_000_000, "户", "超") == "over 52 million"
    assert show.qualified(ch, 110, "家", "多") == "110多"
    # an amount of money carries its unit (a sentence cannot add 亿元 after 万亿)
    assert show.qualified(ch, 3060, "亿元", "约", decimals=0) == "约3,060亿元"
    assert show.qualified(en, 3060, "亿元", "约", decimals=0) == "about CNY 306 billion"
    assert show.period_words(ch, "2023") == "2023年"
    assert show.period_words(ch, "2022-12-31") == "2022年12月31日"
    assert show.period_words(en, "2022-12-31") == "31 December 2022"
    # As many decimals as the amount has, 1万亿 and more in 万亿元; English in CNY.
    assert show.money(ch, 27200.0) == "2.72万亿元"
    assert show.money(ch, 211.47) == "211.47亿元"
    assert show.money(en, 27200.0) == "CNY 2.72 trillion"
    assert show.money(en, 211.47) == "CNY 21.15 billion"


def test_short_cells_are_kept_on_one_line(ch, en):
    assert show.unbroken("前3名") == f"前{J}3{J}名"
    assert show.value_with_unit(ch, 31.0, "只") == f"3{J}1{J}只"  # funds, counted like 个
    assert show.value_with_unit(ch, 0.3, "share", "约") == f"约{J}3{J}0{J}%"
    assert show.unbroken_name(ch, "累计") == f"累{J}计"
    # English breaks between words: no joiners.
    assert show.unbroken_name(en, "2023年上半年") == "the first half of 2023"


def test_criteria_lines_from_the_published_outline(ch):
    # 004's transcription (the criteria tables are chapter 6's, one per rulebook; issue 21)
    criteria = load_published("miit_criteria")
    outline = st.criteria_outline(criteria).set_index("criterion_id", drop=False)
    cases = {
        "CX": ("创新型中小企业", "下列各项满足其一"),  # a tier's root: how its parts combine
        "ZJ.2.b": (NBSP * 6 + "2.2 上年度研发费用占营业收入总额比例", "≥ 3%"),
        "ZJ.4.1.a": (NBSP * 9 + "4.2.1 近三年省级科技奖励获奖单位排名", "前3名以内"),
        "CX.2.1": (NBSP * 6 + "2.1 近三年内获得过国家级、省级科技奖励", "须具备"),
        "ZJ.3.b.2": (
            NBSP * 9 + "3.2.2 近2年新增股权融资总额（合格机构投资者的实缴额）",
            "≥ 2,000万元",
        ),
    }
    for cid, expected in cases.items():
        line = (show.condition(ch, outline.loc[cid]), show.requirement(ch, outline.loc[cid]))
        assert line == expected, cid
    shown = show.criteria_shown(ch, outline)
    assert len(shown) == len(outline)
    assert shown["scoring"].loc["ZJ.1"] == f"硬{J}性{J}条{J}件"
    assert shown["scoring"].loc["CX"] == ""  # a group has no kind


def test_each_row_is_recorded_in_its_own_declared_unit(ch, tmp_path):
    national = st.national_figures(ch.table("sme_financing_programmes"))
    ch.record_table(national, "financing.{indicator}")
    rows = pd.read_csv(tmp_path / "statistics" / "05_context.csv").set_index("key")
    assert rows.loc["05_context.financing.sub_funds_set_up", "unit"] == "个"  # 只 counted as 个
    assert rows.loc["05_context.financing.sub_funds_set_up", "value"] == 31
    share = rows.loc["05_context.financing.share_of_all_a_share_listed_firms"]
    assert (share["unit"], share["value"]) == ("占比", 0.3)
    assert share["label"] == "专精特新中小企业（全国）：占A股已上市企业的比例"
    assert len(rows) == 5  # the five nationwide rows


def test_an_undeclared_key_and_a_missing_column_are_named(ch):
    rows = pd.DataFrame({"indicator": ["累计设立子基金"], "value_stated": [1.0]}).assign(
        source_doc="002", source_id="x"
    )
    with pytest.raises(
        pipeline.StatisticsDeclarationError, match=r"listings\.sub_funds_set_up. is not declared"
    ):
        ch.record_table(rows, "listings.{indicator}")
    with pytest.raises(pipeline.StatisticsDeclarationError, match=r"no column \['actor'\]"):
        ch.record_table(rows, "financing.{actor}")


def test_sme_index_table_from_the_implied_growth(ch):
    counts = ch.table("sme_counts_by_year").set_index("indicator", drop=False)
    table = show.sme_index_table(ch, st.implied_growth(counts))
    assert table["series"].tolist() == ["中小微企业数量"] * 2 + ["平均每天新设企业数"] * 2
    assert table["year"].tolist() == ["2018年", "2022年"] * 2
    # 1 in the base year; 1 + 51% = 1.51 and 1.3倍 at the end.
    assert table["multiple"].tolist() == pytest.approx([1, 1.51, 1, 1.3])


def test_the_figures_draw_from_small_tables(ch):
    import matplotlib.pyplot as plt

    tiers = pd.DataFrame(
        {
            "tier": list(st.TIER_ORDER),
            "period": ["2023"] * 3,
            "firms": [200_000, 98_000, 12_000],
            "qualifier": ["超", None, "近"],
            "pyramid_level_stated": ["塔基", "塔身", "塔尖"],
        }
    )
    fig = show.tier_pyramid_figure(ch, st.tier_pyramid(tiers))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "超20万家 · 塔基" in texts and "98,000家 · 塔身" in texts
    # counts printed with a hedge word are drawn pale and hatched, the exact one solid
    assert [bool(p.get_hatch()) for p in fig.axes[0].patches] == [True, False, True]
    assert [p.get_width() for p in fig.axes[0].patches] == [200_000, 98_000, 12_000]
    plt.close(fig)

    printed = pd.DataFrame({"industry": ["工业制造业"], "share_stated": [0.6]})
    fig = show.industries_figure(ch, printed, 0.4, 2)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == [
        "其余2个行业（分项未印出）",
        "工业制造业",
    ]  # the remainder drawn last, at the bottom
    plt.close(fig)
