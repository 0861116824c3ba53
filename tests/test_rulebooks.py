"""The MIIT measures as rulebooks (helpers.screening.rulebooks; issue 21): the rulebook a date
chooses, hand-worked firms at every threshold's edges under each rulebook (just met, just
missed, unknown, needs review), tiers that nest, four outcomes through all/any, and bad rulebook
data refused in one line. Thresholds below are the expected values, worked out by hand from
the measures' text; the code reads them only from data/published/miit_rulebook_conditions.csv."""

from __future__ import annotations

import shutil
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

from helpers.data import catalog
from helpers.data.errors import DataInputError
from helpers.parameters import ParameterError, validate
from helpers.paths import PUBLISHED_DIR
from helpers.screening import MET, NOT_MET, REVIEW, UNKNOWN, rulebooks
from helpers.screening.rules import build_tree

OLD, NEW = "miit_2022", "miit_2026"


def book(rulebook_id: str):
    return rulebooks.load_rulebooks()[rulebook_id]


def outcome(rulebook_id: str, firm: dict, criterion: str) -> int:
    return int(book(rulebook_id).screen(pd.DataFrame([firm])).outcomes[criterion].iloc[0])


# The rulebook a date chooses ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2022-08-01", OLD),  # the first day of the 2022 interim measures
        ("2023-07-31", OLD),  # the data cut-off
        ("2026-03-31", OLD),  # the last day before the 2026 measures
        ("2026-04-01", NEW),
        ("2030-01-01", NEW),  # the 2026 measures have no end
    ],
)
def test_the_date_chooses_the_rulebook_in_force(date, expected):
    assert rulebooks.for_date(date).id == expected


def test_a_date_before_every_rulebook_names_the_earliest_date():
    with pytest.raises(rulebooks.NoRulebook, match="earliest date available is 2022-08-01"):
        rulebooks.for_date("2022-07-31")
    with pytest.raises(ParameterError) as error:
        validate(assessment_date="2021-06-30")
    assert str(error.value) == (
        "ASSESSMENT_DATE=2021-06-30: before every rulebook of the data (MIIT tier measures); "
        "the earliest date available is 2022-08-01"
    )
    assert "\n" not in str(error.value)
    with pytest.raises(ParameterError, match=r"^DATE=2026-02-30: not a real date"):
        validate(date="2026-02-30")
    # empty: the cut-off is the date, and must have a rulebook too
    with pytest.raises(ParameterError, match=r"CUTOFF=2021-12-31\): before every rulebook"):
        validate(cutoff="2021-12-31", assessment_date="")
    assert validate(assessment_date="")["assessment_date"] == ""


def test_the_newer_rulebook_succeeds_the_older_and_the_transitions_say_what_stays():
    assert rulebooks.successor(book(OLD)).id == NEW
    assert rulebooks.successor(book(NEW)) is None
    on_day = rulebooks.transitions_on("2026-06-01", book(OLD))
    # certificates stay valid, the 2026 re-review of batches 2 and 5, the first tier's table
    assert set(on_day["transition"]) == {"certificates", "re_review", "first_tier"}
    assert rulebooks.transitions_on("2023-07-31", book(OLD)).empty


def test_the_2026_first_tier_is_the_2022_innovative_tier_renamed():
    old, new = book(OLD).roots, book(NEW).roots
    assert next(iter(new)) == "科技和创新型中小企业" and next(iter(old)) == "创新型中小企业"
    assert [r.id for r in old["创新型中小企业"].walk()] == [
        r.id for r in new["科技和创新型中小企业"].walk()
    ]
    # 2026 scores only the first tier: the 2022 专精特新 points table no longer applies
    assert set(book(NEW).points["tier_code"]) == {"CX"}
    assert set(book(OLD).points["tier_code"]) == {"CX", "ZJ"}


# Hand-worked firms at the edges: 2022 --------------------------------------------------------
# Innovative by an alternative (a valid 高新技术企业 honour): the tier below 专精特新 is met.
INNOVATIVE = {"honours_valid": True}
# 专精特新 2022, every condition just met: 2 years in the niche; R&D 100万元 and 3%; revenue
# 1,000万元; the direct route of a 创客中国 top-500 place (ZJ.4.4).
SPECIALISED_2022 = {
    **INNOVATIVE,
    "niche_years": 2.0,
    "rd_expense": 100.0,
    "rd_share": 0.03,
    "revenue": 1000.0,
    "maker_china_top500": True,
}
# 小巨人 2022 on top: a 10% national share and reputation (004's case C), 3 years in the niche,
# main revenue 70%, two-year growth 5%, debt 70%.
GIANT_2022 = {
    **SPECIALISED_2022,
    "niche_years": 3.0,
    "market_share": 0.1,
    "well_known": True,
    "main_revenue_share": 0.7,
    "main_revenue_growth_2y": 0.05,
    "debt_ratio": 0.7,
}

