"""The combined report of an edition: one HTML document (and its PDF) made of a cover, a table of
contents, key findings, methods and definitions (口径), then every chapter's staged HTML in
book order (notebooks/pipeline.yml).

Every number of the front matter is read by key from the chapters' staged statistics
(`<staging>/statistics/<chapter>.csv`) and formatted by its unit; every comparative word comes
from helpers.report.words; every other word from labels/book.{zh,en}.yml. A finding whose
chapter is not in the book is left out; a key missing from a chapter that is in the book is an
error naming the file and the key (a renamed statistic must be renamed here too)."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from helpers.data.ids import UnknownCategory, category_name
from helpers.pipeline import CHECKS_SUFFIX
from helpers.report import words
from helpers.report.format import format_value, format_with_unit
from helpers.report.html import markup_text
from helpers.report.labels import label, translate

BOOK_STEM = "report"  # html/report.html, pdf/report.pdf
BOOK_CSS = Path(__file__).parent / "templates" / "book.css"
# statistics/<chapter>.placeholders.csv: what a chapter showed placeholders for (Chapter.missing)
PLACEHOLDERS_SUFFIX = ".placeholders.csv"
# statistics/<chapter>.checks.csv (CHECKS_SUFFIX): a chapter's published-vs-recomputed checks,
# one per printed figure (Chapter.write_checks); the appendix's lists every figure the book
# checks, once.
LEDGER_COLUMNS = [
    *["check_id", "document", "source", "item", "unit", "decimals"],
    *["stated", "recomputed", "difference", "status", "notebook"],
]


class BookInputError(ValueError):
    """A statistic the front matter needs is missing or not a number."""


class MissingStatistic(BookInputError):
    """A statistic the front matter needs is not recorded. For a chapter that showed
    placeholders (partial data: helpers.report.chapter.Chapter.missing) the finding is left
    out; otherwise it is an error (a renamed statistic must be renamed here too)."""


@dataclass
class Statistics:
    """The chapters' staged statistics, by key (`<chapter>.<key>` as recorded)."""

    folder: Path
    chapters: list[str]
    values: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    # chapters that showed placeholders for what their data lacks
    partial: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, staging: Path, chapters: list[str]) -> Statistics:
        found = cls(Path(staging) / "statistics", list(chapters))
        for chapter in chapters:
            path = found.folder / f"{chapter}.csv"
            if not path.exists():
                continue
            found.files[chapter] = path
            if (found.folder / f"{chapter}{PLACEHOLDERS_SUFFIX}").exists():
                found.partial.add(chapter)
            with path.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    found.values[row["key"]] = row["value"]
        return found

    def has(self, chapter: str) -> bool:
        return chapter in self.files

    def value(self, key: str) -> float:
        chapter = key.split(".", 1)[0]
        path = self.files.get(chapter, self.folder / f"{chapter}.csv")
        if key not in self.values:
            raise MissingStatistic(
                f"book: statistic '{key}' is not in {path}; the key findings and the methods "
                "section read it (helpers/report/book.py)"
            )
        try:
            return float(self.values[key])
        except ValueError:
            raise BookInputError(
                f"book: statistic '{key}' in {path} is {self.values[key]!r}, not a number"
            ) from None

    def keys(self, prefix: str) -> list[str]:
        """Recorded keys under `prefix.` in recording order."""
        return [k for k in self.values if k.startswith(prefix + ".")]

    def mismatches(self, chapter: str) -> list[dict]:
        """The checks a chapter found disagreeing (its statistics/<chapter>.checks.csv, in its
        order: the appendix's lists every printed figure of the book once)."""
        path = self.folder / f"{chapter}{CHECKS_SUFFIX}"
        if not path.exists():
            raise BookInputError(
                f"book: {path} is missing; the key findings list the appendix's mismatches"
            )
        with path.open(encoding="utf-8", newline="") as handle:
            return [row for row in csv.DictReader(handle) if row["status"] == "mismatch"]


