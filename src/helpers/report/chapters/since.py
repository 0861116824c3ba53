"""Chapter 5's section on what came after the 2023 reports (notebooks/05_context.ipynb): the
batch publicity counts through batch 7 as a chart, MIIT's totals and PatSnap's 2025 headline
figures as a table (each with its source's trust mark), the sentences that tell them, and the
checks that find their inconsistencies (helpers.stats.since)."""

from __future__ import annotations

import pandas as pd

from helpers.report import charts, words
from helpers.report.chapter import Chapter
from helpers.report.format import format_qualified, unit_label
from helpers.stats import since as st


def figure_value(ch: Chapter, rows: pd.DataFrame, item: str) -> str:
    """A figure of figures_since_2023 as the source printed it, hedge word and unit included,
    counts of 10万 and more in 万 (超14万家, 1.76万家, 4.84万亿元, 7%)."""
    row = rows.set_index("item").loc[item]
    qualifier = None if pd.isna(row["qualifier"]) else row["qualifier"]
    return format_qualified(row["value_stated"], row["unit"], qualifier, ch.language, compact=True)


def named_value(ch: Chapter, rows: pd.DataFrame, item: str) -> str:
    """figure_value for a sentence that names what is counted after the figure: in English the
    unit's noun is left out (17,600 Little Giants, not 17,600 firms Little Giants); Chinese keeps
    its measure word (17,600家“小巨人”企业)."""
    text = figure_value(ch, rows, item)
    unit = rows.set_index("item").loc[item, "unit"]
    if ch.language != "zh" and unit in ("家", "件"):
        text = text.removesuffix(" " + unit_label(unit, ch.language))
    return text


def batches(ch: Chapter, publicity: pd.DataFrame, growth: float, figures: pd.DataFrame, n: float):
    """图 of the batches' publicity counts through the latest batch, with the sentence on the
    batches since the 2023 reports and the 2025 re-review (`n`: the firms re-reviewed)."""
    rows = st.batches(publicity)
    shown = rows.assign(label=[words.batch_name(b, ch.language) for b in rows["batch_no"]])
    figure = charts.bar_chart(  # in batch order, as 图1.4 draws the batches
        shown, "label", "announced", value_label=ch.t("ch05.since.batches.axis"), sort=False
    )
    latest, before = rows.iloc[-1], rows.iloc[-2]
    ch.figure(
        figure,
        "since_batches",
        "ch05.since.batches",
        ch.source_line(publicity),
        data=shown[["label", "year", "announced"]].rename(columns={"label": "batch"}),
        data_units={"announced": "家", "year": "年"},
        first=words.batch_name(int(rows["batch_no"].iloc[0]), ch.language),
        last=words.batch_name(int(latest["batch_no"]), ch.language),
        latest=words.batch_name(int(latest["batch_no"]), ch.language),
        latest_year=ch.t("ch05.year", year=int(latest["year"])),
        latest_n=ch.fmtu(latest["announced"], "家"),
        before=words.batch_name(int(before["batch_no"]), ch.language),
        before_year=ch.t("ch05.year", year=int(before["year"])),
        before_n=ch.fmtu(before["announced"], "家"),
        growth=ch.fmt(growth, "rate"),
        passed=figure_value(ch, figures, "rereview_2025_passed"),
        rate=figure_value(ch, figures, "rereview_2025_pass_rate"),
        reviewed=ch.fmtu(round(n), "家"),
    )


def miit(ch: Chapter, figures: pd.DataFrame) -> None:
    """The sentence with MIIT's totals of 2026 and of the end of 2024."""
    value = {item: named_value(ch, figures, item) for item in figures["item"]}
    ch.text("ch05.since.miit", **value)


def patsnap(ch: Chapter, figures: pd.DataFrame, checks: pd.DataFrame) -> None:
    """The sentence with PatSnap's 2025 headline figures, as that edition's own claims, and the
    one that does not hold together (its valid invention patents per firm)."""
    value = {item: named_value(ch, figures, item) for item in figures["item"]}
    first = checks.set_index("item").loc["patsnap_2025_valid_inventions_per_firm"]
    ch.text(
        "ch05.since.patsnap",
        recomputed=ch.fmtu(first["recomputed"], "件/家", decimals=1),
        **value,
    )


