"""A region profile's sections, sentences and figures (notebooks/profile.ipynb), the same for
every province and every city, in this order: which sources it sets side by side; firms and
rank; cities; belt, region and city cluster; 2021 → 2023; financing; then patents and listings
and the batch and industry mix where the data has them; and what the data lacks for the region,
once, in one line. Each section records the numbers it shows (keys declared once for every
region in notebooks/statistics/profile.yml) and compares the region with the nation or its
group; its words are in labels/profile.*.yml. A placeholder stands where a firm-level folder
lacks the inputs of a part."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from helpers.report import charts, region_charts, words
from helpers.report.chapter import Chapter
from helpers.report.chapters.regions import CITY_MIN_FIRMS

# Re-exported: the profile notebook names its page metrics as chapter 3 names its clusters'.
from helpers.report.chapters.regions import named_metrics as named_metrics
from helpers.report.profile import lacking_inputs, unpublished_parts
from helpers.stats import regions
from helpers.stats.descriptive import share
from helpers.stats.profile import RegionProfile, metric_extremes, rank_window


def section(ch: Chapter, name: str) -> None:
    """A section's heading (level 2), the same words for every region."""
    ch.heading(f"profile.sections.{name}", level=2)


def as_of(ch: Chapter, table: str) -> str:
    """The date a loaded table describes as readers see it; a year alone (000's "2021", which
    prints no day) as a year."""
    stated = str(ch.provenance[table]["as_of"])
    if stated.isdigit():
        return ch.t("profile.year", year=stated)
    return ch.as_of(table)


def _metric_value(ch: Chapter, value, unit: str) -> str:
    """A metric's value in a clause that names the metric: with its unit's words in Chinese
    (126.84件/家), the number alone in English, whose metric names say 'per firm'."""
    return ch.fmtu(value, unit) if ch.language == "zh" else ch.fmt(value, unit)


def _gap_words(ch: Chapter, gap: float, key: str) -> tuple[str, str]:
    """A gap in percentage points as its size and its direction's word (高/低)."""
    return ch.fmtu(abs(gap), "pp"), ch.t(f"{key}.{'higher' if gap >= 0 else 'lower'}")


# Sources -------------------------------------------------------------------------------------
def sources(ch: Chapter, profile: RegionProfile, announced: float | None) -> None:
    """Which two populations the page sets side by side, with their dates and counts: 001's
    announced and analysed firms (or the firm-level data's) and 000's 4,851 of 2021."""
    national = ch.record("national_firms", profile.national_total, source=profile.national_rows)
    values = {
        "analysed": ch.fmtu(national, "家"),
        "date_001": as_of(ch, "firms_by_province"),
    }
    if profile.growth is not None:
        values["date_000"] = as_of(ch, "sq_macro_regions")
        values["firms_000"] = ch.fmtu(profile.growth["firms_2021"].iloc[0], "家")
    if ch.source.is_firm_level and profile.growth is not None:
        ch.text("profile.sources_firm_level", **values)
    elif announced is not None and profile.growth is not None:
        ch.text("profile.sources", announced=ch.fmtu(announced, "家"), **values)