@dataclass
class Say:
    """Formatting helpers for one edition's sentences."""

    stats: Statistics
    language: str

    def v(self, key: str) -> float:
        return self.stats.value(key)

    def fmt(self, key: str, unit: str, **options) -> str:
        """The statistic as a sentence writes it (24.16万; helpers.report.format)."""
        return format_value(self.v(key), unit, self.language, **{"compact": True, **options})

    def fmtu(self, key: str, unit: str, **options) -> str:
        """The statistic with its unit's words, as a sentence writes it (2.72万亿元)."""
        return format_with_unit(self.v(key), unit, self.language, **{"compact": True, **options})

    def printed(self, key: str) -> int:
        """The decimals a published statistic was printed with (4046.6 -> 1)."""
        from helpers.stats.reconcile import stated_decimals

        return stated_decimals(self.v(key))

    def t(self, key: str, **values) -> str:
        return label(f"book.{key}", self.language, **values)

    def compare(self, a: str, b: str) -> str:
        return words.compare(self.v(a), self.v(b), self.language)

    def tenths(self, key: str) -> str:
        return words.tenths(self.v(key), self.language)

    def largest(self, prefix: str, exclude: tuple[str, ...] = ()) -> list[tuple[str, float]]:
        """(key suffix, value) under `prefix`, largest first."""
        items = [
            (key.removeprefix(prefix + "."), self.v(key))
            for key in self.stats.keys(prefix)
            if key.removeprefix(prefix + ".") not in exclude
        ]
        if not items:
            raise MissingStatistic(f"book: no statistics under '{prefix}' in {self.stats.folder}")
        return sorted(items, key=lambda item: -item[1])

    def name(self, id_: str) -> str:
        """A category's name in the edition's language from the fixed id in its statistics key
        (320000 -> 江苏省 / Jiangsu; helpers.data.ids)."""
        try:
            return translate(category_name(id_), self.language)
        except UnknownCategory as error:
            raise BookInputError(f"book: {error}") from None


# Key findings -------------------------------------------------------------------------------
# One function per sentence, each with the chapter its numbers come from. Keys are those the
# chapters record (see each notebook's ch.record calls).


def _batches(s: Say) -> str:
    share = s.largest("01_cultivation.batches.share")[0]
    return s.t(
        "findings.batches",
        batches=_batch_count(s),
        announced=s.fmt("01_cultivation.batches.announced_total", "家"),
        analysed=s.fmt("01_cultivation.batches.analysed_total", "家"),
        largest=words.batch_name(int(share[0].removeprefix("batch")), s.language),
        share=format_value(share[1], "share", s.language),
    )


def _batch_count(s: Say) -> str:
    """How many batches chapter 01 shows (one share per batch): 六 / six."""
    return words.batch_count(len(s.stats.keys("01_cultivation.batches.share")), s.language)


def _fields(s: Say) -> str:
    ranked = s.largest("01_cultivation.industries.share", exclude=("other",))
    top, second = ranked[0], ranked[1]
    return s.t(
        "findings.fields",
        share=s.fmt("01_cultivation.industries.key_fields_share", "share"),
        qualifier=s.tenths("01_cultivation.industries.key_fields_share"),
        top=s.name(top[0]),
        top_share=format_value(top[1], "share", s.language),
        second=s.name(second[0]),
        second_share=format_value(second[1], "share", s.language),
    )


def _listings(s: Say) -> str:
    star = "01_cultivation.boards.little_giant_share.star_market"
    chinext = "01_cultivation.boards.little_giant_share.chinext"
    return s.t(
        "findings.listings",
        listed=s.fmt("01_cultivation.markets.a_share_listed", "家"),
        listed_share=s.fmt("01_cultivation.markets.a_share_listed_share", "share"),
        listed_qualifier=s.tenths("01_cultivation.markets.a_share_listed_share"),
        star=s.fmt(star, "share"),
        star_qualifier=s.tenths(star),
        compare=s.compare(star, chinext),
        chinext=s.fmt(chinext, "share"),
    )


def _scale(s: Say) -> str:
    mine = "02_innovation.scale.patent_applications_per_firm.all"
    star = "02_innovation.scale.patent_applications_per_firm.star_market"
    ratio = "02_innovation.scale.applications_vs_star"
    # Below 1 the ratio reads as a percentage of the other (29.0%), above 1 as a multiple.
    below = s.v(ratio) < 1
    return s.t(
        "findings.scale_below" if below else "findings.scale_above",
        applications=s.fmtu(mine, "件/家"),
        compare=s.compare(mine, star),
        star=s.fmtu(star, "件/家"),
        ratio=s.fmt(ratio, "share") if below else s.fmt(ratio, "倍"),
    )


def _influence(s: Say) -> str:
    first = "02_innovation.influence.citations_per_firm.batch_1"
    mean = "02_innovation.influence.citations_per_firm.all"
    return s.t(
        "findings.influence",
        first=s.fmtu(first, "次/家"),
        compare=s.compare(first, mean),
        mean=s.fmtu(mean, "次/家"),
        multiple=s.fmt("02_innovation.influence.batch1_citation_multiple", "倍"),
    )


