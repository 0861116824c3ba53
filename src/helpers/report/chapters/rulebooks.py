"""Chapter 6's policy story (notebooks/06_screening.ipynb): which MIIT measures judged the
batches and judge firms on the assessment date, what changed in 2026, one criteria table per
rulebook, the firms' tiers under both rulebooks side by side with the conditions that move
most firms across a line, and 004's worked examples under both, with the assumptions made.

helpers.report sits below helpers.screening: the rulebooks, their trees and screenings come in
as arguments (their attributes are read, nothing is imported), and where words need the rules'
logic (a condition's name, what it requires) the notebook hands in helpers.screening.present's
functions. Rule codes never reach a reader: they stay in the tables' files."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from helpers.report import charts, words
from helpers.report.chapter import FIGURE_DATA_BELOW, Chapter
from helpers.report.chapters.screening import FIRM_ROWS, tier_name, tier_short

# The counts of each rulebook's tiers recorded side by side (compare.{rulebook}.{tier_code}.*).
COMPARED = ("met", "review", "not_met", "unknown", "passes")


def date_words(ch: Chapter, iso: str) -> str:
    return words.format_date(iso, ch.language)


def book_title(ch: Chapter, book) -> str:
    """《优质中小企业梯度培育管理办法》（工信部企业〔2026〕2号）in the edition's words."""
    return ch.t(f"ch06.rulebooks.titles.{book.id}")


# 6.1 Which measures ----------------------------------------------------------------------------
def applied(
    ch: Chapter,
    book,
    date: str,
    cutoff: str,
    successor,
    transitions: pd.DataFrame,
    key: str = "ch06.rulebooks.applied",
):
    """Which rulebook judges the firms (or, `key` = ch06.assess.rulebook, one firm) on the
    assessment date and why, and the transition rules by which it still judges something
    after a newer rulebook took over."""
    until = ""
    if successor is not None:
        until = ch.t(
            "ch06.rulebooks.until",
            end=date_words(ch, book.in_force_to),
            next=book_title(ch, successor),
            start=date_words(ch, successor.in_force_from),
        )
    ch.text(
        key,
        date=date_words(ch, date),
        default=ch.t("ch06.rulebooks.default_date") if date == cutoff else "",
        title=book_title(ch, book),
        start=date_words(ch, book.in_force_from),
        until=until,
    )
    for row in transitions.itertuples():
        ch.text(f"ch06.transitions.{row.transition}")


def batches(ch: Chapter, judged: pd.DataFrame, books: dict, in_data: list[int]) -> None:
    """Which measures judged each batch (helpers.screening.rulebooks.batches_judged), said in
    runs of batches judged alike, and which of them the data holds."""
    names = {n: words.batch_name(n, ch.language) for n in judged["batch_no"]}
    clauses = []
    key = judged[["judged_by", "from_date"]].astype(str).agg("|".join, axis=1)
    runs = judged.assign(run=(key != key.shift()).cumsum())
    for _, run in runs.groupby("run", sort=False):
        first, last = run.iloc[0], run.iloc[-1]
        span = names[first.batch_no]
        if len(run) > 1:
            span = ch.t("ch06.rulebooks.span", first=span, last=names[last.batch_no])
        years = str(first.year) if len(run) == 1 else f"{first.year}–{last.year}"
        if not first.judged_by:
            clauses.append(ch.t("ch06.rulebooks.batches_earlier", batches=span, years=years))
        elif first.from_date:
            book = books[first.judged_by]
            clauses.append(
                ch.t(
                    "ch06.rulebooks.batches_partly",
                    batches=span,
                    years=years,
                    title=ch.t(f"ch06.rulebooks.short.{book.id}"),
                    start=date_words(ch, first.from_date),
                )
            )
        else:
            book = books[first.judged_by]
            clauses.append(
                ch.t(
                    "ch06.rulebooks.batches_under",
                    batches=span,
                    years=years,
                    title=ch.t(f"ch06.rulebooks.short.{book.id}"),
                )
            )
    again = judged[judged["re_review"] != ""]
    if len(again):
        clauses.append(
            ch.t(
                "ch06.rulebooks.re_review",
                batches=words.join([names[n] for n in again["batch_no"]], ch.language),
                year=again["re_review_year"].iloc[0],
                title=ch.t(f"ch06.rulebooks.short.{again['re_review'].iloc[0]}"),
            )
        )
    held = [names[n] for n in in_data if n in names]
    ch.text(
        "ch06.rulebooks.batches",
        held=words.join(held, ch.language) if held else ch.t("ch06.rulebooks.no_batches"),
        clauses=ch.t("common.clause_separator").join(clauses),
    )


