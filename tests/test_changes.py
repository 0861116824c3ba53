"""What changed since the previous edition (PREVIOUS): two firm-level snapshots compared by
firm_id, the statistics join (previous, change), the largest moves and their words in both
languages, and one end-to-end build with PREVIOUS. Every expected value is computed by hand."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.firmlevel.read import FirmLevelInput
from helpers.parameters import ParameterError, validate
from helpers.paths import PUBLISHED_DIR
from helpers.report import changes as report_changes
from helpers.stats import changes
from helpers.workflow.datapackage import read_published
from tests.conftest import make_report

REPO = Path(__file__).parents[1]
SAMPLE_FIRMS = REPO / "data" / "sample" / "firms.csv"

# The first five firms of the previous snapshot, made explicit so the counts below are by hand.
LEAVING = [
    ("北京市", "新材料"),  # SYN-00001: not in the current list
    ("北京市", "新一代信息技术"),  # SYN-00002: not in the current list
    ("上海市", "新材料"),  # SYN-00003: not in the current list
    ("广东省", "新材料"),  # SYN-00004: revoked in the current list
    ("北京市", "生物医药及高性能医疗器械"),  # SYN-00005: revoked in the current list
]
ENTERING = [
    ("NEW-1", "江苏省", "新材料"),
    ("NEW-2", "江苏省", "新一代信息技术"),
    ("NEW-3", "浙江省", "新材料"),
    ("NEW-4", "北京市", "高端机械装备"),
]


def snapshots(tmp_path: Path) -> tuple[Path, Path]:
    """Two firm-level folders: 30 sample firms (previous; SYN-00006 already revoked), and the
    same list without the first three, the next two revoked and four new firms (current)."""
    firms = pd.read_csv(SAMPLE_FIRMS, dtype=str, keep_default_na=False).head(30)
    for row, (province, field) in enumerate(LEAVING):
        firms.loc[row, ["province", "city", "industry_field", "review_status"]] = [
            province,
            "",
            field,
            "confirmed",
        ]
    firms.loc[5, "review_status"] = "revoked"  # revoked before: not a move now
    previous = tmp_path / "previous"
    previous.mkdir()
    firms.to_csv(previous / "firms.csv", index=False)

    current_firms = firms.iloc[3:].copy()
    current_firms.loc[[3, 4], "review_status"] = "revoked"
    template = firms.iloc[[6]]
    new = pd.concat(
        [
            template.assign(
                firm_id=firm_id,
                name=f"新企业{firm_id}",
                province=province,
                city="",
                industry_field=field,
                review_status="announced",
                batch_no="5",
            )
            for firm_id, province, field in ENTERING
        ]
    )
    current = tmp_path / "current"
    current.mkdir()
    pd.concat([current_firms, new]).to_csv(current / "firms.csv", index=False)
    return previous, current


@pytest.fixture
def moves(tmp_path):
    previous, current = snapshots(tmp_path)
    return changes.firm_moves(
        FirmLevelInput(previous, "2022-07-31").firms, FirmLevelInput(current, "2023-07-31").firms
    )


def test_firm_moves_entered_and_left(moves):
    entered = moves[moves["move"] == "entered"]
    left = moves[moves["move"] == "left"]
    assert sorted(entered["firm_id"]) == ["NEW-1", "NEW-2", "NEW-3", "NEW-4"]
    assert sorted(left["firm_id"]) == [f"SYN-0000{i}" for i in range(1, 6)]
    assert sorted(left.loc[left["revoked"], "firm_id"]) == ["SYN-00004", "SYN-00005"]
    assert "SYN-00006" not in set(moves["firm_id"])  # revoked in both lists


def test_moves_by_province(moves):
    table = changes.moves_by(moves, "province")
    # 北京市: NEW-4 in; SYN-00001, SYN-00002 gone, SYN-00005 revoked. Most moves first, then name.
    assert table.to_dict("records") == [
        {"province": "北京市", "entered": 1, "left": 3, "revoked": 1, "net": -2},
        {"province": "江苏省", "entered": 2, "left": 0, "revoked": 0, "net": 2},
        {"province": "上海市", "entered": 0, "left": 1, "revoked": 0, "net": -1},
        {"province": "广东省", "entered": 0, "left": 1, "revoked": 1, "net": -1},
        {"province": "浙江省", "entered": 1, "left": 0, "revoked": 0, "net": 1},
    ]


def test_moves_by_field(moves):
    table = changes.moves_by(moves, "industry_field")
    assert table.to_dict("records") == [
        {"industry_field": "新材料", "entered": 2, "left": 3, "revoked": 1, "net": -1},
        {"industry_field": "新一代信息技术", "entered": 1, "left": 1, "revoked": 0, "net": 0},
        {
            "industry_field": "生物医药及高性能医疗器械",
            "entered": 0,
            "left": 1,
            "revoked": 1,
            "net": -1,
        },
        {"industry_field": "高端机械装备", "entered": 1, "left": 0, "revoked": 0, "net": 1},
    ]


def test_firm_moves_between_reads_both_editions_tables(tmp_path):
    """Both editions' firms from the folders the build aggregated them into."""
    from helpers.data.source import DataSource
    from helpers.firmlevel.tables import ensure_tables

    previous, current = snapshots(tmp_path)
    previous = DataSource(ensure_tables(previous, "2022-07-31", tmp_path / "tables"))
    current = DataSource(ensure_tables(current, "2023-07-31", tmp_path / "tables"))
    moves = report_changes.firm_moves_between(current, previous)
    assert (moves["move"] == "entered").sum() == 4 and (moves["move"] == "left").sum() == 5
    assert report_changes.both_firm_level(current, previous)
    assert not report_changes.both_firm_level(DataSource(PUBLISHED_DIR), previous)