# What an attribute is derived from when its own value is missing (helpers.screening.values):
# the R&D share from R&D spending over revenue; unknown only when that cannot be done either.
FROM = defaultdict(tuple, {"rd_share": ("rd_expense",)})

EDGES_2022 = [
    # (criterion, attribute, just met, just missed)
    ("ZJ.1", "niche_years", 2.0, 1.99),
    ("ZJ.2.a", "rd_expense", 100.0, 99.99),
    ("ZJ.2.b", "rd_share", 0.03, 0.0299),
    ("ZJ.3.a", "revenue", 1000.0, 999.99),
    ("XJR.1.a", "market_share", 0.1, 0.0999),
    ("XJR.2", "niche_years", 3.0, 2.99),
    ("XJR.3", "main_revenue_share", 0.7, 0.6999),
    ("XJR.4.a", "main_revenue_growth_2y", 0.05, 0.0499),
    ("XJR.5", "debt_ratio", 0.7, 0.7001),  # not above 70%
]


@pytest.mark.parametrize(("criterion", "attribute", "met", "missed"), EDGES_2022)
def test_2022_thresholds_at_their_edges(criterion, attribute, met, missed):
    assert outcome(OLD, {**GIANT_2022, attribute: met}, criterion) == MET
    assert outcome(OLD, {**GIANT_2022, attribute: missed}, criterion) == NOT_MET
    unknown = {k: v for k, v in GIANT_2022.items() if k not in {attribute, *FROM[attribute]}}
    assert outcome(OLD, unknown, criterion) == UNKNOWN


def test_2022_tiers_of_the_edge_firm_and_what_a_missed_edge_does():
    result = book(OLD).screen(pd.DataFrame([GIANT_2022]))
    assert result.tiers.iloc[0].tolist() == [MET, MET, MET]
    # 999.99万元 of revenue: ZJ.3 needs 2,000万元 of equity financing then (none given: unknown)
    below = book(OLD).screen(pd.DataFrame([{**GIANT_2022, "revenue": 999.99}]))
    assert int(below.outcomes["ZJ.3.b.1"].iloc[0]) == MET  # 1,000万元以下
    assert int(below.outcomes["ZJ.3"].iloc[0]) == UNKNOWN
    financed = {**GIANT_2022, "revenue": 999.99, "equity_financing_2y": 2000.0}
    assert book(OLD).screen(pd.DataFrame([financed])).tiers.iloc[0].tolist() == [MET, MET, MET]


def test_2022_innovative_score_at_60_points_just_met_and_just_missed():
    # 创新能力: Ⅰ类 10 + R&D 2% (2%-3% band) 10 = 20 (>= 20); 成长性: growth 5% (5%-10%) 10 +
    # debt 60% (55%-75%) 5 = 15 (>= 15); 专业化: 战略性新兴 10 + main revenue 60% (60%-70%) 15 =
    # 25 (>= 15); total 60 (>= 60): met by the score, no alternative needed.
    firm = {
        "ip_class": "Ⅰ类",
        "rd_share": 0.02,
        "main_revenue_growth": 0.05,
        "debt_ratio": 0.60,
        "strategic_emerging_industry": True,
        "main_revenue_share": 0.60,
        "sci_award_3y": False,
        "honours_valid": False,
        "rd_institution_provincial": False,
        "equity_financing_3y": 0.0,
    }
    result = book(OLD).screen(pd.DataFrame([firm]))
    low, high = (float(s.iloc[0]) for s in result.scores.total("CX"))
    assert (low, high) == (60.0, 60.0)
    assert int(result.outcomes["CX"].iloc[0]) == MET
    # main revenue 59.99% falls to the 55%-60% band: 10 points, total 55 < 60: not met
    missed = book(OLD).screen(pd.DataFrame([{**firm, "main_revenue_share": 0.5999}]))
    assert float(missed.scores.total("CX")[0].iloc[0]) == 55.0
    assert int(missed.outcomes["CX"].iloc[0]) == NOT_MET
    # no R&D share: 创新能力 between 10 (0 for R&D) and 30 (20): CX.1.b >= 20 is undecided
    unknown = book(OLD).screen(pd.DataFrame([{k: v for k, v in firm.items() if k != "rd_share"}]))
    assert int(unknown.outcomes["CX.1.b"].iloc[0]) == UNKNOWN


