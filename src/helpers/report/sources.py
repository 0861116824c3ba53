"""Where a number comes from, in the reader's words: every published row carries source_doc and
source_id, so the source of a chart, a recorded number or a check is derived from the rows it
used — a published document and its charts, or the firm-level folder and its fingerprint."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.report import words
from helpers.report.labels import label, translate

FIRM_LEVEL = "firm-level"
# The synthetic sample's words for each firm-level source text: a reader is told it is invented.
SYNTHETIC_KEYS = {
    "firm_level_source": "synthetic_source",
    "firm_level_ref": "synthetic_ref",
    "firm_level_check": "synthetic_check",
}


def data_title(language: str, *, firm_level: bool, synthetic: bool, folder: str = "") -> str:
    """The data source as a reader is told it: 公开报告数据, 示例数据（合成）, or
    企业数据：<the folder's name> — by its title, never a path."""
    kind = "synthetic" if synthetic else "firm_level" if firm_level else "published"
    return label(f"common.data_title.{kind}", language, name=Path(folder).name)


# A source that starts with a seed's document id ('001 图表1.4'), as the checks record it.
LEADING_DOCUMENT_ID = re.compile(r"^(\d{3})(?=\s|$)")


def reader_source(source: str, language: str) -> str:
    """A check's source as a reader sees it: a leading document id by the document's short
    citation name ('001 图表1.4' → '智慧芽2023 图表1.4'); other sources unchanged."""
    return LEADING_DOCUMENT_ID.sub(lambda m: translate(m.group(1), language), str(source))


OUTLINE_NUMBER = re.compile(r"[一二三四五六七八九十]+（[一二三四五六七八九十]+）\d+")


def translate_source_id(source_id: str, language: str) -> str:
    """A source id ('图表1.4', '城市页·北京', '摘要') in the report language: whole ids from
    `names:` in the label files, else '图表N' → 'Chart N' and known parts joined by '·'."""
    if language == "zh":
        return source_id
    whole = translate(source_id, language)
    if whole != source_id:
        return whole
    parts = []
    for part in source_id.split("·"):
        if part.startswith("图表"):
            parts.append(label("words.chart", language) + " " + part.removeprefix("图表"))
        elif OUTLINE_NUMBER.fullmatch(part):  # 二（一）1: part 2, (1), item 1 of a regulation
            parts.append(label("words.section", language, number=words.outline_number(part)))
        else:
            parts.append(translate(part, language))
    return " · ".join(parts)


@dataclass
class Sources:
    """Source texts for one chapter: `documents` (id → catalogue document), the language, and
    `load` to fetch a loaded table's rows by name."""

    documents: dict[str, dict]
    language: str
    load: Callable[[str], pd.DataFrame]

    def _cited(self, *items) -> dict[str, list[str]]:
        """Document id → the source ids cited, in order of first use, over tables (by name) and
        rows (frames or a single row)."""
        cited: dict[str, list[str]] = {}
        for item in items:
            rows = self.load(item) if isinstance(item, str) else item
            if isinstance(rows, pd.Series):
                rows = rows.to_frame().T
            for doc, ids in rows.groupby("source_doc", sort=False)["source_id"]:
                known = cited.setdefault(str(doc), [])
                known += [i for i in dict.fromkeys(ids.dropna().astype(str)) if i not in known]
        return cited

    def firm_level(self) -> str:
        """'由企业级数据汇总计算（folder，指纹…）', or the synthetic sample's words."""
        return self._firm_level("firm_level_source")

    def _firm_level(self, key: str) -> str:
        document = self.documents.get(FIRM_LEVEL, {})
        if document.get("synthetic"):
            key = SYNTHETIC_KEYS[key]
        # the folder by its name, never its path; its fingerprint is in the book's colophon
        return label(f"common.{key}", self.language, name=Path(document.get("folder", "")).name)

    def _ids(self, ids: list[str]) -> str:
        return words.join([translate_source_id(i, self.language) for i in ids], self.language)

    def line(self, *items, note: str = "") -> str:
        """'资料来源：…' for a caption; firm-level rows name the folder (示例数据 for the sample)."""
        texts = []
        for doc, ids in self._cited(*items).items():
            if doc == FIRM_LEVEL:
                texts.append(self._firm_level("firm_level_source"))
                continue
            document = self.documents.get(doc, {})
            # A document outside the catalogues (a regulation cited by id) goes by its name.
            title = document.get(
                "title" if self.language == "zh" else "title_en", translate(doc, self.language)
            )
            ids_text = self._ids(ids)
            texts.append(
                label("common.source_document", self.language, title=title, ids=ids_text)
                if ids_text
                else title
            )
        separator = label("common.clause_separator", self.language)
        text = label("common.source_prefix", self.language) + separator.join(texts)
        text += label("common.recomputed_suffix", self.language)
        return text + (separator + note if note else "")

    def ref(self, *items, fingerprint: bool = True) -> str:
        """The short source of a recorded number or a check ('智慧芽2023 图表1.4'); firm-level rows
        name the folder once, with the sample's note and, unless `fingerprint` is False, the
        fingerprint: '企业级数据（data/sample，示例数据，指纹…）'."""
        firm_level = "firm_level_ref" if fingerprint else "firm_level_check"
        refs = [
            self._firm_level(firm_level)
            if doc == FIRM_LEVEL
            # a document outside the catalogues (a regulation, a repost) by its name's words
            else f"{translate(doc, self.language)} {self._ids(ids)}"
            for doc, ids in self._cited(*items).items()
        ]
        return label("common.clause_separator", self.language).join(refs)
