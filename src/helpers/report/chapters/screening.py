"""Chapter 6's figures, tables and sentences (梯度培育认定标准筛查, notebooks/06_screening.ipynb)
and one firm's screening card (notebooks/assess.ipynb, `make assess`): the tables that
helpers.screening computes, recorded under the keys of notebooks/statistics/06_screening.yml and
assess.yml, drawn and tabled in the edition's words.

helpers.report sits below helpers.screening (the import contract of pyproject.toml), so this
module never imports it: it takes the screening's results (a Screening, the rule trees, a card)
as arguments and reads their attributes, and where the words need the rules' own logic (a
condition's name, a value against its threshold, a card's tables) the notebook hands in the
helpers.screening function that gives them. The few computations on the screening's tables that
the chapter needs (counts not met by more than one condition, each group's share, the condition
that blocks most often, the worked examples' totals) are here too, until they move to
helpers.screening (tests/test_screening_report.py)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable

import pandas as pd

from helpers.report import charts, words
from helpers.report.chapter import FIGURE_DATA_BELOW, Chapter

# The source of every number screened from the firms themselves.
FIRM_ROWS = pd.DataFrame({"source_doc": ["firm-level"], "source_id": ["firms"]})
# What a placeholder names when the firms' file has none of the criteria's attributes.
ATTRIBUTES_NEEDED = ["firms.screening_attributes"]
# The counts by province and by field (the unknown counts are in the tables' files only).
GROUP_COUNTS = ("met", "review", "unknown", "missing_one")
# The tiers figure's segments, bottom to top (review: every condition the data decides is met,
# the rest only a review decides).
SEGMENTS = ("met", "review", "missing_one", "not_met_other", "unknown")

# Keys of notebooks/statistics/06_screening.yml, by the column of the table that gives them.
TIER_KEYS = {
    "met": "tiers.{tier_code}.met",
    "review": "tiers.{tier_code}.review",
    "not_met": "tiers.{tier_code}.not_met",
    "unknown": "tiers.{tier_code}.unknown",
    "missing_one": "tiers.{tier_code}.missing_one",
    "not_met_other": "tiers.{tier_code}.not_met_other",
}
GROUP_KEYS = {
    "province": {
        "firms": "province.{group_id}.firms",
        "met": "province.{group_id}.{tier_code}.met",
        "review": "province.{group_id}.{tier_code}.review",
        "unknown": "province.{group_id}.{tier_code}.unknown",
        "missing_one": "province.{group_id}.{tier_code}.missing_one",
        "met_share": "province.{group_id}.{tier_code}.met_share",
    },
    "field": {
        "firms": "field.{group_id}.firms",
        "met": "field.{group_id}.{tier_code}.met",
        "review": "field.{group_id}.{tier_code}.review",
        "unknown": "field.{group_id}.{tier_code}.unknown",
        "missing_one": "field.{group_id}.{tier_code}.missing_one",
        "met_share": "field.{group_id}.{tier_code}.met_share",
    },
}
NO_GROUP = "none"  # the id of the firms whose province or field is not filled in
# The worked examples of 004 with points (C企业's is a tier's outcome, without points).
SCORED_EXAMPLES = ("A企业", "B企业")


# Computations on the screening's tables ----------------------------------------------------
def tier_codes(roots: dict) -> dict[str, str]:
    """Each tier's code, the id of its root criterion (创新型中小企业 -> CX): keys and column
    names use it, lower-cased (cx)."""
    return {tier: root.id for tier, root in roots.items()}


def rules_by_id(roots: dict) -> dict:
    """Every rule of every tier by its criterion id."""
    return {rule.id: rule for root in roots.values() for rule in root.walk()}


def tested_attributes(roots: dict) -> set[str]:
    """The firm attributes the criteria test (every leaf's attribute)."""
    return {rule.attribute for root in roots.values() for rule in root.walk() if rule.attribute}


def can_screen(missing_columns: Iterable[str], roots: dict, score_attributes: Iterable[str]):
    """Whether the firms' file has any attribute to screen on: fewer columns missing than the
    criteria test, not counting the scores (computed from the other columns).

    Example: the criteria test {revenue, rd_share, score_cx_total}, score_cx_total is a score:
    2 columns missing of the 2 others -> False; 1 missing -> True."""
    return len(list(missing_columns)) < len(tested_attributes(roots) - set(score_attributes))


def tier_table(counts: pd.DataFrame, roots: dict) -> pd.DataFrame:
    """helpers.screening.summary.tier_counts with each tier's code, `not_met_other` (not met by
    two conditions or more: not_met − missing_one) and `met_share` (met ÷ firms).

    Example: 100 firms, 60 met, 30 not met of which 25 miss one condition -> not_met_other 5,
    met_share 0.6."""
    if "review" not in counts:  # counts of a tree without review conditions
        counts = counts.assign(review=0)
    return counts.assign(
        tier_code=counts["tier"].map(tier_codes(roots)),
        not_met_other=counts["not_met"] - counts["missing_one"],
        met_share=counts["met"] / counts["firms"],
    )


def group_table(table: pd.DataFrame, focus: str) -> pd.DataFrame:
    """helpers.screening.summary.counts_by (firms and `<tier>|<count>` per group) with
    `group_id` (the group, or 'none' where the firms' column is empty: its id for keys) and
    `met_share`, the share of the group's firms that meet the `focus` tier or await only its
    review.

    Example: a group of 40 firms of which 6 meet the focus tier and 4 await review -> 0.25."""
    return table.assign(
        group_id=table["group"].where(table["group"] != "", NO_GROUP),
        met_share=(table[f"{focus}|met"] + table[f"{focus}|review"]) / table["firms"],
    )


def group_rows(table: pd.DataFrame, roots: dict) -> pd.DataFrame:
    """A group_table with one row per group and tier: group, group_id, tier, tier_code and the
    counts of GROUP_COUNTS (tiers in the criteria's order, groups in the table's)."""
    codes = tier_codes(roots)
    parts = [
        pd.DataFrame(
            {
                "group": table["group"],
                "group_id": table["group_id"],
                "tier": tier,
                "tier_code": codes[tier],
                **{count: table[f"{tier}|{count}"] for count in GROUP_COUNTS},
            }
        )
        for tier in roots
    ]
    return pd.concat(parts, ignore_index=True)


def most_one_short(table: pd.DataFrame, focus: str) -> pd.DataFrame:
    """The groups by how many firms miss only one condition of the `focus` tier, most first
    (ties: more firms first, then the table's order)."""
    return table.sort_values([f"{focus}|missing_one", "firms"], ascending=False, kind="stable")


def by_met_share(table: pd.DataFrame) -> pd.DataFrame:
    """The groups by the share that meets the focus tier, highest first (ties: more firms
    first, then the table's order)."""
    return table.sort_values(["met_share", "firms"], ascending=False, kind="stable")


def blocking_table(blocking: pd.DataFrame, roots: dict, conditions: pd.Series) -> pd.DataFrame:
    """helpers.screening.summary.blocking with each tier's code and each condition's name
    (`conditions`: criterion id -> name, see condition_names)."""
    return blocking.assign(
        tier_code=blocking["tier"].map(tier_codes(roots)),
        condition=blocking["criterion_id"].map(conditions),
    )


def most_blocking(blocking: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """The condition that is the only one missing for the most firms (the first of a tie), as
    a one-row table with `only_share`: those firms ÷ the firms of its tier missing one
    condition; empty when no firm misses only one condition.

    Example: 30 firms miss only ZJ.2.b, 50 firms of 专精特新中小企业 miss one -> 0.6."""
    rows = blocking[blocking["only_blocker"] > 0]
    if rows.empty:
        return rows.assign(only_share=pd.Series(dtype=float))
    most = rows.loc[[rows["only_blocker"].idxmax()]]
    missing_one = counts.set_index("tier")["missing_one"]
    return most.assign(only_share=most["only_blocker"] / most["tier"].map(missing_one))


def closest(candidates: pd.DataFrame, top: int, roots: dict, conditions: pd.Series):
    """The first `top` candidates of each tier (helpers.screening.summary.candidates lists
    them closest first), with each tier's code and each condition's name."""
    rows = candidates.groupby("tier", sort=False).head(top)
    return rows.assign(
        tier_code=rows["tier"].map(tier_codes(roots)),
        condition=rows["criterion_id"].map(conditions),
    )


def example_firms(examples: dict[str, dict]) -> pd.DataFrame:
    """The worked examples' firms (helpers.screening.examples.EXAMPLES) as a firm table
    indexed by the firm's name."""
    return pd.DataFrame(list(examples.values()), index=list(examples))


def example_totals(worked, example_rows: pd.DataFrame) -> pd.DataFrame:
    """Per worked example of SCORED_EXAMPLES: the firm, its target tier (as
    qzd_example_assessments gives it), the total points recomputed by the screening `worked`
    (its scores' lower and upper bound) and the published total (the items' points added up)."""
    rows = []
    for firm in SCORED_EXAMPLES:
        published = example_rows[example_rows["firm"] == firm]
        tier = published["target_tier"].iloc[0]
        low, high = (bound[firm] for bound in worked.scores.total(tier))
        rows.append(
            {
                "firm": firm,
                "tier": tier,
                "low": low,
                "high": high,
                "stated": float(published["points"].sum()),
            }
        )
    return pd.DataFrame(rows)


def card_totals(card) -> pd.DataFrame:
    """One row per tier of a firm's card (helpers.screening.cards): tier, tier_code, outcome
    (met / not_met / unknown) and the total score's low, high and max_points (NaN where the
    tier has no points)."""
    totals = card.assessment.totals
    totals = totals[totals["dimension"] == ""].set_index("tier")
    tiers = pd.DataFrame(
        {"tier": list(card.assessment.tiers), "outcome": list(card.assessment.tiers.values())}
    )
    tiers["tier_code"] = tiers["tier"].map(tier_codes(card.result.roots))
    for column in ("low", "high", "max_points"):
        tiers[column] = tiers["tier"].map(totals[column]).astype(float)
    return tiers


def card_values(card) -> pd.DataFrame:
    """The card's conditions that have a number (a leaf with a unit and a numeric value): tier,
    tier_code, criterion_id, `criterion` (its id, as the label names it), value, gap, unit."""
    conditions = card.assessment.conditions
    numeric = conditions["value"].map(
        lambda value: not (pd.isna(value) or isinstance(value, str | bool))
    )
    rows = conditions[(conditions["logic"] == "leaf") & conditions["unit"].notna() & numeric]
    return rows.assign(
        tier_code=rows["tier"].map(tier_codes(card.result.roots)),
        criterion=rows["name"],  # the condition in words: a label never shows a rule code
        gap=pd.to_numeric(rows["gap"], errors="coerce"),
    )


def card_points(card) -> pd.DataFrame:
    """The card's points, one row per indicator (tier, dimension, indicator_id, low, high …),
    with each tier's code and `indicator` (its id, as the label names it)."""
    points = card.assessment.points
    return points.assign(
        tier_code=points["tier"].map(tier_codes(card.result.roots)),
        indicator=points["indicator_words"],
    )


# Recording ------------------------------------------------------------------------------------
def record_tiers(ch: Chapter, counts: pd.DataFrame) -> None:
    """Each tier's counts and share of firms that meet it (a tier_table)."""
    rows = counts.assign(tier=counts["tier"].map(lambda tier: tier_name(ch, tier)))
    # A loop over the keys (not the rows): each key's label names its own outcome.
    for count, key in TIER_KEYS.items():
        outcome = ch.t(f"ch06.count_names.{count}")
        ch.record_table(rows, key, source=FIRM_ROWS, outcome=outcome)
    ch.record_table(rows, "tiers.{tier_code}.met_share", source=FIRM_ROWS)


def record_groups(ch: Chapter, table: pd.DataFrame, name: str, roots: dict, focus: str):
    """A group_table's counts (`name`: province or field): the firms of each group, per tier
    the counts of GROUP_COUNTS, and the share that meets the `focus` tier."""
    keys = GROUP_KEYS[name]
    shown = group_names(ch, table)
    ch.record_table(table.assign(group=shown), keys["firms"], source=FIRM_ROWS)
    rows = group_rows(table, roots)
    rows = rows.assign(
        group=group_names(ch, rows), tier=rows["tier"].map(lambda t: tier_name(ch, t))
    )
    # A loop over the keys (not the rows): each key's label names its own outcome.
    for count in GROUP_COUNTS:
        outcome = ch.t(f"ch06.count_names.{count}")
        ch.record_table(rows, keys[count], source=FIRM_ROWS, outcome=outcome)
    shares = table.assign(group=shown, tier_code=tier_codes(roots)[focus])
    ch.record_table(shares, keys["met_share"], source=FIRM_ROWS, tier=tier_name(ch, focus))


def record_blocking(ch: Chapter, blocking: pd.DataFrame, most: pd.DataFrame) -> None:
    """Per tier and condition the firms not meeting it and those missing only it (a
    blocking_table), and the share of the condition that blocks most often (most_blocking)."""
    rows = blocking.assign(tier=blocking["tier"].map(lambda tier: tier_name(ch, tier)))
    ch.record_table(
        rows,
        "blocking.{tier_code}.{criterion_id}.not_met",
        "blocking.{tier_code}.{criterion_id}.only",
        source=FIRM_ROWS,
    )
    most = most.assign(tier=most["tier"].map(lambda tier: tier_name(ch, tier)))
    ch.record_table(most, "blocking.{tier_code}.{criterion_id}.only_share", source=FIRM_ROWS)


def record_candidates(ch: Chapter, rows: pd.DataFrame) -> None:
    """The value and gap of each closest candidate shown (a `closest` table), under its tier,
    condition and firm: declared condition by condition, each in its own unit."""
    shown = rows[rows["value"].notna()].assign(firm=lambda t: t["firm_id"])
    ch.record_table(
        shown,
        "candidates.{tier_code}.{criterion_id}.{firm_id}.value",
        "candidates.{tier_code}.{criterion_id}.{firm_id}.gap",
        unit_column="unit",
        source=FIRM_ROWS,
    )


# Words ------------------------------------------------------------------------------------
def tier_name(ch: Chapter, tier: str) -> str:
    """A tier's name in the edition's words (专精特新“小巨人”企业 / Little Giants)."""
    return ch.t(f"screening.tier_names.{tier}")


def tier_short(ch: Chapter, tier: str) -> str:
    """A tier's short name, for chart labels (小巨人 / Little Giant)."""
    return ch.t(f"screening.tiers_short.{tier}")


def condition_names(roots: dict, condition_name: Callable, language: str) -> pd.Series:
    """Every condition's name by criterion id, from helpers.screening.present.condition_name
    (handed in: a leaf by its attribute, a lower tier by that tier's name, any other rule by
    its own label)."""
    rules = rules_by_id(roots)
    return pd.Series({id_: condition_name(rule, language, roots) for id_, rule in rules.items()})


def group_names(ch: Chapter, table: pd.DataFrame) -> list[str]:
    """Each group's name in the edition's words; '（未填写）' where the firms' column is empty."""
    return [ch.name(group) if group else ch.t("ch06.no_group") for group in table["group"]]


def placeholder(ch: Chapter, kind: str, name: str, key: str, **values) -> None:
    """A figure or table the firms' file cannot give: it has none of the criteria's
    attributes."""
    ch.missing(kind, name, key, needs=ATTRIBUTES_NEEDED, **values)


# 6.1 The criteria ---------------------------------------------------------------------------
def columns_note(ch: Chapter, missing_columns: Iterable[str], roots: dict) -> None:
    """Which attributes of the criteria the firms' file lacks (those conditions are unknown),
    or that it has them all."""
    missing = list(missing_columns)
    if missing:
        names = [ch.t(f"screening.attributes.{column}") for column in missing]
        ch.text(
            "ch06.missing_columns",
            n=ch.fmt(len(missing), "项"),
            columns=words.join(names, ch.language),
        )
    else:
        ch.text("ch06.all_columns", n=ch.fmt(len(tested_attributes(roots)), "项"))


# 6.2 Results by tier ------------------------------------------------------------------------
def segments(counts: pd.DataFrame) -> list[str]:
    """The outcomes a tiers figure or table shows: SEGMENTS, without `review` when no firm
    awaits a review (a rulebook whose every condition the data decides)."""
    return [s for s in SEGMENTS if s != "review" or counts["review"].any()]


def tiers_figure(ch: Chapter, counts: pd.DataFrame):
    """图表6.1: per tier the firms that meet it, await review, miss one condition, miss more, or
    cannot be decided."""
    shown = segments(counts)
    long = counts[["tier", *shown]].melt(
        id_vars="tier", value_vars=shown, var_name="outcome", value_name="firms"
    )
    long["tier"] = long["tier"].map(lambda tier: tier_short(ch, tier))
    long["outcome"] = long["outcome"].map(lambda o: ch.t(f"ch06.outcome_names.{o}"))
    return charts.grouped_bar_chart(
        long,
        "tier",
        "outcome",
        "firms",
        value_label=ch.t("ch06.tiers_figure.axis"),
        category_order=[tier_short(ch, tier) for tier in counts["tier"]],
        series_order=[ch.t(f"ch06.outcome_names.{o}") for o in shown],
    )


def tiers(ch: Chapter, counts: pd.DataFrame, criteria: pd.DataFrame, firms: int) -> None:
    """图表6.1 with one sentence per tier, and 表6.2 (a tier_table)."""
    ch.heading("ch06.section_tiers", level=2)
    sentences = [
        ch.t(
            "ch06.tiers_figure.sentence_review" if row.review else "ch06.tiers_figure.sentence",
            tier=tier_name(ch, row.tier),
            met=ch.fmtu(row.met, "家"),
            met_share=ch.fmt(row.met_share, "share"),
            review=ch.fmtu(row.review, "家"),
            not_met=ch.fmtu(row.not_met, "家"),
            missing_one=ch.fmtu(row.missing_one, "家"),
            unknown=ch.fmtu(row.unknown, "家"),
        )
        for row in counts.itertuples()
    ]
    source = ch.source_line(FIRM_ROWS, criteria)
    ch.figure(
        tiers_figure(ch, counts),
        "tiers",
        "ch06.tiers_figure",
        source,
        data=FIGURE_DATA_BELOW,
        firms=ch.fmtu(firms, "家"),
        sentences=ch.t("common.clause_separator").join(sentences) + ch.t("ch06.full_stop"),
    )
    table = counts.assign(tier=counts["tier"].map(lambda tier: tier_name(ch, tier)))
    review = ["review"] if "review" in segments(counts) else []
    table = table[["tier", "firms", "met", *review, "not_met", "missing_one", "unknown"]]
    table = table.rename(columns=lambda column: f"screen_{column}")
    ch.save_table(
        table,
        "tiers",
        source=source,
        number=ch.t("ch06.tiers_table.number"),
        title=ch.t("ch06.tiers_table.title"),
        units={column: "家" for column in table.columns if column != "screen_tier"},
    )


def tiers_missing(ch: Chapter, firms: int) -> None:
    """6.2's placeholders when the firms' file has nothing to screen on."""
    ch.heading("ch06.section_tiers", level=2)
    placeholder(ch, "figure", "tiers", "ch06.tiers_figure", firms=ch.fmtu(firms, "家"))
    placeholder(ch, "table", "tiers", "ch06.tiers_table")


# 6.3 By province and by industry field ---------------------------------------------------
def save_grouped(ch: Chapter, table: pd.DataFrame, name: str, roots: dict, criteria) -> None:
    """表6.3 / 表6.4 (`name`: province or field): all counts in the table's files; on the page
    the firms met and one short per tier (the unknown counts would not fit a page's width)."""
    codes = {tier: code.lower() for tier, code in tier_codes(roots).items()}
    columns = {f"{t}|{o}": f"screen_{codes[t]}_{o}" for t in roots for o in GROUP_COUNTS}
    group = f"screen_group_{name}"
    saved = table.assign(shown=group_names(ch, table))[["shown", "firms", *columns]]
    saved = saved.rename(columns={"shown": group, "firms": "screen_firms", **columns})
    # On the page per tier: those that meet it (when any does), those awaiting review (when
    # any does: a rulebook with conditions only a review decides) and those one short.
    on_page = [
        f"screen_{codes[t]}_{o}"
        for t in roots
        for o in ("met", "review", "missing_one")
        if o == "missing_one" or table[f"{t}|{o}"].any()
    ]
    shown = saved[[group, "screen_firms", *on_page]].copy()
    for column in shown.columns[1:]:
        shown[column] = shown[column].map(lambda value: ch.fmt(value, "家"))
    ch.save_table(
        saved,
        name,
        source=ch.source_line(FIRM_ROWS, criteria),
        number=ch.t(f"ch06.{name}_table.number"),
        title=ch.t(f"ch06.{name}_table.title"),
        shown=shown,
    )


def groups(
    ch: Chapter,
    provinces: pd.DataFrame,
    fields: pd.DataFrame,
    focus: str,
    roots: dict,
    criteria: pd.DataFrame,
    *,
    has_fields: bool,
) -> None:
    """表6.3 and 表6.4 (group_tables) with their sentences: the provinces with the most firms
    one condition short of the `focus` tier, the fields where the most and the fewest meet it.
    Without industry fields in the data (`has_fields` false) 表6.4 is a placeholder."""
    ch.heading("ch06.section_groups", level=2)
    ranked = most_one_short(provinces, focus)
    top, second = ranked.iloc[0], ranked.iloc[1]
    names = group_names(ch, ranked)
    ch.text(
        "ch06.province_table.reading",
        tier=tier_name(ch, focus),
        top=names[0],
        top_n=ch.fmtu(top[f"{focus}|missing_one"], "家"),
        second=names[1],
        second_n=ch.fmtu(second[f"{focus}|missing_one"], "家"),
    )
    save_grouped(ch, provinces, "province", roots, criteria)
    if not has_fields:
        ch.missing("table", "field", "ch06.field_table", needs=["firms.industry_field"])
        return
    ranked = by_met_share(fields)
    names = group_names(ch, ranked)
    # with conditions only a review decides, the share counts those awaiting review only
    review = fields[f"{focus}|review"].any()
    ch.text(
        "ch06.field_table.reading_review" if review else "ch06.field_table.reading",
        tier=tier_name(ch, focus),
        top=names[0],
        top_share=ch.fmt(ranked["met_share"].iloc[0], "share"),
        low=names[-1],
        low_share=ch.fmt(ranked["met_share"].iloc[-1], "share"),
    )
    save_grouped(ch, fields, "field", roots, criteria)


def groups_missing(ch: Chapter) -> None:
    """6.3's placeholders when the firms' file has nothing to screen on."""
    ch.heading("ch06.section_groups", level=2)
    placeholder(ch, "table", "province", "ch06.province_table")
    placeholder(ch, "table", "field", "ch06.field_table")


# 6.4 The conditions that block most often -----------------------------------------------
def chart_label(ch: Chapter, tier: str, condition: str) -> str:
    """'专精特新：上年度研发费用占营业收入比例' on at most two lines (long condition names would
    squeeze the bars together): cut to two lines' width, then wrapped."""
    width = 16 if ch.language == "zh" else 34
    text = f"{tier_short(ch, tier)}{ch.t('ch06.label_separator')}{condition}"
    if ch.language == "en":
        text = textwrap.shorten(text, width=2 * width, placeholder="…")
    else:
        text = text[: 2 * width]
    return textwrap.fill(text, width=width)


def blocking(
    ch: Chapter, blocking: pd.DataFrame, most: pd.DataFrame, criteria: pd.DataFrame
) -> None:
    """图表6.2 (the conditions that are the only one missing, with the sentence on the one that
    is so most often) and 表6.5 (per tier and condition the firms not meeting it)."""
    ch.heading("ch06.section_blocking", level=2)
    source = ch.source_line(FIRM_ROWS, criteria)
    rows = blocking[blocking["only_blocker"] > 0]
    if most.empty:
        ch.text("ch06.candidates_table.none")
    else:
        labels = [
            chart_label(ch, tier, condition)
            for tier, condition in zip(rows["tier"], rows["condition"], strict=True)
        ]
        figure = charts.bar_chart(
            rows.assign(label=labels),
            "label",
            "only_blocker",
            value_label=ch.t("ch06.blocking_figure.axis"),
        )
        top = most.iloc[0]
        ch.figure(
            figure,
            "blocking",
            "ch06.blocking_figure",
            source,
            data=FIGURE_DATA_BELOW,
            tier=tier_name(ch, top["tier"]),
            condition=top["condition"],
            n=ch.fmtu(top["only_blocker"], "家"),
            share=ch.fmt(top["only_share"], "share"),
        )
    shown = blocking.assign(tier=blocking["tier"].map(lambda tier: tier_short(ch, tier)))
    shown = shown[["tier", "condition", "not_met", "only_blocker"]].rename(
        columns={
            "tier": "screen_tier",
            "condition": "screen_condition",
            "not_met": "screen_blocking_not_met",
            "only_blocker": "screen_only_blocker",
        }
    )
    ch.save_table(
        shown,
        "blocking",
        source=source,
        number=ch.t("ch06.blocking_table.number"),
        title=ch.t("ch06.blocking_table.title"),
        units={"screen_blocking_not_met": "家", "screen_only_blocker": "家"},
    )


def blocking_missing(ch: Chapter) -> None:
    """6.4's placeholders when the firms' file has nothing to screen on."""
    ch.heading("ch06.section_blocking", level=2)
    placeholder(ch, "figure", "blocking", "ch06.blocking_figure")
    placeholder(ch, "table", "blocking", "ch06.blocking_table")


# 6.5 The closest candidates -----------------------------------------------------------------
def candidates(
    ch: Chapter,
    candidates: pd.DataFrame,
    closest: pd.DataFrame,
    conditions: pd.Series,
    value_threshold_gap: Callable,
    criteria: pd.DataFrame,
    top: int,
) -> None:
    """6.5's sentence and 表6.6: on the page the `closest` candidates of each tier with the
    firm's value, the threshold and the gap (helpers.screening.present.value_threshold_gap,
    handed in), in the table's files every candidate."""
    ch.heading("ch06.section_candidates", level=2)
    if candidates.empty:
        ch.text("ch06.candidates_table.none")
        return
    ch.text("ch06.candidates_table.reading", total=ch.fmt(len(candidates), "家"))
    shown_rows = []
    for row in closest.itertuples():
        value = threshold = gap = "–"
        if not pd.isna(row.value):
            value, threshold, gap = value_threshold_gap(
                row.value, row.threshold, row.gap, row.unit, ch.language
            )
        shown_rows.append(
            {
                # the firm first: the one left-aligned column holds the longest text
                "screen_firm": row.firm_id + (f" {row.name}" if ch.language == "zh" else ""),
                "screen_tier": tier_short(ch, row.tier),
                "screen_province": ch.name(row.province),
                "screen_condition": row.condition,
                "screen_value": value,
                "screen_threshold": threshold,
                "screen_gap": gap,
            }
        )
    saved = candidates.assign(
        tier=candidates["tier"].map(lambda tier: tier_name(ch, tier)),
        condition=candidates["criterion_id"].map(conditions),
    )
    ch.save_table(
        saved,
        "candidates",
        source=ch.source_line(FIRM_ROWS, criteria),
        number=ch.t("ch06.candidates_table.number"),
        title=ch.t("ch06.candidates_table.title", n=ch.fmt(top, "项")),
        shown=pd.DataFrame(shown_rows),
    )


def candidates_missing(ch: Chapter, top: int) -> None:
    """6.5's placeholder when the firms' file has nothing to screen on."""
    ch.heading("ch06.section_candidates", level=2)
    placeholder(ch, "table", "candidates", "ch06.candidates_table", n=ch.fmt(top, "项"))


# 6.6 004's worked examples --------------------------------------------------------------------
def points_words(ch: Chapter, low: float, high: float) -> str:
    """'95分', or '66分至92分' when some indicators are unknown."""
    key = "total" if low == high else "total_range"
    return ch.t(f"screening.points.{key}", low=ch.fmtu(low, "分"), high=ch.fmtu(high, "分"))


def example_targets(example_rows: pd.DataFrame, roots: dict) -> dict[str, str]:
    """Each worked example's target tier (qzd_example_assessments, in the 2022 names) as the code
    of that tier's root in `roots` (A企业 -> CX)."""
    codes = tier_codes(roots)
    targets = example_rows.drop_duplicates("firm").set_index("firm")["target_tier"]
    return {firm: codes[tier] for firm, tier in targets.items()}


def check_transcription(ch: Chapter, rows: pd.DataFrame, transcribed: pd.DataFrame, names) -> None:
    """The thresholds of the 2022 rulebook's conditions (`rows`, rulebook_conditions) against
    004's transcription of the same conditions (`transcribed`, miit_criteria), by criterion id:
    a threshold copied wrongly into either table shows as a mismatch."""
    ours = rows[rows["threshold"].notna()].set_index("criterion_id")["threshold"]
    theirs = transcribed[transcribed["threshold"].notna()].set_index("criterion_id")
    shared = theirs[theirs.index.isin(ours.index)]
    # one check per unit, so each threshold is shown in its own (60分, 1,000万元, 10%)
    for unit, group in shared.groupby(shared["unit"].fillna(""), sort=False):
        items = [ch.t("ch06.checks.transcription", condition=names[c]) for c in group.index]
        ch.check(
            group,  # 004's rows by criterion id: each stated threshold is its printed cell
            pd.Series(items, index=group.index),
            group["threshold"],
            ours.loc[group.index].astype(float),
            unit=unit or None,
        )


def examples(ch: Chapter, worked, example_rows: pd.DataFrame) -> None:
    """004's worked examples recomputed under the 2022 rulebook (`worked`: their firms
    screened): A's and B's total points recorded and checked against 004's points, in total
    and by dimension, and the sentence saying so."""
    totals = example_totals(worked, example_rows)
    # A loop: each example's totals cite its own rows, and its checks go dimension by dimension.
    for row in totals.itertuples():
        rows = example_rows[example_rows["firm"] == row.firm]
        firm = ch.t(f"ch06.example_firms.{row.firm}")
        ch.record("examples.{case}.total", row.low, source=rows, case=row.firm, firm=firm)
        ch.record("examples.{case}.total_high", row.high, source=rows, case=row.firm, firm=firm)
        item = ch.t("ch06.examples.item_total", firm=firm, tier=tier_name(ch, row.tier))
        ch.check(rows, item, row.stated, float(row.low), unit="分")
        for dimension, part in rows.groupby("dimension", sort=False):
            dimension_words = ch.t(f"ch06.dimensions.{dimension}")
            item = ch.t("ch06.examples.item_dimension", firm=firm, dimension=dimension_words)
            recomputed = worked.scores.total(row.tier, dimension)[0][row.firm]
            ch.check(part, item, float(part["points"].sum()), float(recomputed), unit="分")
    low_high = totals.set_index("firm")[["low", "high"]]
    ch.text(
        "ch06.examples.reading_2022",
        a_total=points_words(ch, *low_high.loc["A企业"]),
        b_total=points_words(ch, *low_high.loc["B企业"]),
    )


# One firm's card (notebooks/assess.ipynb) ----------------------------------------------------
def record_card(ch: Chapter, card, points_rules: pd.DataFrame) -> None:
    """A firm's card: each tier's total score, the value and gap of every condition that has a
    number (declared condition by condition, each in its own unit) and every indicator's
    points."""
    totals = card_totals(card)
    totals = totals.assign(tier=totals["tier"].map(lambda tier: tier_name(ch, tier)))
    ch.record_table(totals, "{tier_code}.total_low", "{tier_code}.total_high", source=points_rules)
    ch.record_table(
        card_values(card),
        "{tier_code}.{criterion_id}.value",
        "{tier_code}.{criterion_id}.gap",
        unit_column="unit",
        source=FIRM_ROWS,
    )
    points = card_points(card)
    points = points.assign(tier=points["tier"].map(lambda tier: tier_name(ch, tier)))
    ch.record_table(
        points,
        "{tier_code}.{indicator_id}.low",
        "{tier_code}.{indicator_id}.high",
        source=points_rules,
    )


def card_verdict(ch: Chapter, card, points_range: Callable, range_explained: Callable) -> None:
    """The verdict: the highest tier the firm meets (or that it meets none), then each tier's
    outcome with its total score where it has points (helpers.screening.cards.points_range,
    handed in: '80分' or 'at least 66, at most 92'), and what a range of points means
    (helpers.screening.cards.range_explained, handed in)."""
    ch.heading("ch06.assess.section_verdict", level=2)
    totals = card_totals(card)
    met = totals[totals["outcome"] == "met"]
    review = totals[totals["outcome"] == "review"]
    if len(met):
        ch.text("ch06.assess.verdict_met", tier=tier_name(ch, met["tier"].iloc[-1]))
    else:
        ch.text("ch06.assess.verdict_none")
    if len(review):
        ch.text("ch06.assess.verdict_review", tier=tier_name(ch, review["tier"].iloc[0]))
    for row in totals.itertuples():
        name = tier_name(ch, row.tier)
        outcome = ch.t(f"screening.outcome.{row.outcome}")
        if pd.isna(row.low):
            ch.text("ch06.assess.summary", tier=name, outcome=outcome)
            continue
        ch.text(
            "ch06.assess.summary_points",
            tier=name,
            outcome=outcome,
            points=points_range(row.low, row.high, ch.language),
            max_points=ch.fmtu(row.max_points, "分"),
        )
    for tier in card.result.roots:
        explained = range_explained(card, tier)
        if explained:
            ch.text("ch06.assess.sentence", text=explained)


def card_tiers(
    ch: Chapter,
    card,
    points_rules: pd.DataFrame,
    conditions_table: Callable,
    points_table: Callable,
) -> None:
    """Tier by tier: its conditions in plain words (what each requires, the firm's value, the
    outcome, a score's points), then its points, each a table (helpers.screening.cards
    .conditions_table and points_table, handed in); the rule ids only in the tables' files."""
    rows = card.rulebook.conditions if card.rulebook is not None else points_rules.iloc[:0]
    for tier, root in card.result.roots.items():
        name = tier_name(ch, tier)
        code = root.id.lower()
        ch.heading("ch06.assess.section_tier", level=2, tier=name)
        table = conditions_table(card, tier)
        tier_rows = rows[rows["tier"] == tier] if len(rows) else rows
        ch.save_table(
            table,
            f"{code}_conditions",
            source=ch.source_line(FIRM_ROWS, *([tier_rows] if len(tier_rows) else [])),
            title=ch.t("ch06.assess.conditions_title", tier=name),
            shown=table.drop(columns=["screen_criterion"]),
        )
        if card.assessment.points["tier"].eq(tier).any():
            # one row per annex: the points rules' document and annex, not every item
            scored = points_rules[points_rules["indicator_id"].str.startswith(f"{root.id}.")]
            annexes = scored.drop_duplicates("source_doc")
            table = points_table(card, tier)
            ch.save_table(
                table,
                f"{code}_points",
                source=ch.source_line(FIRM_ROWS, annexes),
                title=ch.t("ch06.assess.points_title", tier=name),
                shown=table.drop(columns=["screen_indicator_id"]),
            )


def card_next_steps(ch: Chapter, sentences: list[str]) -> None:
    """What would have to change, one paragraph per tier (helpers.screening.cards.next_steps)."""
    ch.heading("ch06.assess.section_next", level=2)
    for sentence in sentences:
        ch.text("ch06.assess.sentence", text=sentence)