# Hand-worked firms at the edges: 2026 --------------------------------------------------------
# 专精特新 2026, every condition data can decide just met: 3 years; revenue 1,500万元; main
# revenue 80%; debt 80%; R&D 100万元 and 3% in each of the last two years; a Ⅰ类 IP.
SPECIALISED_2026 = {
    **INNOVATIVE,
    "niche_years": 3.0,
    "revenue": 1500.0,
    "main_revenue_share": 0.8,
    "debt_ratio": 0.8,
    "rd_expense": 100.0,
    "rd_share": 0.03,
    "rd_expense_prior": 100.0,
    "rd_share_prior": 0.03,
    "ip_class": "Ⅰ类",
}
# 小巨人 2026 on top: revenue 5,000万元, main revenue 90%, two-year CAGR 5%, debt 75%, R&D
# 600万元 in each year (1,200万元 together), 4 Ⅰ类 IP, a 10% national share.
GIANT_2026 = {
    **SPECIALISED_2026,
    "revenue": 5000.0,
    "main_revenue_share": 0.9,
    "revenue_cagr_2y": 0.05,
    "debt_ratio": 0.75,
    "rd_expense": 600.0,
    "rd_expense_prior": 600.0,
    "class1_ip_count": 4,
    "market_share": 0.1,
}

EDGES_2026 = [
    ("ZJ26.1", "niche_years", 3.0, 2.99),
    ("ZJ26.2.a", "revenue", 1500.0, 1499.99),
    ("ZJ26.3", "main_revenue_share", 0.8, 0.7999),
    ("ZJ26.4", "debt_ratio", 0.8, 0.8001),
    ("ZJ26.5.a", "rd_expense", 100.0, 99.99),
    ("ZJ26.5.b", "rd_share", 0.03, 0.0299),
    ("ZJ26.5.c", "rd_expense_prior", 100.0, 99.99),
    ("ZJ26.5.d", "rd_share_prior", 0.03, 0.0299),
    ("XJR26.2", "revenue", 5000.0, 4999.99),
    ("XJR26.3", "main_revenue_share", 0.9, 0.8999),
    ("XJR26.4", "revenue_cagr_2y", 0.05, 0.0499),
    ("XJR26.5", "debt_ratio", 0.75, 0.7501),
    ("XJR26.7.a", "class1_ip_count", 4, 3),
    ("XJR26.8.a", "market_share", 0.1, 0.0999),
]


@pytest.mark.parametrize(("criterion", "attribute", "met", "missed"), EDGES_2026)
def test_2026_thresholds_at_their_edges(criterion, attribute, met, missed):
    base = SPECIALISED_2026 if criterion.startswith("ZJ") else GIANT_2026
    assert outcome(NEW, {**base, attribute: met}, criterion) == MET
    assert outcome(NEW, {**base, attribute: missed}, criterion) == NOT_MET
    unknown = {k: v for k, v in base.items() if k not in {attribute, *FROM[attribute]}}
    assert outcome(NEW, unknown, criterion) == UNKNOWN


def test_2026_the_two_year_rd_total_at_1200():
    # 600 + 600 = 1,200万元: met; 600 + 599.99 = 1,199.99: missed; no prior year: twice the
    # two-year mean (599.995 → 1,199.99): missed.
    assert outcome(NEW, GIANT_2026, "XJR26.6.a") == MET
    assert outcome(NEW, {**GIANT_2026, "rd_expense_prior": 599.99}, "XJR26.6.a") == NOT_MET
    firm = {k: v for k, v in GIANT_2026.items() if k != "rd_expense_prior"}
    assert outcome(NEW, {**firm, "rd_expense_2y_mean": 599.995}, "XJR26.6.a") == NOT_MET
    assert outcome(NEW, firm, "XJR26.6.a") == UNKNOWN


def test_2026_what_only_a_review_decides_needs_review_and_caps_the_tier():
    result = book(NEW).screen(pd.DataFrame([GIANT_2026]))
    for criterion in ("ZJ26.7", "ZJ26.8", "XJR26.9", "XJR26.10"):
        assert int(result.outcomes[criterion].iloc[0]) == REVIEW
    # every condition the data decides met: the tiers above the first need review, never met
    assert result.tiers.iloc[0].tolist() == [MET, REVIEW, REVIEW]
    # one data condition missed: not met, whatever the review would say
    missed = book(NEW).screen(pd.DataFrame([{**GIANT_2026, "debt_ratio": 0.81}]))
    assert missed.tiers.iloc[0].tolist() == [MET, NOT_MET, NOT_MET]