def test_year_on_year_columns():
    current = pd.DataFrame({"market": ["A", "B", "C"], "firms": [171, 301, 12]})
    previous = pd.DataFrame({"market": ["B", "A", "D"], "firms": [246, 174, 3]})
    table = changes.year_on_year(current, previous, "market", "firms")
    assert table["market"].tolist() == ["A", "B", "C", "D"]  # current order, then previous-only
    assert table["previous"].tolist()[:2] == [174, 246]
    assert table["change"].tolist()[:2] == [-3, 55]  # 171 - 174, 301 - 246
    assert table["change"].isna().tolist() == [False, False, True, True]


def statistics(rows):
    return pd.DataFrame(
        [
            {"key": k, "value": v, "unit": u, "label": f"label {k}", "source": "", "notebook": ""}
            for k, v, u in rows
        ]
    )


CURRENT = statistics(
    [
        ("a", "100", "家"),  # 80 -> 100: +20, +25%
        ("b", "0.45", "占比"),  # 0.5 -> 0.45: -0.05, -10%
        ("c", "7", "家"),  # new key: no previous value
        ("e", "3", "名次"),  # rank 5 -> 3: a change, but not a moving unit
        ("f", "1", "家"),  # 2 -> 1: -1, -50%
        ("g", "4", "家"),  # 0 -> 4: no relative change from a zero base
        ("h", "5", "家"),  # unchanged
    ]
)
PREVIOUS = statistics(
    [
        ("a", "80", "家"),
        ("b", "0.5", "占比"),
        ("d", "10", "家"),
        ("e", "5", "名次"),
        ("f", "2", "家"),
        ("g", "0", "家"),
        ("h", "5", "家"),
    ]
)


def test_join_previous():
    joined = changes.join_previous(CURRENT, PREVIOUS)
    assert joined["previous"].tolist() == ["80", "0.5", "", "5", "2", "0", "5"]
    assert joined["change"].tolist() == ["20", "-0.05", "", "-2", "-1", "4", "0"]
    assert list(joined.columns)[-2:] == ["previous", "change"]
    assert changes.join_previous(CURRENT, None)["previous"].tolist() == [""] * 7


def test_largest_moves_order():
    joined = changes.join_previous(CURRENT, PREVIOUS)
    moves = changes.largest_moves(joined, {"家", "占比"}, n=5)
    # |relative|: f 0.5, a 0.25, b 0.1; e is a rank, g from zero, h unchanged, c new.
    assert moves["key"].tolist() == ["f", "a", "b"]
    assert moves["relative"].round(10).tolist() == [-0.5, 0.25, -0.1]
    assert changes.largest_moves(joined, {"家", "占比"}, n=2)["key"].tolist() == ["f", "a"]


def test_previous_cutoff():
    assert changes.previous_cutoff("2023-07-31") == "2022-07-31"
    assert changes.previous_cutoff("2024-02-29") == "2023-02-28"