def _pct(s: Say) -> str:
    none = "02_innovation.global.pct_bin_share.0"
    return s.t(
        "findings.pct",
        share=s.fmt(none, "share"),
        qualifier=s.tenths(none),
        overseas=s.fmt("02_innovation.global.firms_with_overseas_markets", "家"),
    )


def _provinces(s: Say) -> str:
    ranks = s.largest("03_regions.provinces.rank")
    top = min(ranks, key=lambda item: item[1])[0]
    # The five first provinces' share is the fifth smallest cumulative share (it only grows down
    # the list): a tie shares a rank, so there may be no rank 5 (one province's export: every
    # other province ties second with no firms).
    cumulative = sorted(s.largest("03_regions.provinces.cumulative_share"), key=lambda i: i[1])
    fifth = cumulative[min(4, len(cumulative) - 1)][0]
    top5 = f"03_regions.provinces.cumulative_share.{fifth}"
    return s.t(
        "findings.provinces",
        top=s.name(top),
        firms=s.fmt(f"03_regions.provinces.firms.{top}", "家"),
        share=s.fmt(f"03_regions.provinces.share.{top}", "share"),
        top5=s.fmt(top5, "share"),
        qualifier=s.tenths(top5),
    )


def _portrait_regions(s: Say) -> str:
    east = "04_portrait.regions.share.east"
    return s.t(
        "findings.portrait_regions",
        firms=s.fmt("04_portrait.firms.total", "家"),
        east=s.fmt(east, "share"),
        qualifier=s.tenths(east),
        central=s.fmt("04_portrait.regions.share.central", "share"),
        west=s.fmt("04_portrait.regions.share.west", "share"),
    )


def _portrait_financing(s: Say) -> str:
    computed = "04_portrait.financing.avg_deal.all"
    stated = "04_portrait.financing.avg_deal_stated.all"
    amount = "04_portrait.financing.amount.all"
    return s.t(
        "findings.portrait_financing",
        deals=s.fmtu("04_portrait.financing.deals.all", "笔"),
        # the amount as the article prints it (4,046.6亿元), averages with the unit's two
        # decimals (1.70亿元, 1.46亿元)
        amount=s.fmtu("04_portrait.financing.amount.all", "亿元", decimals=s.printed(amount)),
        computed=s.fmtu(computed, "亿元"),
        compare=s.compare(computed, stated),
        stated=s.fmtu(stated, "亿元"),
    )


def _vc_pe(s: Say) -> str:
    little = "05_context.vcpe.penetration.national_little_giants"
    every = "05_context.vcpe.penetration.all_specialised_firms"
    return s.t(
        "findings.vc_pe",
        little=s.fmt(little, "share"),
        compare=s.compare(little, every),
        every=s.fmt(every, "share"),
        ratio=s.fmt("05_context.vcpe.ratio", "倍"),
    )


def _checks(s: Say) -> str:
    """How many figures the appendix checked, and each that disagrees, as the appendix words it
    (the same items as the chapters' checks, the appendix and the build summary)."""
    key = "99_reconciliation.published_checks.mismatch"
    found = s.stats.mismatches("99_reconciliation")
    if len(found) != s.v(key):
        raise BookInputError(
            f"book: {key} is {s.v(key):g} but the appendix's checks list {len(found)} mismatches"
        )
    total = s.fmt("99_reconciliation.published_checks.total", "项")
    if not found:
        return s.t("findings.checks_none", total=total)
    # each with its document's id (the methods list them), a firm-level comparison as such
    items = [
        s.t("findings.check_item", item=row["item"], source=translate(row["document"], s.language))
        if row["document"] != "firm-level"
        else s.t("findings.check_item_firm_level", item=row["item"])
        for row in found
    ]
    return s.t(
        "findings.checks",
        total=total,
        mismatch=s.fmt(key, "项"),
        items=s.t("findings.check_separator").join(items),
    )


FINDINGS: list[tuple[str, Callable[[Say], str]]] = [
    ("01_cultivation", _batches),
    ("01_cultivation", _fields),
    ("01_cultivation", _listings),
    ("02_innovation", _scale),
    ("02_innovation", _influence),
    ("02_innovation", _pct),
    ("03_regions", _provinces),
    ("04_portrait", _portrait_regions),
    ("04_portrait", _portrait_financing),
    ("05_context", _vc_pe),
    ("99_reconciliation", _checks),
]