# Firms and rank ------------------------------------------------------------------------------
def scale(ch: Chapter, profile: RegionProfile, region: str) -> None:
    """Firms, share of the nation, rank among the provinces (or among the cities with at least
    150 firms) and the multiple of their average; the units a province folds in; the chart of
    every region of its level with the region marked."""
    rows = profile.firms_rows
    firms = ch.record("firms", profile.firms, source=rows, region=region)
    share_of_nation = ch.record(
        "share_of_nation",
        profile.share_of_nation,
        source=(rows, profile.national_rows),
        region=region,
    )
    rank = ch.record("rank", profile.rank, source=profile.ranking, region=region)
    mean = ch.record("mean_firms", profile.mean_firms, source=profile.ranking, region=region)
    multiple = profile.multiple_of_mean  # a multiple of a base below the threshold says nothing
    if not profile.small:
        ch.record("multiple_of_mean", multiple, source=profile.ranking, region=region)
    kind = {"province": "province", "city": "city", "all_cities": "city_unlisted"}
    sentence = "small" if profile.small else kind[profile.ranked_among]
    ch.text(
        f"profile.scale.{sentence}",
        level=ch.t(f"profile.level.{profile.level}"),
        threshold=ch.fmt(regions.SMALL_REGION_FIRMS, "项"),
        region=region,
        firms=ch.fmtu(firms, "家"),
        national=ch.fmtu(profile.national_total, "家"),
        share=ch.fmt(share_of_nation, "share"),
        rank=ch.fmt(rank, "position"),
        rank_of=ch.fmt(profile.rank_of, "项"),
        mean=ch.fmtu(mean, "家", decimals=0),
        multiple=ch.fmtu(multiple, "倍"),
        min_firms=ch.fmt(CITY_MIN_FIRMS, "项"),
    )
    folded = regions.folded_units(profile.region)
    if folded:
        ch.text("profile.scale.folds", region=region, units=ch.names(folded))
    drawn = rank_window(profile.ranking, RANK_BARS)
    figure = rank_chart(
        drawn.assign(shown=drawn["name"].map(_short_name(ch))),
        label=ch.fmtu(firms, "家"),
        axis=ch.t("profile.fig_rank.axis"),
    )
    window = ""  # more cities than the chart draws: which ranks it shows
    if len(drawn) < len(profile.ranking):
        window = ch.t(
            "profile.fig_rank.window",
            first=ch.fmt(drawn["rank"].iloc[0], "position"),
            last=ch.fmt(drawn["rank"].iloc[-1], "position"),
            total=ch.fmt(len(profile.ranking), "项"),
        )
    ch.figure(
        figure,
        "rank",
        f"profile.fig_rank.{kind[profile.ranked_among]}",
        ch.source_line(profile.ranking),
        reading=window,
        data=drawn[["rank", "name", "firms", "is_region"]].rename(columns={"name": "region"}),
        data_units={"rank": "position", "firms": "家"},
        region=region,
        rank=ch.fmt(rank, "项"),
        min_firms=CITY_MIN_FIRMS,
    )


def _short_name(ch: Chapter):
    """A province's or city's short name in the edition's words (江苏, 苏州; Jiangsu)."""
    from helpers.data import reference

    short = {
        **reference.table("provinces").set_index("province")["short_name"].to_dict(),
        **reference.table("cities").set_index("city")["short_name"].to_dict(),
    }
    if ch.language == "zh":
        return lambda name: short.get(name, name)
    return ch.name


# The rank chart draws every province, and of more cities the 31 around the region
RANK_BARS = 31


def rank_chart(ranking: pd.DataFrame, *, label: str, axis: str):
    """Every region of a level as an upright bar, largest first, named by `shown`; the region's
    bar (`is_region`) in the highlight colour and labelled with `label`, the others muted."""
    charts.setup_style()
    width = max(6.0, min(9.0, 0.26 * len(ranking) + 1.2))
    # the names stand upright below: a long one (an autonomous prefecture's English name) needs
    # the room, or the layout gives up with a warning
    longest = max((len(str(name)) for name in ranking["shown"]), default=0)
    fig, ax = plt.subplots(figsize=(width, 3.4 + 0.08 * max(0, longest - 20)))
    colors = [charts.HIGHLIGHT if mine else charts.MUTED for mine in ranking["is_region"]]
    bars = ax.bar(range(len(ranking)), ranking["firms"].astype(float), color=colors)
    ax.set_xticks(range(len(ranking)), list(ranking["shown"]), rotation=90)
    for tick, mine in zip(ax.get_xticklabels(), ranking["is_region"], strict=True):
        if mine:
            tick.set_color(charts.HIGHLIGHT)
    texts = [label if mine else "" for mine in ranking["is_region"]]
    # upright, so a taller neighbour never covers it
    ax.bar_label(bars, labels=texts, padding=3, fontsize=charts.DATA_LABEL_PT, rotation=90)
    ax.set_ylabel(axis)
    ax.grid(axis="x", visible=False)
    ax.margins(x=0.02, y=0.3)
    return charts.finish(fig, ax)