def record_counts(ch: Chapter, counts: pd.DataFrame, rows: pd.DataFrame) -> None:
    """Per rulebook its conditions, those only a review decides, and those known only from
    secondary sources (helpers.screening.rulebooks.condition_counts)."""
    shown = counts.assign(title=[ch.t(f"ch06.rulebooks.short.{b}") for b in counts["rulebook"]])
    ch.record_table(
        shown,
        "rulebooks.{rulebook}.conditions",
        "rulebooks.{rulebook}.review",
        "rulebooks.{rulebook}.secondary",
        source=lambda row: rows[rows["rulebook"] == row["rulebook"].iloc[0]],
    )


# 6.1 What changed --------------------------------------------------------------------------------
def changes(
    ch: Chapter,
    table: pd.DataFrame,
    old,
    new,
    condition_name: Callable,
    requirement: Callable,
    rows: pd.DataFrame,
) -> None:
    """What the newer rulebook changed (helpers.screening.compare.rule_changes): a sentence with
    the counts and the main changes, and a table of every condition that changed, was added or
    was dropped, tier by tier (the unchanged ones are counted, not listed)."""
    shown = table[table["status"] != "same"]
    counts = table["status"].value_counts()
    tiers = {root.id: tier for tier, root in new.roots.items()}
    old_tiers = {root.id: tier for tier, root in old.roots.items()}

    def side(rule) -> str:
        if rule is None:
            return "–"
        return requirement(rule, ch.language)

    lines = []
    for row in shown.itertuples():
        rule = row.new if row.new is not None else row.old
        roots = new.roots if row.new is not None else old.roots
        lines.append(
            {
                "screen_criterion_old": row.old.id if row.old is not None else "",
                "screen_criterion_new": row.new.id if row.new is not None else "",
                "screen_condition": condition_name(rule, ch.language, roots),
                "screen_tier": tier_short(ch, tiers.get(row.tier_code, old_tiers[row.tier_code])),
                "screen_old": side(row.old),
                "screen_new": side(row.new),
                "screen_change": ch.t(f"ch06.changes.status.{row.status}"),
            }
        )
    frame = pd.DataFrame(lines)
    ch.text(
        "ch06.changes.reading",
        old=book_title(ch, old),
        new=book_title(ch, new),
        first=tier_name(ch, next(iter(new.roots))),
        stricter=ch.fmtu(int(counts.get("stricter", 0)), "项"),
        looser=ch.fmtu(int(counts.get("looser", 0)), "项"),
        added=ch.fmtu(int(counts.get("added", 0)), "项"),
        removed=ch.fmtu(int(counts.get("removed", 0)), "项"),
        same=ch.fmtu(int(counts.get("same", 0)), "项"),
    )
    ch.save_table(
        frame,
        "rulebook_changes",
        source=ch.source_line(rows),
        title=ch.t(
            "ch06.changes.title",
            old=ch.t(f"ch06.rulebooks.short.{old.id}"),
            new=ch.t(f"ch06.rulebooks.short.{new.id}"),
        ),
        shown=frame.drop(columns=["screen_criterion_old", "screen_criterion_new"]),
    )


def record_changes(ch: Chapter, table: pd.DataFrame, rows: pd.DataFrame) -> None:
    """How many conditions the newer rulebook made stricter, looser, added, dropped or kept."""
    counts = table["status"].value_counts().rename_axis("status").reset_index(name="conditions")
    counts = counts.assign(
        status_words=[ch.t(f"ch06.changes.status.{s}") for s in counts["status"]]
    )
    ch.record_table(counts, "changes.{status}", source=rows)