def key_findings(stats: Statistics, language: str) -> list[str]:
    """The key-findings sentences of the chapters in the book, in book order."""
    say = Say(stats, language)
    order = {chapter: index for index, chapter in enumerate(stats.chapters)}
    chosen = [(order[c], i, c, f) for i, (c, f) in enumerate(FINDINGS) if c in order]
    found = []
    for _, _, chapter, finding in sorted(chosen, key=lambda x: (x[0], x[1])):
        sentence = _unless_partial(stats, chapter, lambda f=finding: f(say))
        if sentence is not None:
            found.append(sentence)
    return found


def _unless_partial(stats: Statistics, chapter: str, make: Callable[[], str]) -> str | None:
    """`make()`, or None when a statistic it reads is missing from a chapter that showed
    placeholders (its data lacks what the sentence is about)."""
    try:
        return make()
    except MissingStatistic:
        if chapter in stats.partial:
            return None
        raise


# Methods and definitions --------------------------------------------------------------------


def high_end_groups(language: str) -> list[dict]:
    """The industry categories that group several fields (高端装备制造), and the fields merged
    into one field, from data/reference/industry_fields.csv."""
    from helpers.data import reference

    fields = reference.table("industry_fields").to_dict("records")
    groups: dict[str, list[str]] = {}
    for row in fields:
        groups.setdefault(row["category"], []).append(row["field"])
    found = []
    for category, members in groups.items():
        if len(members) > 1:
            found.append(
                {
                    "category": translate(category, language),
                    "fields": words.join([translate(m, language) for m in members], language),
                }
            )
    for row in fields:
        merged = [m for m in row["merged_fields"].split(";") if m.strip()]
        if merged:
            found.append(
                {
                    "category": translate(row["field"], language),
                    "fields": label("words.list_separator", language).join(
                        translate(m, language) for m in merged
                    ),
                }
            )
    return found


def source_dates(language: str, tables_dir: Path | None = None) -> list[dict]:
    """Each published document the chapters cite, with the dates (`as_of`) of its tables."""
    from helpers.data import catalog

    folder = tables_dir or catalog.PUBLISHED_DIR
    dates: dict[str, set[str]] = {}
    for spec in catalog.load_catalog(folder).values():
        dates.setdefault(str(spec.document.get("id", "")), set()).add(str(spec.as_of))
    documents = catalog.documents(folder)
    found = []
    for doc_id in sorted(dates):
        document = documents.get(doc_id)
        if not document:
            continue
        shown = sorted(dates[doc_id])
        span = [_date(shown[0], language)]
        if shown[-1] != shown[0]:
            span.append(_date(shown[-1], language))
        title = (
            document.get("title_en", document["title"]) if language == "en" else document["title"]
        )
        cited = translate(doc_id, language)  # a seed's short citation name, if it has one
        if cited != doc_id:
            title = label("appendix.document_heading_cited", language, title=title, name=cited)
        found.append(
            {
                "id": doc_id,
                "title": title,
                "dates": label("book.methods.date_span", language, dates=" – ".join(span)),
            }
        )
    return found


def _date(value: str, language: str) -> str:
    """2023-07-31 → 2023年7月31日 / 31 July 2023; a year alone → 2021年 / 2021."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return words.format_date(value, language)
    if re.fullmatch(r"\d{4}", value):
        return label("book.methods.year", language, year=value)
    return value


def methods(stats: Statistics, language: str) -> dict:
    """What the methods section shows: the populations (numbers from the statistics), the
    sources' dates, the field groupings."""
    say = Say(stats, language)
    populations = []
    if stats.has("01_cultivation"):
        sentence = _unless_partial(
            stats,
            "01_cultivation",
            lambda: say.t(
                "methods.population_001",
                batches=_batch_count(say),
                announced=say.fmtu("01_cultivation.batches.announced_total", "家"),
                analysed=say.fmtu("01_cultivation.batches.analysed_total", "家"),
                kept=say.fmt("01_cultivation.batches.kept_after_review.batch1", "share"),
            ),
        )
        populations += [sentence] if sentence is not None else []
    if stats.has("04_portrait"):
        populations.append(
            say.t("methods.population_000", firms=say.fmtu("04_portrait.firms.total", "家"))
        )
    return {
        "populations": populations,
        "sources": source_dates(language),
        "groups": high_end_groups(language),
    }


# Assembling the document --------------------------------------------------------------------