# Cities --------------------------------------------------------------------------------------
def cities(ch: Chapter, profile: RegionProfile, region: str) -> None:
    """A province's cities with at least 150 firms and their share of it (and its firms in
    other cities); a municipality's rank among those cities; a city's share of its province
    beside the province's other such cities. A chart when the province has such cities."""
    listed = profile.cities_listed
    if listed is None:
        return
    shown = ch.record("cities_shown", len(listed), source=listed)
    mine = profile.cities
    province = ch.name(profile.province)
    values = {"region": region, "min_firms": ch.fmt(CITY_MIN_FIRMS, "项")}
    if profile.city_ranking is not None:  # a municipality
        rank = ch.record("city_rank", profile.city_ranking["rank"], source=listed, region=region)
        ch.text(
            "profile.cities.municipality",
            rank=ch.fmt(rank, "项"),
            cities=ch.fmt(shown, "项"),
            **values,
        )
        return
    if mine is None:
        return
    province_rows = profile.province_rows
    if mine.empty:
        ch.text(
            "profile.cities.none",
            cities=ch.fmt(shown, "项"),
            firms=ch.fmtu(profile.firms, "家"),
            **values,
        )
        return
    ch.record_table(
        mine, "cities.{city}", "cities.{city}.share", also=(province_rows,), province=province
    )
    rest = ch.record(
        "cities.rest",
        mine.attrs["rest"],
        source=(mine, province_rows),
        region=ch.name(profile.province),
    )
    rest_share = ch.record(
        "cities.rest_share",
        share(mine.attrs["rest"], mine.attrs["province_firms"]),
        source=(mine, province_rows),
        region=province,
    )
    parts = [
        ch.t(
            "profile.cities.part",
            city=ch.name(row.city),
            firms=ch.fmtu(row.firms, "家"),
            share=ch.fmt(row.share_of_province, "share"),
        )
        for row in mine.itertuples()
    ]
    joined = ch.t("words.list_separator").join(parts)
    whole = "_all" if rest == 0 else ""  # every firm of the province lies in these cities
    if profile.is_city:
        province_firms = ch.record(
            "province_firms", mine.attrs["province_firms"], source=province_rows, province=province
        )
        city_share = ch.record(
            "share_of_province",
            profile.share_of_province,
            source=(profile.firms_rows, province_rows),
            region=region,
            province=province,
        )
        key = "city_alone" if len(mine) == 1 else "city"
        ch.text(
            f"profile.cities.{key}{whole}",
            province=province,
            province_firms=ch.fmtu(province_firms, "家"),
            share=ch.fmt(city_share, "share"),
            parts=joined,
            rest=ch.fmtu(rest, "家"),
            **values,
        )
    else:
        listed_firms = ch.record("cities.listed", mine["firms"].sum(), source=mine, region=region)
        listed_share = ch.record(
            "cities.listed_share",
            share(listed_firms, mine.attrs["province_firms"]),
            source=(mine, province_rows),
            region=region,
        )
        ch.text(
            f"profile.cities.listed{whole}",
            n=ch.fmt(len(mine), "项"),
            parts=joined,
            listed=ch.fmtu(listed_firms, "家"),
            share=ch.fmt(listed_share, "share"),
            rest=ch.fmtu(rest, "家"),
            **values,
        )
    bars = pd.DataFrame(
        {
            "name": [*map(ch.name, mine["city"]), ch.t("profile.cities.rest")],
            "firms": [*mine["firms"], rest],
            "share": [*mine["share_of_province"], rest_share],
        }
    )
    if whole:  # no bar for the other cities: they have no firms
        bars = bars.iloc[:-1]
    bars["label"] = [
        f"{ch.fmtu(f, '家')}（{ch.fmt(s, 'share')}）"
        if ch.language == "zh"
        else f"{ch.fmtu(f, '家')} ({ch.fmt(s, 'share')})"
        for f, s in zip(bars["firms"], bars["share"], strict=True)
    ]
    figure = charts.bar_chart(
        bars,
        "name",
        "firms",
        value_label=ch.t("profile.fig_cities.axis"),
        highlight=[region] if profile.is_city else None,
        sort=False,
        labels="label",
        language=ch.language,
    )
    ch.figure(
        figure,
        "cities",
        "profile.fig_cities",
        ch.source_line(mine, province_rows),
        reading="",
        data=bars[["name", "firms", "share"]].rename(
            columns={"name": "city", "share": "share_of_province"}
        ),
        data_units={"firms": "家", "share_of_province": "share"},
        province=province,
        min_firms=CITY_MIN_FIRMS,
    )