def test_2026_class_one_ip_or_a_waiver():
    firm = {**SPECIALISED_2026, "ip_class": "Ⅱ类"}
    assert outcome(NEW, firm, "ZJ26.6.a") == NOT_MET
    assert outcome(NEW, firm, "ZJ26.6") == UNKNOWN  # award ranks, R&D institution unknown
    assert outcome(NEW, {**firm, "rd_institution_level": "省级"}, "ZJ26.6") == MET
    assert outcome(NEW, {**firm, "provincial_award_rank": 3}, "ZJ26.6") == MET
    assert outcome(NEW, {**firm, "provincial_award_rank": 4}, "ZJ26.6.b") == NOT_MET
    for ip in ("Ⅰ类高价值", "自主研发Ⅰ类", "Ⅰ类"):
        assert outcome(NEW, {**firm, "ip_class": ip}, "ZJ26.6") == MET


# Tiers nest -------------------------------------------------------------------------------------
@pytest.mark.parametrize("rulebook_id", [OLD, NEW])
def test_a_firm_meets_a_tier_only_if_it_meets_the_tiers_below(rulebook_id):
    # meets every condition of the upper tiers, but not the first tier (no alternative, no score)
    firm = {**(GIANT_2022 if rulebook_id == OLD else GIANT_2026), "honours_valid": False}
    firm |= {"sci_award_3y": False, "rd_institution_provincial": False, "equity_financing_3y": 0}
    firm |= {"ip_class": "无", "main_revenue_growth": -0.2, "strategic_emerging_industry": False}
    result = book(rulebook_id).screen(pd.DataFrame([firm]))
    assert int(result.tiers.iloc[0, 0]) == NOT_MET
    assert result.tiers.iloc[0, 1:].tolist() == [NOT_MET, NOT_MET]


@pytest.mark.parametrize("rulebook_id", [OLD, NEW])
def test_tier_counts_nest_on_the_sample(rulebook_id, sample_firms):
    from helpers.screening.summary import tier_counts

    counts = tier_counts(book(rulebook_id).screen(sample_firms)).set_index("tier")
    passes = (counts["met"] + counts["review"]).tolist()
    assert passes == sorted(passes, reverse=True)
    codes = book(rulebook_id).screen(sample_firms).tiers.to_numpy()
    # firm by firm: an upper tier's outcome never beats the tier below it
    assert (np.diff(codes, axis=1) <= 0).all()


@pytest.fixture(scope="module")
def sample_firms():
    from helpers.firmlevel.read import FirmLevelInput
    from helpers.paths import SAMPLE_DIR

    return FirmLevelInput(SAMPLE_DIR).firms


# Four outcomes through all / any ----------------------------------------------------------------
def test_review_sits_between_unknown_and_met():
    rows = [
        ("T", "T", None, "all", None, None, None, None, "T"),
        ("T", "A", "T", "leaf", "bool", None, None, "honours_valid", "A"),
        ("T", "R", "T", "leaf", "review", None, None, None, "R"),
    ]
    columns = ["tier", "criterion_id", "parent_id", "logic", "operator", "threshold", "unit"]
    frame = pd.DataFrame(rows, columns=[*columns, "attribute", "text"])
    from helpers.screening.evaluate import evaluate

    firms = pd.DataFrame({"honours_valid": [True, False, None]})
    codes = evaluate(firms, build_tree(frame)).outcomes["T"].tolist()
    assert codes == [REVIEW, NOT_MET, UNKNOWN]  # all: min of (MET|NOT_MET|UNKNOWN, REVIEW)
    frame.loc[0, "logic"] = "any"
    codes = evaluate(firms, build_tree(frame)).outcomes["T"].tolist()
    assert codes == [MET, REVIEW, REVIEW]  # any: max


def test_a_tier_leaf_must_name_a_tier_before_its_own():
    rows = pd.DataFrame(
        [
            ("X", "X", None, "all", None, None, None, None, "X"),
            ("X", "X.0", "X", "leaf", "tier", "Y", None, None, "below"),
            ("Y", "Y", None, "all", None, None, None, None, "Y"),
            ("Y", "Y.1", "Y", "leaf", "review", None, None, None, "y"),
        ],
        columns=[
            *["tier", "criterion_id", "parent_id", "logic", "operator", "categories"],
            *["threshold", "attribute", "text"],
        ],
    )
    with pytest.raises(ValueError, match=r"criterion X\.0: tier 'Y' is not a tier before X"):
        build_tree(rows)