def test_section_words_zh_and_en():
    current = statistics([("a", "843", "家"), ("b", "0.45", "占比"), ("c", "12", "家")])
    previous = statistics([("a", "780", "家"), ("b", "0.42", "占比"), ("c", "12", "家")])
    joined = changes.join_previous(current, previous)
    zh = report_changes.changes_section(joined, "zh", "data/2022")
    # a: +63/780 = 8.1%; b: +0.03/0.42 = 7.1%: a first; c unchanged.
    assert zh["title"] == "本期变化"
    assert zh["moves"] == [
        "label a：增至843家（上一版780家，+63家）",
        "label b：增至45.0%（上一版42.0%，+3.0个百分点）",
    ]
    assert "data/2022" in zh["intro"] and "最大的2项统计" in zh["intro"]
    assert zh["firms"] == ""
    current_en = statistics([("a", "700", "firms"), ("b", "0.45", "share")])
    previous_en = statistics([("a", "780", "firms"), ("b", "0.42", "share")])
    en = report_changes.changes_section(
        changes.join_previous(current_en, previous_en), "en", "data/2022"
    )
    assert en["title"] == "What changed"
    # a: -80/780 = -10.3%, b: +7.1%: a first.
    assert en["moves"] == [
        "label a: fell to 700 firms (previous edition 780 firms, −80 firms)",
        "label b: rose to 45.0% (previous edition 42.0%, +3.0 pp)",
    ]
    assert "the 2 statistics" in en["intro"]


def test_section_firms_sentence_and_no_moves():
    keys = report_changes.FIRM_KEYS
    rows = [(keys["entered"], "4", "家"), (keys["left"], "5", "家"), (keys["revoked"], "2", "家")]
    joined = changes.join_previous(statistics(rows), statistics(rows))
    zh = report_changes.changes_section(joined, "zh", "x")
    assert zh["moves"] == [] and "均无变化" in zh["intro"]
    assert zh["firms"].startswith("按企业代码比较两期企业名单：新进入4家，退出5家（其中被撤销2家）")
    html = report_changes.render_section(zh)
    assert 'id="changes"' in html and "本期变化" in html


def test_previous_parameter(tmp_path):
    checked = validate("data/published", "zh", "2023-07-31", previous="data/sample")
    assert checked["previous_kind"] == "firm-level" and checked["previous_dir"] == "data/sample"
    assert validate("data/published", "zh", "2023-07-31", previous="")["previous_path"] is None
    with pytest.raises(ParameterError, match=r"^PREVIOUS=nowhere: folder not found$"):
        validate(previous="nowhere")
    with pytest.raises(ParameterError, match="the same folder as DATA_DIR"):
        validate("data/sample", previous="data/sample")


def test_chapter_fingerprint_covers_the_previous_folder(tmp_path):
    from helpers.workflow import fingerprint

    previous, _ = snapshots(tmp_path)
    notebook = REPO / "notebooks" / "01_cultivation.ipynb"
    published = REPO / "data" / "published"
    parameters = {"language": "zh", "previous_dir": str(previous)}
    before = fingerprint.fingerprint(notebook, published, parameters)
    assert before != fingerprint.fingerprint(notebook, published, {"language": "zh"})
    (previous / "listings.csv").write_text("firm_id,board\n", encoding="utf-8")
    assert fingerprint.fingerprint(notebook, published, parameters) != before


class FakeFailure(Exception):
    """Stands in for papermill's PapermillExecutionError (matched by name)."""

    ename, evalue = "KeyError", "no published table 'patents_per_firm_by_year'"


FakeFailure.__name__ = "PapermillExecutionError"


def test_previous_statistics_cached_and_a_failing_chapter_left_out(tmp_path, monkeypatch, capsys):
    """The chapters run on the previous data once (then cached); one that fails there is named
    in one line and has no previous statistics, the others are merged."""
    from helpers.workflow import batch
    from helpers.workflow import previous as previous_step

    runs = []

    def execute(notebook, executed, parameters, kernel=None):
        runs.append(notebook.stem)
        assert parameters["cutoff"] == "2022-07-31" and "previous_dir" not in parameters
        if notebook.stem == "02_innovation":
            raise FakeFailure()
        folder = Path(parameters["output_dir"]) / "statistics"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{notebook.stem}.csv").write_text(
            f"key,value,unit,label,source,notebook\n{notebook.stem}.x,1,家,x,s,{notebook.stem}\n",
            encoding="utf-8",
        )

    monkeypatch.setattr(batch, "execute_notebook", execute)
    checked = validate("data/published", "zh", "2023-07-31", previous="data/sample")
    staging = tmp_path / "build" / "zh" / "reports"
    chapters = ["01_cultivation", "02_innovation"]
    merged = previous_step.ensure_previous_statistics(checked, staging, chapters)
    assert merged == staging.parent / "previous" / "statistics.csv"
    assert pd.read_csv(merged)["key"].tolist() == ["01_cultivation.x"]
    assert (
        "no previous values for 02_innovation (KeyError: no published table"
        in capsys.readouterr().out
    )
    previous_step.ensure_previous_statistics(checked, staging, chapters)
    assert runs == chapters  # the second call found both up to date
    assert previous_step.ensure_previous_statistics(validate(), staging, chapters) is None