# Belt, region and cluster --------------------------------------------------------------------
def macro(ch: Chapter, profile: RegionProfile, region: str) -> None:
    """The region's three-belt region and (when it differs) its NBS region: their firms and
    share of the nation, the region's share of them and its rank among their provinces."""
    table = profile.macro.assign(macro_name=profile.macro["macro"].map(ch.name))
    rows = profile.national_rows
    for row in table.itertuples():
        key = row.scheme
        if key == "region_nbs":
            belt = table.iloc[0]
            if row.firms == belt["firms"] and row.provinces == belt["provinces"]:
                continue  # the same provinces as its belt: said once
        named = {"region": region, "macro": row.macro_name}
        firms = ch.record(f"{key}.firms", row.firms, source=rows, **named)
        macro_share = ch.record(f"{key}.share", row.share, source=rows, **named)
        provinces = ch.record(f"{key}.provinces", row.provinces, source=rows, **named)
        share_of = ch.record(f"{key}.region_share", row.share_of_macro, source=rows, **named)
        ranked = pd.notna(row.rank_in)
        if ranked:
            rank = ch.record(f"{key}.rank", row.rank_in, source=rows, **named)
        if key == "region_3belt":
            sentence = "belt_province" if ranked else "belt_city"
        else:
            sentence = "nbs_ranked" if ranked else "nbs"
        ch.text(
            f"profile.region.{sentence}",
            province=ch.name(profile.province),
            firms=ch.fmtu(firms, "家"),
            share=ch.fmt(macro_share, "share"),
            provinces=ch.fmt(provinces, "项"),
            share_of=ch.fmt(share_of, "share"),
            rank=ch.fmt(rank, "项") if ranked else "",
            **named,
        )


def cluster(ch: Chapter, profile: RegionProfile, region: str) -> None:
    """The region's city cluster: its firms and share of the nation, the region's share of it
    (or, for 广东, the cluster's share of the province), its page metrics against the national
    average (a chart of ratios; shares as gaps in percentage points) and its listed firms."""
    found = profile.cluster
    if found is None:
        ch.text("profile.region.no_cluster", region=region)
        return
    rows = found["rows"]
    name = ch.name(found["cluster"])
    named = {"region": region, "cluster": name}
    firms = ch.record("cluster.firms", found["firms"], source=rows, **named)
    cluster_share = ch.record(
        "cluster.share", found["share_of_nation"], source=(rows, profile.national_rows), **named
    )
    values = {
        "firms": ch.fmtu(firms, "家"),
        "share": ch.fmt(cluster_share, "share"),
        "members": ch.fmt(found["members"], "项"),
        **named,
    }
    if pd.notna(found["within"]):
        within = ch.record(
            "cluster.within", found["within"], source=(rows, profile.firms_rows), **named
        )
        values["within"] = ch.fmt(within, "share")
    if found["within_kind"] == "cluster_of_region":
        key = "cluster_of_province"
    elif not found["by_city"]:
        key = "cluster"
    else:
        key = "cluster_by_city" if "within" in values else "cluster_other_city"
    ch.text(f"profile.region.{key}", **values)
    metrics = profile.cluster_metrics
    if metrics is None:
        return
    metrics = named_metrics(ch, metrics)
    compared = metrics[metrics["national_avg"].notna()]
    ch.record_table(compared, "cluster.metrics.{metric_id}", unit_column="unit", **named)
    ch.record_table(compared, "cluster.metrics.{metric_id}.national", **named)
    ch.record_table(compared, "cluster.metrics.{metric_id}.ratio", **named)
    ch.record_table(compared, "cluster.metrics.{metric_id}.gap", **named)
    clauses = []
    for row in compared.itertuples():
        value = _metric_value(ch, row.value, row.unit)
        national = _metric_value(ch, row.national_avg, row.unit)
        if pd.notna(row.gap):
            gap, compare = _gap_words(ch, row.gap, "profile.region")
            clauses.append(
                ch.t(
                    "profile.region.gap_clause",
                    metric=row.metric,
                    value=value,
                    national=national,
                    gap=gap,
                    compare=compare,
                )
            )
        else:
            clauses.append(
                ch.t(
                    "profile.region.ratio_clause",
                    metric=row.metric,
                    value=value,
                    national=national,
                    ratio=ch.fmtu(row.ratio, "倍"),
                )
            )
    ch.text(
        "profile.region.cluster_metrics",
        clauses=ch.t("words.clause_separator").join(clauses),
        **named,
    )
    listed = metrics[metrics["metric_id"] == "listed_firms"]
    if len(listed):
        listed_firms = ch.record(
            "cluster.metrics.listed_firms",
            listed["value"].iloc[0],
            source=listed,
            metric=listed["metric"].iloc[0],
            **named,
        )
        listed_share = ch.record(
            "cluster.listed_share",
            share(listed_firms, firms),
            source=(listed, rows),
            **named,
        )
        ch.text(
            "profile.region.listed",
            listed=ch.fmtu(listed_firms, "家"),
            share=ch.fmt(listed_share, "share"),
            **named,
        )
    shown = [
        f"{ch.fmt(v, u)} / {ch.fmt(n, u)}"
        for v, n, u in zip(
            compared["value"], compared["national_avg"], compared["unit"], strict=True
        )
    ]
    figure = region_charts.metric_ratio_chart(
        compared,
        "metric",
        "ratio",
        value_labels=shown,
        axis_label=ch.t("profile.fig_cluster.axis"),
        reference_label=ch.t("profile.fig_cluster.reference"),
    )
    ch.figure(
        figure,
        "cluster",
        "profile.fig_cluster",
        ch.source_line(compared),
        reading="",
        data=ch.with_unit_words(compared[["metric", "value", "national_avg", "ratio", "unit"]]),
        data_units={"ratio": "倍"},
        **named,
    )