# Bad rulebook data: one line naming file, row, column and value ---------------------------------
@pytest.fixture
def published_copy(tmp_path):
    folder = tmp_path / "published"
    shutil.copytree(PUBLISHED_DIR, folder)
    return folder


def edit_csv(path, row: int, column: str, value: str) -> None:
    """Set one cell (`row` = the line in the file, header = 1) of a CSV file."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")


def problems(folder) -> list[str]:
    with pytest.raises(DataInputError) as error:
        catalog.validate_all(folder)
    return str(error.value).splitlines()


def test_an_unknown_tier_is_refused_naming_file_row_column_and_value(published_copy):
    edit_csv(published_copy / "miit_rulebook_conditions.csv", 5, "tier", "小小巨人")
    (line,) = problems(published_copy)
    assert line.startswith(
        "data/published/miit_rulebook_conditions.csv, row 5, column 'tier', value '小小巨人': "
        "unknown value"
    ) or ("row 5, column 'tier', value '小小巨人'" in line and "unknown value" in line)


def test_a_missing_threshold_is_refused(published_copy):
    path = published_copy / "miit_rulebook_conditions.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = int(frame.index[frame["criterion_id"] == "ZJ26.3"][0]) + 2  # miit_2026's ZJ26.3
    edit_csv(path, row, "threshold", "")
    (line,) = problems(published_copy)
    assert f"miit_rulebook_conditions.csv, row {row}, column 'threshold'" in line
    assert "missing value; required where operator = >=" in line


def test_overlapping_or_reversed_periods_are_refused(published_copy):
    path = published_copy / "miit_rulebooks.csv"
    edit_csv(path, 3, "in_force_from", "2026-03-01")  # the 2026 measures before 2022's end
    (line,) = problems(published_copy)
    assert "miit_rulebooks.csv, row 3, column 'in_force_from', value '2026-03-01'" in line
    assert "overlaps the period of row 2 (2022-08-01 to 2026-03-31)" in line
    edit_csv(path, 3, "in_force_from", "2026-04-01")
    edit_csv(path, 2, "in_force_to", "2022-07-01")
    (line,) = problems(published_copy)
    assert (
        "row 2, column 'in_force_to', value '2022-07-01': the period ends before it starts" in line
    )


def test_a_date_that_is_no_day_is_refused(published_copy):
    edit_csv(published_copy / "miit_rulebooks.csv", 2, "issued", "2022-06-31")
    (line,) = problems(published_copy)
    assert "row 2, column 'issued', value '2022-06-31': not a real date" in line


def test_check_data_stops_before_building_on_a_bad_rulebook(published_copy, tmp_path):
    import subprocess
    import sys

    edit_csv(published_copy / "miit_rulebooks.csv", 3, "in_force_from", "2026-03-01")
    run = subprocess.run(
        [
            *[sys.executable, "-m", "helpers.workflow", "check", "--data-dir", str(published_copy)],
            *["--build", str(tmp_path / "build"), "--reports", str(tmp_path / "reports")],
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    # the build's bad-input header, then one line for the one problem
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert lines[0] == "bad input data:" and len(lines) == 2
    assert "miit_rulebooks.csv, row 3, column 'in_force_from', value '2026-03-01'" in lines[1]
    assert "overlaps the period of row 2" in lines[1]
    assert not (tmp_path / "reports").exists()


def test_a_firm_attribute_with_an_impossible_value_is_refused(tmp_path):
    from helpers.firmlevel.read import FirmLevelInput

    (tmp_path / "firms.csv").write_text(
        "firm_id,name,batch_no,province,main_revenue_share,revenue,rd_share_prior\n"
        "F1,甲,5,江苏省,1.2,100,0.03\n"
        "F2,乙,5,江苏省,0.9,-5,-0.01\n",
        encoding="utf-8",
    )
    with pytest.raises(DataInputError) as error:
        FirmLevelInput(tmp_path).firms  # noqa: B018
    text = str(error.value)
    assert "row 2, column 'main_revenue_share', value 1.2: must be at most 1" in text
    assert "row 3, column 'revenue', value -5" in text
    assert "row 3, column 'rd_share_prior', value -0.01" in text
