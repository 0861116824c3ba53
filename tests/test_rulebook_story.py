"""The policy story of chapter 6 and what an SME owner reads on a card (issue 21), on small
tables with hand-computed values: what changed between the rulebooks, the firms crossing a line
and why, the batches each rulebook judged, 004's examples under both rulebooks, what would have
to change for a firm, points as a range explained, the card's tables without rule codes, and
chapter 5's figures since the 2023 reports checked like any other source."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from helpers.data.catalog import load_published
from helpers.report.chapter import STRICT_ENV, Chapter
from helpers.report.chapters import rulebooks as policy
from helpers.report.chapters import since as later
from helpers.screening import (
    MET,
    NOT_MET,
    REVIEW,
    UNKNOWN,
    cards,
    compare,
    examples,
    present,
    rulebooks,
)
from helpers.stats import since

BOOKS = rulebooks.load_rulebooks()
OLD, NEW = BOOKS["miit_2022"], BOOKS["miit_2026"]
# Rule codes (CX.1.a, ZJ26.5.d, XJR.1.b) never reach a reader.
RULE_CODE = re.compile(r"\b(?:CX|ZJ|XJR)(?:26)?(?:\.[0-9a-z]+)+\b")


@pytest.fixture(autouse=True)
def lab(monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)


# What changed ---------------------------------------------------------------------------------------
def test_rule_changes_match_conditions_by_tier_and_what_they_test():
    changes = compare.rule_changes(OLD.roots, NEW.roots)
    by_new = {row.new.id: row for row in changes.itertuples() if row.new is not None}
    # 2 → 3 years in the niche; 1,000 → 1,500万元 of revenue: stricter
    assert (by_new["ZJ26.1"].old.id, by_new["ZJ26.1"].status) == ("ZJ.1", "stricter")
    assert (by_new["ZJ26.2.a"].old.id, by_new["ZJ26.2.a"].status) == ("ZJ.3.a", "stricter")
    # 小巨人: main revenue 70% → 90% stricter, debt 70% → 75% looser
    assert by_new["XJR26.3"].status == "stricter" and by_new["XJR26.5"].status == "looser"
    # new in 2026: the prior year's R&D, the reviews; the first tier unchanged
    assert by_new["ZJ26.5.d"].status == "added" and by_new["ZJ26.8"].status == "added"
    assert set(changes[changes["tier_code"] == "CX"]["status"]) == {"same"}
    # gone: the 60-point route and the four direct routes (the second equity threshold too)
    removed = {row.old.id for row in changes.itertuples() if row.status == "removed"}
    assert {"ZJ.4.0", "ZJ.4.2", "ZJ.4.3", "ZJ.4.4"} <= removed


def test_batches_judged_by_the_rulebook_in_force_in_their_year():
    judged = rulebooks.batches_judged(load_published("batch_publicity"), BOOKS).set_index(
        "batch_no"
    )
    assert judged.loc[3, "judged_by"] == ""  # 2021: before every rulebook of the data
    # 2022: the interim measures took effect on 1 August, within the year
    assert judged.loc[4, ["judged_by", "from_date"]].tolist() == ["miit_2022", "2022-08-01"]
    assert judged.loc[7, ["judged_by", "from_date"]].tolist() == ["miit_2022", ""]
    # the 2026 re-review of batches 2 and 5 by the 2022 standard
    assert judged.loc[5, ["re_review", "re_review_year"]].tolist() == ["miit_2022", "2026"]
    assert judged.loc[2, "re_review"] == "miit_2022" and judged.loc[6, "re_review"] == ""


def test_condition_counts_say_what_data_cannot_decide_and_how_sure_the_sources_are():
    counts = rulebooks.condition_counts(BOOKS).set_index("rulebook")
    assert counts.loc["miit_2026", "review"] == 4  # 2 scores, a market position, a product field
    assert counts.loc["miit_2022", "review"] == 0
    # no condition is confirmed by the official text yet (trust A): all are B–D
    assert (counts["secondary"] == counts["conditions"]).all()


# Firms crossing a line ---------------------------------------------------------------------------
def test_crossings_count_the_firms_that_lose_or_gain_a_tier_by_condition():
    # Three firms meeting 专精特新 under 2022. Under 2026: the first has a main-revenue share of
    # 75% (< 80%) and the prior year's R&D at 2% (< 3%); the second only the share; the third
    # meets every data condition (awaits review). So 2 lose it: ZJ26.3 for 2 (100%), ZJ26.5.d
    # for 1 (50%).
    base = {
        "honours_valid": True,
        "niche_years": 5.0,
        "rd_expense": 200.0,
        "rd_share": 0.05,
        "revenue": 4000.0,
        "maker_china_top500": True,
        "main_revenue_share": 0.9,
        "debt_ratio": 0.5,
        "rd_expense_prior": 150.0,
        "rd_share_prior": 0.04,
        "ip_class": "Ⅰ类",
    }
    firms = pd.DataFrame(
        [
            {**base, "main_revenue_share": 0.75, "rd_share_prior": 0.02},
            {**base, "main_revenue_share": 0.75},
            base,
        ]
    )
    old, new = OLD.screen(firms), NEW.screen(firms)
    assert old.tiers["专精特新中小企业"].tolist() == [MET] * 3
    assert new.tiers["专精特新中小企业"].tolist() == [NOT_MET, NOT_MET, REVIEW]
    totals = compare.crossing_totals(old, new).set_index("tier_code")
    assert totals.loc["ZJ", ["old_passes", "new_passes", "lost", "gained"]].tolist() == [3, 1, 2, 0]
    table = compare.crossings(old, new, OLD.id, NEW.id)
    zj = table[(table["tier_code"] == "ZJ") & (table["direction"] == "lost")]
    assert zj[["criterion_id", "firms", "share"]].values.tolist() == [
        ["ZJ26.3", 2, 1.0],
        ["ZJ26.5.d", 1, 0.5],
    ]
    side = compare.side_by_side({OLD.id: old, NEW.id: new}).set_index(["rulebook", "tier_code"])
    assert side.loc[("miit_2026", "ZJ"), ["met", "review", "passes"]].tolist() == [0, 1, 1]


# 004's examples under both rulebooks ---------------------------------------------------------------
def test_the_examples_under_both_rulebooks_with_their_assumptions():
    firms = pd.DataFrame(list(examples.EXAMPLES.values()), index=list(examples.EXAMPLES))
    worked = {book.id: book.screen(firms) for book in BOOKS.values()}
    targets = {"A企业": "CX", "B企业": "ZJ", "C企业": "XJR"}
    table = compare.example_outcomes(worked, targets, examples.JUDGED_CONDITION)
    got = table.set_index(["firm", "rulebook"])
    # 2022 as published: A 95 points and met; B at least 66 (its R&D spending is not given:
    # the tier undecided); C judged on the refinement condition 004 judged: met
    assert got.loc[("A企业", "miit_2022"), ["outcome", "low", "high"]].tolist() == ["met", 95, 95]
    assert got.loc[("B企业", "miit_2022"), ["outcome", "low", "high"]].tolist() == [
        "unknown",
        66,
        92,
    ]
    assert got.loc[("C企业", "miit_2022"), ["criterion_id", "outcome"]].tolist() == [
        "XJR.1",
        "met",
    ]
    # 2026: A's first tier is judged by the same table; C's whole tier, which lacks data
    assert got.loc[("A企业", "miit_2026"), "outcome"] == "met"
    assert got.loc[("C企业", "miit_2026"), ["criterion_id", "outcome"]].tolist() == [
        "XJR",
        "unknown",
    ]
    # every example states what it reads into 004's text, in both languages
    for firm, attributes in examples.ASSUMPTIONS.items():
        assert attributes
        assert set(attributes) <= set(examples.EXAMPLES[firm])


# What would have to change -----------------------------------------------------------------------
def test_a_card_says_what_would_have_to_change_from_what_to_what():
    firm = {
        "honours_valid": True,
        "niche_years": 5.0,
        "revenue": 8000.0,
        "main_revenue_share": 0.85,
        "debt_ratio": 0.5,
        "rd_expense": 700.0,
        "rd_share": 0.05,
        "rd_expense_prior": 650.0,
        "rd_share_prior": 0.04,
        "ip_class": "Ⅰ类",
        "revenue_cagr_2y": 0.08,
        "class1_ip_count": 6,
        "market_share": 0.12,
    }
    card = cards.make_card(firm, "zh", NEW, "2026-06-01")
    changes = cards.changes(card, "专精特新“小巨人”企业")
    texts = [c.text for c in changes if c.kind == "not_met"]
    assert texts == ["上年度主营业务收入占营业收入比重须由85%提高到90%"]
    reviews = [c.text for c in changes if c.kind == "review"]
    assert reviews == [
        "先满足专精特新中小企业的条件（见该梯度）",  # which awaits its own review
        "须经评审：主导产品属于工业“六基”领域或产业链关键环节",
        "须经评审：专精特新发展评价得分",
    ]
    assert cards.changes(card, "科技和创新型中小企业") == []  # met
    en = cards.make_card(firm, "en", NEW, "2026-06-01")
    (text,) = [c.text for c in cards.changes(en, "专精特新“小巨人”企业") if c.kind == "not_met"]
    assert text.endswith("must rise from 85.0% to 90%") or "from 85" in text
    # a lower tier not met points at that tier, and a missing value asks for the data
    lacking = cards.make_card({k: v for k, v in firm.items() if k != "niche_years"}, "zh", NEW)
    kinds = {c.criterion_id: c.kind for c in cards.changes(lacking, "专精特新“小巨人”企业")}
    assert kinds["XJR26.1"] == "unknown" and kinds["XJR26.0"] == "unknown"


def test_points_as_a_range_are_explained():
    # B企业 under 2022: 66 points known, 26 more possible from the indicators without data
    card = cards.make_card(examples.FIRM_B, "zh", OLD, "2023-07-31")
    assert cards.points_range(66, 92, "zh") == "至少66分，至多92分"
    text = cards.range_explained(card, "专精特新中小企业")
    assert "有数据的指标合计66分" in text and "总分在66分与92分之间" in text
    assert "数字化水平" in text and "地方特色指标" in text
    assert (
        cards.range_explained(cards.make_card(examples.FIRM_A, "zh", OLD), "创新型中小企业") == ""
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_card_and_criteria_tables_show_no_rule_codes(language):
    card = cards.make_card(examples.FIRM_B, language, NEW, "2026-06-01")
    for tier in card.result.roots:
        table = cards.conditions_table(card, tier)
        assert "screen_criterion" in table  # the ids stay in the files
        shown = table.drop(columns=["screen_criterion"]).to_string()
        assert not RULE_CODE.search(shown), shown
        assert {"screen_requirement", "screen_value", "screen_outcome"} <= set(table.columns)
    for sentence in cards.next_steps(card):
        assert not RULE_CODE.search(sentence)
    for book in BOOKS.values():
        display = present.criteria_display(book.roots, language)
        shown = display.drop(columns=["screen_criterion"]).to_string()
        assert not RULE_CODE.search(shown)
    outcomes = {present.requirement(r, language) for r in NEW.rules_by_id().values()}
    assert all(not RULE_CODE.search(text) for text in outcomes)


def test_the_four_outcomes_have_words_in_both_languages():
    from helpers.screening.reasons import outcome_word

    assert [outcome_word(c, "zh") for c in (MET, REVIEW, UNKNOWN, NOT_MET)] == [
        "满足",
        "需评审",
        "无法判定",
        "不满足",
    ]
    assert outcome_word(REVIEW, "en") == "needs review"


# The chapter's recording ------------------------------------------------------------------------------
def test_the_policy_story_is_recorded_under_declared_keys(tmp_path):
    ch = Chapter("06_screening", output_dir=str(tmp_path))
    rows = ch.published_table("rulebook_conditions")
    counts = rulebooks.condition_counts(BOOKS)
    policy.record_counts(ch, counts, rows)
    changes = compare.rule_changes(OLD.roots, NEW.roots)
    policy.record_changes(ch, changes, rows)
    policy.criteria(ch, NEW, present.criteria_display(NEW.roots, "zh"), rows)
    stats = pd.read_csv(tmp_path / "statistics" / "06_screening.csv").set_index("key")
    assert stats.loc["06_screening.rulebooks.miit_2026.review", "value"] == 4
    assert stats.loc["06_screening.changes.stricter", "value"] == 4
    row = stats.loc["06_screening.criteria.miit_2026.zj26_3.threshold"]
    assert (row["value"], row["unit"]) == (0.8, "占比")
    assert row["label"] == "2026办法：上年度主营业务收入占营业收入比重的门槛"
    table = pd.read_csv(tmp_path / "tables" / "06_screening_criteria_miit_2026.csv")
    assert "ZJ26.8" in set(table["screen_criterion"])  # ids in the file


# Chapter 5: the figures since the 2023 reports --------------------------------------------------------
def test_figures_since_2023_are_checked_like_any_other_source():
    figures = load_published("figures_since_2023")
    checks = since.per_firm_checks(figures).set_index("item")
    # PatSnap 2025: 116万 valid invention patents over 1.76万 firms = 65.9 per firm, stated 32
    assert checks.loc["patsnap_2025_valid_inventions_per_firm", "stated"] == 32
    assert checks.loc["patsnap_2025_valid_inventions_per_firm", "recomputed"] == pytest.approx(
        1_160_000 / 17_600
    )
    # 262万 / 1.76万 = 148.86 ≈ 149; 11,543 / 17,600 = 65.6% against 65.9% printed
    assert checks.loc["patsnap_2025_applications_per_firm", "recomputed"] == pytest.approx(
        148.86, abs=0.01
    )
    assert checks.loc["patsnap_2025_three_fields_share", "recomputed"] == pytest.approx(
        0.65585, abs=1e-5
    )
    # MIIT end of 2024: 32.74万 / 1.46万 = 22.4 per firm, stated 22
    assert checks.loc["miit_2024_granted_per_firm", "recomputed"] == pytest.approx(22.42, abs=0.01)
    publicity = load_published("batch_publicity")
    assert since.batch_growth(publicity, 7) == pytest.approx(3482 / 3012 - 1)  # 15.60%
    assert since.latest_growth(publicity) == since.batch_growth(publicity, 7)
    assert since.reviewed(figures) == pytest.approx(3916 / 0.8704)  # 4,499 re-reviewed
    final = load_published("cultivation_batches")
    compared = since.publicity_vs_final(publicity, final).set_index("batch_no")
    assert compared["difference"].tolist() == [0, 4, 0, 2, 2]  # publicity vs 001's lists


def test_the_since_section_records_and_finds_the_inconsistencies(tmp_path):
    ch = Chapter("05_context", output_dir=str(tmp_path))
    publicity, figures = ch.table("batch_publicity"), ch.table("figures_since_2023")
    per_firm = later.named(ch, since.per_firm_checks(figures))
    ch.record_table(per_firm, "since.recomputed.{item}", unit_column="unit", source=figures)
    final = since.publicity_vs_final(publicity, ch.published_table("cultivation_batches"))
    later.section(ch, publicity, figures, since.latest_growth(publicity), 4499.1, per_firm, final)
    mismatches = {c["item"] for c in ch.checks.values() if c["stated"] != c["recomputed"]}
    assert "智慧芽2025：平均每家有效发明专利（有效发明专利÷企业数）" in mismatches
    assert "第二批公示数：公示名单与智慧芽2023所用名单" in mismatches
    table = pd.read_csv(tmp_path / "tables" / "05_context_since_figures.csv")
    assert set(table["trust"]) == {"B", "C"}


@pytest.mark.parametrize(
    ("language", "item", "expected"),
    [
        ("en", "miit_2026_little_giants", "17,600"),  # the sentence says 'Little Giants' after it
        ("en", "patsnap_2025_applications", "2.62 million"),
        ("en", "miit_2026_specialised", "over 140,000"),
        ("en", "miit_2024_granted_per_firm", "22 patents per firm"),  # a per-firm unit stays
        ("zh", "miit_2026_specialised", "超14万家"),  # Chinese keeps its measure word
        ("zh", "miit_2024_invention_patents", "32.74万件"),
    ],
)
def test_a_figure_in_a_sentence_that_names_what_it_counts(tmp_path, language, item, expected):
    ch = Chapter("05_context", output_dir=str(tmp_path), language=language)
    assert later.named_value(ch, ch.table("figures_since_2023"), item) == expected