# 2021 → 2023 ---------------------------------------------------------------------------------
def growth(ch: Chapter, profile: RegionProfile, region: str) -> None:
    """000's 2021 counts beside the 2023 counts: the nation, the region's belt and — where 000
    prints it — the province, each with its growth against the nation's (in percentage points)
    and its share of the nation before and after; a chart of the three belts."""
    table = profile.growth
    if table is None:
        return
    names = {"nation": ch.t("profile.nation"), "belt": ch.name(table["name"].iloc[1])}
    table = table.assign(
        name=[names.get(s, ch.name(n)) for s, n in zip(table["scope"], table["name"], strict=True)]
    )
    for row in table.itertuples():
        source = (row.rows_2021, row.rows_2023)
        frame = table.loc[[row.Index]].drop(columns=["rows_2021", "rows_2023"])
        ch.record_table(
            frame,
            "growth.{scope}.firms_2021",
            "growth.{scope}.firms_2023",
            "growth.{scope}.growth",
            "growth.{scope}.share_2021",
            "growth.{scope}.share_2023",
            source=source,
        )
        if row.scope != "nation":
            ch.record_table(
                frame, "growth.{scope}.share_change", "growth.{scope}.gap", source=source
            )
    dates = {"date_000": as_of(ch, "sq_macro_regions"), "date_001": as_of(ch, "firms_by_province")}
    for row in table.itertuples():
        values = {
            "name": row.name,
            "macro": row.name,
            "region": region,
            "firms_2021": ch.fmtu(row.firms_2021, "家"),
            "firms_2023": ch.fmtu(row.firms_2023, "家"),
            **dates,
        }
        if pd.isna(row.growth):
            ch.text(
                "profile.growth.small_base",
                threshold=ch.fmt(regions.SMALL_REGION_FIRMS, "项"),
                **values,
            )
            continue
        if row.scope == "nation":
            ch.text("profile.growth.nation", growth=ch.fmt(row.growth, "rate"), **values)
            continue
        gap, compare = _gap_words(ch, row.gap, "profile.growth")
        change = _signed_pp(ch, row.share_change)
        ch.text(
            f"profile.growth.{row.scope}",
            growth=ch.fmt(row.growth, "rate"),
            gap=gap,
            compare=compare,
            share_2021=ch.fmt(row.share_2021, "share"),
            share_2023=ch.fmt(row.share_2023, "share"),
            change=change,
            **values,
        )
    belts = growth_belts(ch, profile)
    if belts is None:
        return
    figure = charts.grouped_bar_chart(
        belts,
        "macro_name",
        "series",
        "firms",
        value_label=ch.t("profile.fig_growth.axis"),
        category_order=list(dict.fromkeys(belts["macro_name"])),
        series_order=[
            ch.t("profile.fig_growth.series_2021"),
            ch.t("profile.fig_growth.series_2023"),
        ],
        unit="家",
        language=ch.language,
    )
    ch.figure(
        figure,
        "growth",
        "profile.fig_growth",
        ch.source_line(table["rows_2021"].iloc[0], profile.national_rows),
        reading="",
        data=belts.rename(columns={"macro_name": "region", "series": "period"}),
        data_units={"firms": "家"},
    )


def _signed_pp(ch: Chapter, points: float) -> str:
    """A change in percentage points with its sign (+2.2个百分点, −3.7个百分点)."""
    text = ch.fmtu(points, "pp")
    return text if points < 0 else "+" + text