def transitions(ch: Chapter, rows: pd.DataFrame) -> None:
    """The transition rules between the rulebooks as a table: what each applies to, which
    rulebook still judges it, from when (to when), and how far its source can be trusted."""
    shown = pd.DataFrame(
        {
            "screen_transition": [ch.t(f"ch06.transitions.{t}") for t in rows["transition"]],
            "screen_judged_by": [ch.t(f"ch06.rulebooks.short.{b}") for b in rows["judged_by"]],
            "screen_period": [
                date_words(ch, start)
                if pd.isna(end)
                else ch.t(
                    "ch06.rulebooks.period", start=date_words(ch, start), end=date_words(ch, end)
                )
                for start, end in zip(rows["start"], rows["end"], strict=True)
            ],
            "screen_trust": [ch.t(f"screening.trust.{t}") for t in rows["trust"]],
        }
    )
    ch.save_table(
        rows.assign(**shown),
        "transitions",
        source=ch.source_line(rows),
        title=ch.t("ch06.transitions.table_title"),
        shown=shown,
        inferred=rows["inferred"].tolist(),
    )


def card_trust(ch: Chapter, counts: pd.DataFrame) -> None:
    """On a card: how many of the conditions it applies are known only from secondary sources."""
    row = counts.iloc[0]
    ch.text(
        "ch06.assess.trust",
        conditions=ch.fmtu(int(row["conditions"]), "项"),
        secondary=ch.fmtu(int(row["secondary"]), "项"),
    )


def criteria(ch: Chapter, book, display: pd.DataFrame, rows: pd.DataFrame) -> None:
    """One rulebook's criteria as a reader's table (helpers.screening.present.criteria_display):
    each tier and its conditions in plain words, what each requires and how far its source can
    be trusted; our readings (inferred rows) marked †."""
    shown = display[["screen_condition", "screen_requirement", "screen_trust"]]
    own = rows[(rows["rulebook"] == book.id) & rows["threshold"].notna()]
    names = dict(
        zip(display["screen_criterion"], display["screen_condition"].str.strip(), strict=True)
    )
    ch.record_table(
        own.assign(
            title=ch.t(f"ch06.rulebooks.short.{book.id}"),
            condition=own["criterion_id"].map(names),
        ),
        "criteria.{rulebook}.{criterion_id}.threshold",
        unit_column="unit",
    )
    ch.save_table(
        display.drop(columns=["inferred"]),
        f"criteria_{book.id}",
        source=ch.source_line(book.row, rows[rows["rulebook"] == book.id]),
        title=ch.t(
            "ch06.criteria_table.title",
            title=book_title(ch, book),
            start=date_words(ch, book.in_force_from),
        ),
        shown=shown,
        inferred=display["inferred"].tolist(),
    )


def trust_note(ch: Chapter, counts: pd.DataFrame, books: dict) -> None:
    """That the criteria are known from secondary sources, rulebook by rulebook."""
    parts = [
        ch.t(
            "ch06.rulebooks.trust_part",
            title=ch.t(f"ch06.rulebooks.short.{row.rulebook}"),
            secondary=ch.fmtu(row.secondary, "项"),
            conditions=ch.fmtu(row.conditions, "项"),
        )
        for row in counts.itertuples()
    ]
    ch.text("ch06.rulebooks.trust", parts=ch.t("common.clause_separator").join(parts))


# 6.2 Both rulebooks side by side --------------------------------------------------------------
def record_side_by_side(ch: Chapter, side: pd.DataFrame) -> None:
    """Each rulebook's tier counts (helpers.screening.compare.side_by_side)."""
    rows = side.assign(tier=side["tier"].map(lambda tier: tier_name(ch, tier)))
    rows = rows.assign(title=[ch.t(f"ch06.rulebooks.short.{b}") for b in rows["rulebook"]])
    # A loop over the keys (not the rows): each key's label names its own outcome.
    for count in COMPARED:
        outcome = ch.t(f"ch06.count_names.{count}")
        key = f"compare.{{rulebook}}.{{tier_code}}.{count}"
        ch.record_table(rows, key, source=FIRM_ROWS, outcome=outcome)