def test_bad_previous_stops_the_build_in_one_line():
    command = [sys.executable, "-m", "helpers.workflow", "check", "--previous", "data/nowhere"]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip() == "PREVIOUS=data/nowhere: folder not found"


def previous_published(tmp_path: Path) -> Path:
    """data/published as last year's edition: four A-share boards and two PCT bins differ."""
    folder = tmp_path / "published-2022"
    shutil.copytree(REPO / "data" / "published", folder)
    edits = {
        "001_capital_markets.csv": [
            ("A股主板上市,171,", "A股主板上市,174,"),  # change -3
            ("A股创业板上市,301,", "A股创业板上市,246,"),  # +55
            ("A股科创板上市,274,", "A股科创板上市,205,"),  # +69
            ("A股北交所上市,97,", "A股北交所上市,29,"),  # +68
        ],
        "001_pct_holdings.csv": [
            ("0件,0,0,9334,", "0件,0,0,10121,"),
            ("1-9件,1,9,2404,", "1-9件,1,9,1617,"),
        ],
        # its stated A-share total: 174 + 246 + 205 + 29 = 654
        "catalog_001.yml": [
            ("{column: firms, equals: 843, where:", "{column: firms, equals: 654, where:")
        ],
    }
    for name, pairs in edits.items():
        text = (folder / name).read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text
            text = text.replace(old, new, 1)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.edition  # make report, twice over: the edition and its previous data
def test_report_with_previous_end_to_end(tmp_path):
    """`make report REGIONS=none PREVIOUS=…`: statistics.csv has previous and change, chapter 1
    the year-on-year table, the book its 本期变化 section; the edition id is unchanged (zh)."""
    previous = previous_published(tmp_path)
    result, reports = make_report(tmp_path, "previous", REGIONS="none", PREVIOUS=str(previous))
    assert result.returncode == 0, result.stdout + result.stderr
    edition = reports / "zh"
    rows = read_published(edition / "statistics.csv").set_index("key", drop=False)
    rows = {key: row.to_dict() for key, row in rows.iterrows()}
    listed = rows["01_cultivation.markets.a_share_listed"]
    assert (listed["value"], listed["previous"], listed["change"]) == ("843", "654", "189")
    changed = {
        k.rsplit(".", 1)[1]: r["value"] for k, r in rows.items() if ".change_vs_previous." in k
    }
    assert sorted(changed.values(), key=int) == ["-3", "0", "0", "0", "55", "68", "69"]
    bins = {k: r["value"] for k, r in rows.items() if ".pct_bin_change_vs_previous." in k}
    assert sorted(bins.values(), key=int) == ["-787", "0", "0", "787"]
    assert rows["01_cultivation.batches.announced_total"]["change"] == "0"
    new_key = next(k for k in rows if ".change_vs_previous." in k)
    assert rows[new_key]["previous"] == "" and rows[new_key]["change"] == ""
    book = (edition / "html" / "report.html").read_text(encoding="utf-8")
    assert 'id="changes"' in book and "本期变化" in book
    # The largest relative move: 北交所 listings 29 -> 97 of 12,192 firms (+234%).
    section = book[book.index('id="changes-section"') :].split("</section>", 1)[0]
    assert section.count("<li>") == 5
    assert "<li>A股北交所上市占比：增至0.8%（上一版0.2%，+0.6个百分点）</li>" in section
    chapter = (edition / "html" / "01_cultivation.html").read_text(encoding="utf-8")
    assert "相比上一版的变化" in chapter and "+55" in chapter
    # the previous data by its title, never its folder's path
    assert "上一版数据：公开报告数据" in chapter and "与上一版数据（公开报告数据）相比" in section
    assert str(previous) not in chapter and str(previous) not in book
    record = json.loads((edition / "edition.json").read_text(encoding="utf-8"))
    assert record["edition"] == "zh" and record["previous_dir"].endswith("published-2022")


def test_the_same_list_twice_has_no_moves(tmp_path):
    previous, _ = snapshots(tmp_path)
    firms = FirmLevelInput(previous, "2022-07-31").firms
    moves = changes.firm_moves(firms, firms)
    assert moves.empty and changes.moves_by(moves, "province").empty