def growth_belts(ch: Chapter, profile: RegionProfile) -> pd.DataFrame | None:
    """The three belts' firms in 2021 (000) and 2023, long (macro_name, series, firms), each
    count recorded; the region's belt first."""
    from helpers.data import reference

    belts = ch.table("sq_macro_regions")
    belt_of = reference.table("provinces").set_index("province")["region_3belt"]
    provinces = profile.national_rows
    after = provinces.groupby(provinces["name"].map(belt_of))["firms"].sum()
    frame = belts[["region", "firms"]].rename(columns={"region": "macro", "firms": "firms_2021"})
    frame = frame.assign(firms_2023=frame["macro"].map(after).astype(float))
    if frame["firms_2023"].isna().any():
        return None
    mine = profile.growth["name"].iloc[1]
    frame = pd.concat([frame[frame["macro"] == mine], frame[frame["macro"] != mine]])
    frame = frame.assign(belt_name=frame["macro"].map(ch.name))
    ch.record_table(frame, "belts.{macro}.firms_2021", source=belts)
    ch.record_table(frame, "belts.{macro}.firms_2023", source=provinces)
    series_2021, series_2023 = (
        ch.t("profile.fig_growth.series_2021"),
        ch.t("profile.fig_growth.series_2023"),
    )
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "macro_name": frame["belt_name"],
                    "series": series_2021,
                    "firms": frame["firms_2021"],
                }
            ),
            pd.DataFrame(
                {
                    "macro_name": frame["belt_name"],
                    "series": series_2023,
                    "firms": frame["firms_2023"],
                }
            ),
        ],
        ignore_index=True,
    )


# Financing -----------------------------------------------------------------------------------
def financing(ch: Chapter, profile: RegionProfile, region: str) -> None:
    """000's financing (2016-01 to 2021-08): the nation's deals and amount, the three provinces
    it prints and their share; the region's province's amount, share and rank when printed,
    else the bound the third gives."""
    table = profile.financing
    if table is None:
        return
    totals = table.attrs["total_rows"]
    total = ch.record("financing.total", table.attrs["total"], source=totals)
    deals = ch.record("financing.deals", table.attrs["deals"], source=totals)
    ch.record_table(
        table, "financing.{province}.amount", "financing.{province}.share", also=(totals,)
    )
    top_share = ch.record("financing.top_share", table["share"].sum(), source=(table, totals))
    parts = [
        ch.t(
            "profile.financing.part",
            province=ch.name(row.province),
            amount=ch.fmtu(row.amount, "亿元"),
            share=ch.fmt(row.share, "share"),
        )
        for row in table.itertuples()
    ]
    ch.text(
        "profile.financing.nation",
        deals=ch.fmtu(deals, "笔"),
        total=ch.fmtu(total, "亿元"),
        top=ch.t("words.list_separator").join(parts),
        top_share=ch.fmt(top_share, "share"),
    )
    province = ch.name(profile.province)
    city = "_city" if profile.region != profile.province else ""
    mine = table[table["is_region"]]
    if len(mine):
        row = mine.iloc[0]
        rank = ch.record("financing.rank", row["rank"], source=mine, province=province)
        ch.text(
            f"profile.financing.printed{city}",
            region=region,
            province=province,
            rank=ch.fmt(rank, "项"),
            amount=ch.fmtu(row["amount"], "亿元"),
            share=ch.fmt(row["share"], "share"),
        )
        return
    third = table.iloc[-1]
    ch.text(
        f"profile.financing.bound{city}",
        region=region,
        province=province,
        third=ch.name(third["province"]),
        third_amount=ch.fmtu(third["amount"], "亿元"),
        third_share=ch.fmt(third["share"], "share"),
    )


# Patents and listings ------------------------------------------------------------------------
def placeholder(ch: Chapter, part: str, region: str) -> None:
    """In place of a part's figure, when a firm-level folder lacks its inputs: its title and the
    inputs that would give it. Nothing when no input lacks (the last line names what the
    published data does not give)."""
    needs = lacking_inputs(ch, part)
    if needs:
        ch.missing("figure", part, f"profile.fig_{part}", needs=needs, region=region)


def boards(ch: Chapter, boards: pd.DataFrame, firms: int, region: str) -> None:
    """Firms listed or quoted by board, in the table's order, with how many in all and their
    share of the region's firms."""
    listed = ch.record("boards.total", boards["firms"].sum(), source=boards, region=region)
    listed_share = ch.record("boards.share", share(listed, firms), source=boards, region=region)
    top = boards.loc[boards["firms"].astype(float).idxmax()]
    figure = charts.bar_chart(
        boards.assign(board=boards["board"].map(ch.name)),
        "board",
        "firms",
        value_label=ch.t("profile.fig_boards.axis"),
        sort=False,
        unit="家",
        language=ch.language,
    )
    ch.figure(
        figure,
        "boards",
        "profile.fig_boards",
        ch.source_line(boards),
        data=boards[["board", "firms"]],
        data_units={"firms": "家"},
        region=region,
        reading=ch.t(
            "profile.innovation.boards",
            region=region,
            listed=ch.fmtu(listed, "家"),
            share=ch.fmt(listed_share, "share"),
            top=ch.name(top["board"]),
            top_firms=ch.fmtu(top["firms"], "家"),
        ),
    )