def record_crossings(ch: Chapter, totals: pd.DataFrame, table: pd.DataFrame, names, new) -> None:
    """Per tier the firms that lose or gain it between the rulebooks, and per condition how many
    of them it moved (helpers.screening.compare.crossing_totals and crossings; tiers named as
    the `new` rulebook names them)."""
    tiers = {root.id: tier_name(ch, tier) for tier, root in new.roots.items()}
    totals = totals.assign(tier=totals["tier_code"].map(tiers))
    ch.record_table(
        totals, "crossing.{tier_code}.lost", "crossing.{tier_code}.gained", source=FIRM_ROWS
    )
    rows = table.assign(
        tier=table["tier_code"].map(tiers),
        condition=[names[(r.rulebook, r.criterion_id)] for r in table.itertuples()],
        direction_words=[ch.t(f"ch06.crossings.{d}") for d in table["direction"]],
    )
    ch.record_table(rows, "crossing.{tier_code}.{direction}.{criterion_id}", source=FIRM_ROWS)


def side_by_side_figure(ch: Chapter, side: pd.DataFrame, books: dict):
    """Per tier the firms that pass it under each rulebook (met, or every condition the data
    decides met and the rest awaiting review)."""
    long = side.assign(
        tier_label=[tier_short(ch, t) for t in side["tier"]],
        book=[ch.t(f"ch06.rulebooks.short.{b}") for b in side["rulebook"]],
    )
    # The tiers by code: 创新型 and 科技和创新型 are one bar group (the first tier renamed).
    first = side[side["rulebook"] == side["rulebook"].iloc[-1]]
    order = dict(zip(first["tier_code"], [tier_short(ch, t) for t in first["tier"]], strict=True))
    long["tier_label"] = long["tier_code"].map(order)
    return charts.grouped_bar_chart(
        long,
        "tier_label",
        "book",
        "passes",
        value_label=ch.t("ch06.side_by_side.axis"),
        category_order=list(order.values()),
        series_order=[ch.t(f"ch06.rulebooks.short.{b}") for b in books],
        unit="家",
        language=ch.language,
    )


def side_by_side(
    ch: Chapter,
    side: pd.DataFrame,
    totals: pd.DataFrame,
    table: pd.DataFrame,
    books: dict,
    names: dict,
    rows: pd.DataFrame,
) -> None:
    """The figure and table of the tiers under both rulebooks, and per tier the sentence on the
    firms that cross the line and the conditions that move most of them."""
    old, new = list(books.values())[:2]
    source = ch.source_line(FIRM_ROWS, rows)
    ch.figure(
        side_by_side_figure(ch, side, books),
        "side_by_side",
        "ch06.side_by_side",
        source,
        data=FIGURE_DATA_BELOW,
        old=ch.t(f"ch06.rulebooks.short.{old.id}"),
        new=ch.t(f"ch06.rulebooks.short.{new.id}"),
        firms=ch.fmtu(int(side["firms"].iloc[0]), "家"),
    )
    shown = side.assign(
        tier=[tier_short(ch, t) for t in side["tier"]],  # short names: no wrapped cells
        rulebook=[ch.t(f"ch06.rulebooks.short.{b}") for b in side["rulebook"]],
    )[["rulebook", "tier", "met", "review", "not_met", "unknown", "missing_one"]]
    shown = shown.rename(columns=lambda c: f"screen_{c}")
    ch.save_table(
        shown,
        "side_by_side",
        source=source,
        title=ch.t("ch06.side_by_side.table_title"),
        units={c: "家" for c in shown.columns if c not in ("screen_rulebook", "screen_tier")},
    )
    tiers = {root.id: tier for tier, root in new.roots.items()}
    for row in totals.itertuples():
        if not (row.lost or row.gained):
            ch.text("ch06.crossings.none", tier=tier_name(ch, tiers[row.tier_code]))
            continue
        parts = []
        for direction, count in (("lost", row.lost), ("gained", row.gained)):
            reasons = table[
                (table["tier_code"] == row.tier_code) & (table["direction"] == direction)
            ]
            if not count:
                continue
            top = reasons.head(3)
            named = [
                ch.t(
                    "ch06.crossings.reason",
                    condition=names[(r.rulebook, r.criterion_id)],
                    n=ch.fmtu(r.firms, "家"),
                    share=ch.fmt(r.share, "share"),
                )
                for r in top.itertuples()
            ]
            parts.append(
                ch.t(
                    f"ch06.crossings.{direction}_sentence",
                    n=ch.fmtu(count, "家"),
                    reasons=words.join(named, ch.language),
                )
            )
        ch.text(
            "ch06.crossings.reading",
            tier=tier_name(ch, tiers[row.tier_code]),
            old=ch.t(f"ch06.rulebooks.short.{old.id}"),
            new=ch.t(f"ch06.rulebooks.short.{new.id}"),
            old_n=ch.fmtu(row.old_passes, "家"),
            new_n=ch.fmtu(row.new_passes, "家"),
            parts=ch.t("common.clause_separator").join(parts),
        )
    saved = table.assign(
        tier=table["tier_code"].map(lambda code: tier_short(ch, tiers[code])),
        condition=[names[(r.rulebook, r.criterion_id)] for r in table.itertuples()],
        direction_words=[ch.t(f"ch06.crossings.{d}") for d in table["direction"]],
    )
    columns = ["tier", "direction_words", "condition", "criterion_id", "firms", "crossing"]
    saved = saved[[*columns, "share"]].rename(columns=lambda c: f"screen_x_{c}")
    shown = saved.drop(columns=["screen_x_criterion_id"]).assign(
        screen_x_firms=[ch.fmt(v, "家") for v in saved["screen_x_firms"]],
        screen_x_crossing=[ch.fmt(v, "家") for v in saved["screen_x_crossing"]],
        screen_x_share=[ch.fmt(v, "share") for v in saved["screen_x_share"]],
    )
    ch.save_table(
        saved, "crossings", source=source, title=ch.t("ch06.crossings.table_title"), shown=shown
    )