_BODY = re.compile(r"<body[^>]*>(.*)</body>", flags=re.S)
_MAIN = re.compile(r"<main[^>]*>(.*)</main>", flags=re.S)  # templates/page.html.j2
_PAGE_CHROME = re.compile(
    r'<p class="edition-note">.*?</p>\s*|<nav class="page-nav">.*?</nav>\s*', flags=re.S
)
# with or without the ids the chapter page gave it (helpers.report.html.link_page: the same)
_HEADING = re.compile(r"<h([12])(?:\s[^>]*)?>(.*?)</h\1>", flags=re.S)


@dataclass
class ChapterPart:
    chapter: str
    title: str
    anchor: str
    sections: list[dict]
    body: str


def chapter_part(chapter: str, page: str) -> ChapterPart:
    """A chapter page's body for the book: the page chrome dropped, its h1 and h2 headings given
    anchors (`<chapter>`, `<chapter>-s<n>`) for the contents and the PDF outline."""
    found = _MAIN.search(page) or _BODY.search(page)  # the page's main landmark, else its body
    if not found:
        raise BookInputError(f"book: the staged page of {chapter} has no <body>")
    body = _PAGE_CHROME.sub("", found.group(1), count=2)
    title = chapter
    sections: list[dict] = []
    anchor = _anchor(chapter)

    def heading(match: re.Match) -> str:
        nonlocal title
        level, inner = match.group(1), match.group(2)
        text = markup_text(inner).strip()
        if level == "1" and title == chapter:
            title = text
            return f'<h1 id="{anchor}" class="chapter-title">{inner}</h1>'
        if level == "1":  # a second h1 in a chapter reads as a section
            level = "2"
        section_id = f"{anchor}-s{len(sections) + 1}"
        sections.append({"id": section_id, "title": text})
        return f'<h2 id="{section_id}">{inner}</h2>'

    body = _HEADING.sub(heading, body)
    return ChapterPart(chapter, title, anchor, sections, body)


def colophon(say: Say, data_label: str, version: str, fingerprints: dict[str, str]) -> dict:
    """The colophon's facts, in order: (name, value) of the data source, the build version and
    each fingerprint (`fingerprints`: colophon key → digest)."""
    facts = [(say.t("cover.source"), data_label), (say.t("colophon.version"), version)]
    facts += [(say.t(f"colophon.{key}"), digest) for key, digest in fingerprints.items()]
    return {"facts": facts}


def _changes(staging: Path, chapters: list[str], previous: Path, language: str, shown: str):
    """The “本期变化” section: this edition's statistics joined with the previous edition's."""
    from markupsafe import Markup

    from helpers.report import changes
    from helpers.stats.changes import join_previous

    files = [staging / "statistics" / f"{c}.csv" for c in chapters]
    current = changes.read_statistics([f for f in files if f.exists()])
    before = changes.read_statistics([previous])
    section = changes.changes_section(join_previous(current, before), language, shown)
    return {"title": section["title"], "html": Markup(changes.render_section(section))}


def _anchor(chapter: str) -> str:
    return "ch-" + re.sub(r"[^A-Za-z0-9_-]", "-", chapter)


def render_book(
    staging: Path,
    chapters: list[str],
    *,
    language: str,
    data_label: str,
    synthetic: bool,
    cutoff: str,
    version: str,
    previous: Path | None = None,
    previous_label: str = "",
    fingerprints: dict[str, str] | None = None,
) -> str:
    """The combined report as one HTML document; with `previous` (the previous edition's
    statistics, PREVIOUS) a “本期变化” section after the key findings. The build `version` and
    the `fingerprints` (colophon key → digest: data, inputs) are in the colophon at the end and
    in the PDF's metadata, not on the cover."""
    from markupsafe import Markup

    from helpers.report.html import CSS_PATH, HTML_LANG, PAGE_ROOT, SearchBox, environment

    staging = Path(staging)
    stats = Statistics.read(staging, chapters)
    parts = []
    for chapter in chapters:
        path = staging / "html" / f"{chapter}.html"
        if not path.exists():
            raise BookInputError(f"book: {path} is missing; build the chapter first")
        parts.append(chapter_part(chapter, path.read_text(encoding="utf-8")))
    for part in parts:  # a chapter page's link to another chapter's figure: within the book
        for chapter in chapters:
            part.body = part.body.replace(f'href="{chapter}.html#', 'href="#')
    say = Say(stats, language)
    changes = None
    if previous is not None:
        changes = _changes(staging, chapters, Path(previous), language, previous_label)
    css = CSS_PATH.read_text(encoding="utf-8") + "\n" + BOOK_CSS.read_text(encoding="utf-8")
    # the synthetic sample's numbers are invented: its first finding says so
    findings = [say.t("findings.synthetic")] if synthetic else []
    findings += key_findings(stats, language)
    return (
        environment()
        .get_template("book.html.j2")
        .render(
            lang=HTML_LANG[language],
            title=say.t("title"),
            css=Markup(css),
            t=say.t,
            cover={
                "data_label": data_label,
                "synthetic": synthetic,
                # also the running header of every PDF page (report.css)
                "synthetic_mark": label("common.synthetic_mark", language),
                "cutoff": words.format_date(cutoff, language),
                "version": version,
            },
            findings=findings,
            search=SearchBox(PAGE_ROOT, language),
            contents_link=label("site.nav.contents", language),
            colophon=colophon(say, data_label, version, fingerprints or {}),
            changes=changes,
            methods=methods(stats, language),
            chapters=[
                {
                    "anchor": p.anchor,
                    "title": p.title,
                    "sections": p.sections,
                    "body": Markup(p.body),
                }
                for p in parts
            ],
        )
    )