def figures_table(ch: Chapter, figures: pd.DataFrame) -> None:
    """Every figure since the 2023 reports as printed, with who published it, about whom, when,
    and how far its source can be trusted."""
    shown = pd.DataFrame(
        {
            "since_publisher": [ch.t(f"ch05.since.publishers.{p}") for p in figures["publisher"]],
            "since_population": [ch.name(p) for p in figures["population"]],
            "since_indicator": [ch.name(i) for i in figures["indicator"]],
            "since_value": [figure_value(ch, figures, item) for item in figures["item"]],
            "since_period": figures["period"].astype(str).to_numpy(),
            "since_trust": [ch.t(f"screening.trust.{t}") for t in figures["trust"]],
        }
    )
    ch.save_table(
        figures.assign(**{c: shown[c].to_numpy() for c in shown.columns}),
        "since_figures",
        source=ch.source_line(figures),
        title=ch.t("ch05.since.table_title"),
        shown=shown,
    )


def checks(ch: Chapter, figures: pd.DataFrame, per_firm: pd.DataFrame, publicity, compared):
    """The per-firm figures and shares recomputed from their totals (helpers.stats.since
    .per_firm_checks), the latest batch's growth from the two counts, and the publicity counts
    against the final lists 001 used (`compared`: since.publicity_vs_final)."""
    for check in per_firm.itertuples():
        rows = st.check_rows(figures, pd.Series(check._asdict()))
        ch.check(
            rows.iloc[[0]],
            ch.t(f"ch05.since.checks.{check.item}"),
            check.stated,
            check.recomputed,
            unit=check.unit,
        )
    growth = publicity[publicity["growth_stated"].notna()]
    for row in growth.itertuples():
        ch.check(
            growth.loc[[row.Index]],
            ch.t("ch05.since.checks.growth", batch=words.batch_name(row.batch_no, ch.language)),
            row.growth_stated,
            st.batch_growth(publicity, row.batch_no),
            decimals=3,
            unit="rate",
        )
    rows = st.batches(publicity)
    shared = rows[rows["batch_no"].isin(compared["batch_no"])].set_index("batch_no")
    final = compared.set_index("batch_no")["final"]
    ch.check(
        shared.reset_index().set_index("batch_no", drop=False),
        pd.Series(
            [
                ch.t("ch05.since.checks.publicity", batch=words.batch_name(b, ch.language))
                for b in shared.index
            ],
            index=shared.index,
        ),
        shared["announced"],
        final.loc[shared.index].astype(float),
        unit="家",
    )


def named(ch: Chapter, per_firm: pd.DataFrame) -> pd.DataFrame:
    """The per-firm checks (helpers.stats.since.per_firm_checks) with `name`, each figure's
    words, for the labels of the statistics recorded from them."""
    return per_firm.assign(name=[ch.t(f"ch05.since.checks.{item}") for item in per_firm["item"]])


def section(
    ch: Chapter,
    publicity: pd.DataFrame,
    figures: pd.DataFrame,
    growth: float,
    reviewed: float,
    per_firm: pd.DataFrame,
    final: pd.DataFrame,
) -> None:
    """The section after the 2023 reports: its heading, the batches' chart and sentence, MIIT's
    figures, where the criteria are (chapter 6), PatSnap's figures in words and as a table, and
    the checks (`final`: the publicity counts against 001's lists,
    helpers.stats.since.publicity_vs_final)."""
    ch.heading("ch05.section_since", level=2)
    batches(ch, publicity, growth, figures, reviewed)
    miit(ch, figures)
    # the criteria tables are chapter 6's, one per rulebook: referred to, never repeated here
    ch.text("ch05.since.criteria", section=ch.t("ch06.section_criteria"))
    patsnap(ch, figures, per_firm)
    figures_table(ch, figures)
    checks(ch, figures, per_firm, publicity, final)