def condition_names(books: dict, condition_name: Callable, language: str) -> dict:
    """(rulebook id, criterion id) → the condition's name in words (helpers.screening.present
    .condition_name, handed in), for every rule of every rulebook."""
    return {
        (book.id, rule.id): condition_name(rule, language, book.roots)
        for book in books.values()
        for root in book.roots.values()
        for rule in root.walk()
    }


# 004's worked examples under both rulebooks ---------------------------------------------------
def examples(
    ch: Chapter,
    outcomes: pd.DataFrame,
    assumptions: dict[str, tuple[str, ...]],
    books: dict,
    example_rows: pd.DataFrame,
    points_range: Callable,
    points_rules: pd.DataFrame,
) -> None:
    """004's three examples under each rulebook (helpers.screening.compare.example_outcomes):
    a table with the target tier, 004's own result, the outcome recomputed under each rulebook
    (points where the tier has them) and the assumptions made to read each firm from 004's text,
    and one sentence per example naming those assumptions."""
    lines = []
    for firm, rows in outcomes.groupby("firm", sort=False):
        line = {
            "screen_example": words.capitalised(ch.t(f"ch06.example_firms.{firm}"), ch.language),
            "screen_target": tier_name(ch, rows["tier"].iloc[0]),
            "screen_published": ch.t(f"ch06.examples.published.{firm}"),
        }
        for row in rows.itertuples():
            outcome = ch.t(f"screening.outcome.{row.outcome}")
            if not row.whole_tier:
                outcome = ch.t("ch06.examples.condition_only", outcome=outcome)
            if not pd.isna(row.low):
                outcome = ch.t(
                    "ch06.examples.with_points",
                    outcome=outcome,
                    points=points_range(row.low, row.high, ch.language),
                )
            line[f"screen_{row.rulebook}"] = outcome
        named = [ch.t(f"ch06.examples.assumption.{firm}.{a}") for a in assumptions[firm]]
        line["screen_assumptions"] = ch.t("common.clause_separator").join(named)
        lines.append(line)
        ch.text(
            "ch06.examples.assumptions_sentence",
            firm=ch.t(f"ch06.example_firms.{firm}"),
            items=ch.t("common.clause_separator").join(named),
        )
    frame = pd.DataFrame(lines)
    ch.save_table(
        frame,
        "examples",
        source=ch.source_line(example_rows, points_rules.drop_duplicates("source_doc")),
        title=ch.t("ch06.examples.table_title"),
        # the assumptions are stated in the sentences above; on the page they would crowd the
        # outcomes into a narrow column (the file keeps them)
        shown=frame.drop(columns=["screen_assumptions"]),
    )