def fields_reading(ch: Chapter, fields: pd.DataFrame, region: str, printed=None) -> str:
    """The field with the most patent applications (the first row of a field_shares table)
    with its share of the base it is a share of, named: the printed total (with the eight
    fields' sum and share) or the fields' sum; '' when the region has none."""
    top = fields.iloc[0]
    if not top["patent_applications"] > 0:
        return ""
    values = {
        "field": ch.name(top["field"]),
        "value": ch.fmtu(top["patent_applications"], "件"),
        "share": ch.fmt(top["share"], "share"),
        "base": ch.fmtu(top["base"], "件"),
    }
    if printed is None:
        return ch.t("profile.innovation.fields_sum", **values)
    at_least = printed["bound"].iloc[0] == "at_least" if "bound" in printed else False
    together = ch.record(
        "fields.total", fields["patent_applications"].sum(), source=fields, region=region
    )
    together_share = ch.record(
        "fields.total_share", share(together, top["base"]), source=fields, region=region
    )
    return ch.t(
        "profile.innovation.fields",
        base_name=ch.t("profile.innovation.base_printed"),
        qualifier=ch.t("profile.innovation.at_least") if at_least else "",
        fields_total=ch.fmtu(together, "件"),
        fields_share=ch.fmt(together_share, "share"),
        **values,
    )


def fields(ch: Chapter, fields: pd.DataFrame, region: str, printed_rows=None) -> None:
    """Patent applications by industry field, most first, and the top field's sentence: shares
    of the printed total where the page prints one (`printed_rows` cite it)."""
    also = (printed_rows,) if printed_rows is not None else ()
    ch.record_table(fields, "fields.{field}", region=region)
    ch.record_table(fields, "fields.{field}.share", also=also, region=region)
    ch.record("fields.base", fields["base"].iloc[0], source=(fields, *also), region=region)
    figure = charts.bar_chart(
        fields.assign(field=fields["field"].map(ch.name)),
        "field",
        "patent_applications",
        value_label=ch.t("profile.fig_fields.axis"),
        unit="件",
        language=ch.language,
    )
    ch.figure(
        figure,
        "fields",
        "profile.fig_fields",
        ch.source_line(fields, *also),
        data=fields[["field", "patent_applications"]].sort_values(
            "patent_applications", ascending=False, kind="stable"
        ),
        data_units={"patent_applications": "件"},
        region=region,
        reading=fields_reading(ch, fields, region, printed_rows),
    )


def metrics_reading(ch: Chapter, metrics: pd.DataFrame, region: str) -> str:
    """The metric furthest above and the one furthest below the national average as multiples
    (of a named_metrics table), then the shares and rates as gaps in percentage points."""
    best, worst = metric_extremes(metrics)
    reading = ch.t(
        "profile.innovation.metrics",
        region=region,
        best=best["metric"],
        best_ratio=ch.fmtu(best["ratio"], "倍"),
        worst=worst["metric"],
        worst_ratio=ch.fmtu(worst["ratio"], "倍"),
        compare=words.compare(worst["value"], worst["national_avg"], ch.language),
    )
    gaps = metrics[metrics["gap"].notna()]
    clauses = []
    for row in gaps.itertuples():
        gap, compare = _gap_words(ch, row.gap, "profile.region")
        clauses.append(
            ch.t(
                "profile.innovation.gap_clause",
                metric=row.metric,
                value=_metric_value(ch, row.value, row.unit),
                national=_metric_value(ch, row.national_avg, row.unit),
                gap=gap,
                compare=compare,
            )
        )
    if clauses:
        reading += ch.t(
            "profile.innovation.gaps", clauses=ch.t("words.clause_separator").join(clauses)
        )
    return reading