# The front matter as the assembled PDF prints it (helpers.report.assemble): numbered by itself
# in lower-case Roman numerals, its contents giving the chapters' and colophon's page numbers
# (the pages after it, from 1) as written on the link (data-page).
FRONT_CSS = """
@page { @bottom-center { content: counter(page, lower-roman); } }
ol.toc a::after { content: leader('.') target-counter(attr(href url), page, lower-roman); }
ol.toc a[data-page]::after { content: leader('.') attr(data-page); }
div.print-targets { height: 0; overflow: hidden; }
"""


def print_front(page: str, numbers: dict[str, str]) -> str:
    """The book page's cover, contents and front matter alone (chapters and colophon are
    assembled after it), the contents' links to them numbered from `numbers` (anchor → page
    number). Each such anchor is also an empty target at the end, so the link is kept in the
    PDF and leads to the chapter once assembled."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_without(page, CHAPTERS_START, COLOPHON_END), "html.parser")
    for section in soup.select("section.book-chapter, section.book-colophon"):
        section.decompose()
    targets = soup.new_tag("div", attrs={"class": "print-targets", "aria-hidden": "true"})
    for link in soup.select("ol.toc a[href]"):
        anchor = link["href"].removeprefix("#")
        if anchor in numbers:
            link["data-page"] = numbers[anchor]
            targets.append(soup.new_tag("span", attrs={"id": anchor}))
    (soup.find("main") or soup.body).append(targets)
    return soup.decode(formatter="html5")


def print_back(page: str) -> str:
    """The book page's colophon alone (the pages before it are assembled), with the synthetic
    sample's mark in its running header as the whole book has it (the cover sets it): the
    mark's element, out of sight, at the colophon's start."""
    from bs4 import BeautifulSoup

    cover = page[page.find(FRONT_START) : page.find(CHAPTERS_START)]  # with the mark, if any
    mark = BeautifulSoup(cover, "html.parser").select_one(".synthetic-mark")
    soup = BeautifulSoup(_without(page, FRONT_START, COLOPHON_START), "html.parser")
    colophon = soup.select_one("section.book-colophon")
    if mark is not None and colophon is not None:
        kept = soup.new_tag("span", attrs={"class": "synthetic-mark", "aria-hidden": "true"})
        kept["style"] = "position: absolute; visibility: hidden"
        kept.string = mark.get_text()
        colophon.insert(0, kept)
    for section in soup.select(
        "section.book-cover, section.book-contents, section.book-front, section.book-chapter"
    ):
        section.decompose()
    return soup.decode(formatter="html5")


# Where the book page's parts begin and end (templates/book.html.j2): print_front and print_back
# parse only the part they print, not every chapter (the whole page is 1–2 MB of HTML).
FRONT_START = '<section class="book-cover'
CHAPTERS_START = '<section class="book-chapter"'
COLOPHON_START = '<section class="book-colophon"'
COLOPHON_END = "</main>"


def _without(page: str, start: str, end: str) -> str:
    """The page without what lies from `start` up to (not including) `end`, when both are there
    in that order; else the page as it is (the caller's selectors still find every part)."""
    cut_from = page.find(start)
    cut_to = page.find(end, cut_from) if cut_from >= 0 else -1
    if cut_from < 0 or cut_to < 0:
        return page
    return page[:cut_from] + page[cut_to:]