def metrics(ch: Chapter, metrics: pd.DataFrame, profile: RegionProfile, region: str) -> None:
    """The page metrics (a named_metrics table) as ratios to the national average — a growth
    rate only as a gap in percentage points —, each bar labelled 'value / national average' in
    its unit, with the sentences; a small region's note on averages."""
    shown = metrics[metrics["ratio"].notna()]
    labels = [
        f"{ch.fmt(value, unit)} / {ch.fmt(national, unit)}"
        for value, national, unit in zip(
            shown["value"], shown["national_avg"], shown["unit"], strict=True
        )
    ]
    figure = region_charts.metric_ratio_chart(
        shown,
        "metric",
        "ratio",
        value_labels=labels,
        axis_label=ch.t("profile.fig_metrics.axis"),
        reference_label=ch.t("profile.fig_metrics.reference"),
    )
    reading = metrics_reading(ch, metrics, region)
    if profile.small:
        reading += ch.t(
            "profile.innovation.small",
            region=region,
            firms=ch.fmtu(profile.firms, "家"),
            threshold=ch.fmt(regions.SMALL_REGION_FIRMS, "项"),
        )
    ch.figure(
        figure,
        "metrics",
        "profile.fig_metrics",
        ch.source_line(metrics),
        data=ch.with_unit_words(shown[["metric", "value", "national_avg", "ratio", "unit"]]),
        data_units={"ratio": "倍"},
        region=region,
        reading=reading,
    )


# Batches and industries ----------------------------------------------------------------------
def batches(ch: Chapter, batches: pd.DataFrame, national: pd.DataFrame | None, region: str):
    """Firms by batch, in batch order, as upright bars; the largest batch's share beside the
    nation's share of that batch (cultivation_batches' analysed firms)."""
    frame = batches.assign(share=batches["firms"] / batches["firms"].sum())
    ch.record_table(frame, "batches.{batch}.share", region=region)
    top = frame.loc[frame["firms"].astype(float).idxmax()]
    reading = ""
    if national is not None and (national["batch"] == top["batch"]).any():
        whole = national.assign(share=national["analysed"] / national["analysed"].sum())
        mine = whole[whole["batch"] == top["batch"]]
        national_share = ch.record(
            "batches.national_share",
            mine["share"].iloc[0],
            source=national,
            batch=ch.name(top["batch"]),
        )
        reading = ch.t(
            "profile.mix.batches",
            region=region,
            top=ch.name(top["batch"]),
            firms=ch.fmtu(top["firms"], "家"),
            share=ch.fmt(top["share"], "share"),
            national_share=ch.fmt(national_share, "share"),
        )
    _mix(ch, batches, "batches", "batch", region, ranked=False, reading=reading)


def industries(ch: Chapter, industries: pd.DataFrame, region: str) -> None:
    """Firms by industry field, most first, with the largest field's share."""
    frame = industries.assign(share=industries["firms"] / industries["firms"].sum())
    ch.record_table(frame, "industries.{field}.share", region=region)
    top = frame.loc[frame["firms"].astype(float).idxmax()]
    reading = ch.t(
        "profile.mix.industries",
        region=region,
        top=ch.name(top["field"]),
        firms=ch.fmtu(top["firms"], "家"),
        share=ch.fmt(top["share"], "share"),
    )
    _mix(ch, industries, "industries", "field", region, ranked=True, reading=reading)


def _mix(ch, frame, part: str, column: str, region: str, ranked: bool, reading: str = ""):
    """Firms by the categories of `column`: ranked as horizontal bars, else in the table's
    order as upright bars."""
    figure = charts.bar_chart(
        frame.assign(**{column: frame[column].map(ch.name)}),
        column,
        "firms",
        value_label=ch.t(f"profile.fig_{part}.axis"),
        sort=ranked,
        horizontal=ranked,
        unit="家",
        language=ch.language,
    )
    ch.figure(
        figure,
        part,
        f"profile.fig_{part}",
        ch.source_line(frame),
        data=frame[[column, "firms"]],
        data_units={"firms": "家"},
        region=region,
        reading=reading,
    )


# What the data lacks -------------------------------------------------------------------------
def lacks(ch: Chapter, profile: RegionProfile, region: str) -> None:
    """One line at the end naming what the published data has nothing on for the region: its
    own 2021 count when 000 does not print it, and the parts no table gives for it."""
    parts = []
    if (
        profile.growth is not None
        and not ch.source.is_firm_level
        and not profile.is_city
        and "province" not in set(profile.growth["scope"])
    ):
        parts.append("province_2021")
    parts += unpublished_parts(ch, profile)
    if parts:
        named = [ch.t(f"profile.lacks_parts.{part}") for part in parts]
        ch.text("profile.lacks", region=region, parts=words.join(named, ch.language))
