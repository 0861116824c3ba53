"""The screening attributes as optional firm-level columns (data/firm_schema.yml), the synthetic
sample's values for them, and how close a firm is to a tier (helpers.screening.closeness).
Expected values by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import screening
from helpers.data.errors import DataInputError
from helpers.firmlevel.read import FirmLevelInput, firm_specs
from helpers.paths import SAMPLE_DIR
from helpers.screening import closeness
from helpers.screening.attributes import DERIVED_ATTRIBUTES

BASIC = (
    "firm_id,name,batch_no,review_status,analysed,province,city,industry_field,employees,"
    "primary_market_financing,overseas_markets\n"
)


def folder(tmp_path, header_extra="", rows=("F1,甲,1,confirmed,true,北京,,新材料,10,true,0",)):
    lines = [BASIC.strip() + header_extra] + [r for r in rows]
    (tmp_path / "firms.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_every_criterion_attribute_is_an_optional_column_with_a_unit_or_kind():
    columns = firm_specs()["firms"].columns
    for name, attribute in screening.ATTRIBUTES.items():
        if name.startswith("score_") or name in DERIVED_ATTRIBUTES:
            continue  # computed from the points rules, or from other columns
        assert columns[name].get("nullable") is True, name
        assert "default" not in columns[name], name
        assert columns[name].get("aliases"), name  # Chinese headers of the application forms
        if attribute.kind == "number":
            assert columns[name]["unit"] == attribute.unit, name


def test_a_firm_list_without_the_attribute_columns_reads_and_screens_as_unknown(tmp_path):
    firms = FirmLevelInput(folder(tmp_path)).firms
    assert firms["rd_share"].isna().all() and firms["ip_class"].isna().all()
    result = screening.screen(firms)
    assert result.labelled().iloc[0].tolist() == ["unknown"] * 3


def test_an_attribute_column_is_validated_like_every_other(tmp_path):
    path = folder(
        tmp_path,
        ",rd_share,ip_class,iso9001",
        ["F1,甲,1,confirmed,true,北京,,新材料,10,true,0,-0.1,Ⅲ类,是"],
    )
    with pytest.raises(DataInputError) as error:
        FirmLevelInput(path)
    text = str(error.value)
    assert "row 2, column 'rd_share', value -0.1: must be at least 0" in text
    assert "row 2, column 'ip_class', value 'Ⅲ类': unknown value" in text


def test_attribute_values_read_with_their_types(tmp_path):
    path = folder(
        tmp_path,
        ",revenue,rd_share,iso9001,ip_class",
        ['F1,甲,1,confirmed,true,北京,,新材料,10,true,0,"1,200",0.05,是,自主研发Ⅰ类'],
    )
    firm = FirmLevelInput(path).firms.iloc[0]
    assert (firm["revenue"], firm["rd_share"], firm["iso9001"]) == (1200.0, 0.05, True)
    assert firm["ip_class"] == "自主研发Ⅰ类"


@pytest.fixture(scope="module")
def sample_firms():
    return FirmLevelInput(SAMPLE_DIR).firms


def test_the_sample_has_plausible_attribute_values(sample_firms):
    firms = sample_firms
    share = firms["rd_share"].dropna()
    assert 0.05 < share.median() < 0.06  # lognormal, median 5.5%
    assert firms["main_revenue_share"].dropna().between(0, 1).all()
    # about 3% of the cells not recorded (15% of digital_level)
    assert 0.02 < firms["revenue"].isna().mean() < 0.04
    assert 0.13 < firms["digital_level"].isna().mean() < 0.17
    financed = firms["primary_market_financing"].astype(bool)
    assert (firms.loc[~financed, "equity_financing_3y"].dropna() == 0).all()


# ---- closeness ------------------------------------------------------------------------------

M, N, U = screening.MET, screening.NOT_MET, screening.UNKNOWN


def test_conditions_flatten_nested_all_rules():
    roots = screening.load_criteria()
    ids = {tier: [r.id for r in closeness.conditions(root)] for tier, root in roots.items()}
    assert ids == {
        "创新型中小企业": ["CX.1.a", "CX.1.b", "CX.1.c", "CX.1.d", "CX.2"],
        "专精特新中小企业": ["ZJ.1", "ZJ.2.a", "ZJ.2.b", "ZJ.3", "ZJ.4"],
        "专精特新“小巨人”企业": ["XJR.1.a", "XJR.1.b"],
    }


# Four firms against 专精特新: all met but R&D share (missing one: ZJ.2.b); R&D share and
# niche years short (two); R&D share short and revenue unknown (not a candidate: the unknown may
# fail too); everything met.
GOOD = {
    "niche_years": 5,
    "rd_expense": 300,
    "rd_share": 0.05,
    "revenue": 6000,
    "rd_expense_2y_mean": 1200,  # ZJ.4.2: 近两年研发费用均值 ≥ 1000万元
}
FIRMS = pd.DataFrame(
    [
        GOOD | {"rd_share": 0.02},
        GOOD | {"rd_share": 0.02, "niche_years": 1},
        GOOD | {"rd_share": 0.02, "revenue": np.nan},
        GOOD,
    ]
)


def test_shortfall_and_the_single_blocking_condition():
    result = screening.screen(FIRMS)
    tier = "专精特新中小企业"
    assert result.tiers[tier].tolist() == [N, N, N, M]
    assert closeness.shortfall(result, tier).tolist() == [1, 2, np.inf, 0]
    assert closeness.missing_one(result, tier).tolist() == [True, False, False, False]
    assert closeness.blocker(result, tier).tolist() == ["ZJ.2.b", None, None, None]
    assert float(result.gaps["ZJ.2.b"].iloc[0]) == pytest.approx(-0.01)


def test_an_any_tier_with_an_unknown_alternative_is_not_a_candidate():
    # 创新型: CX.2.1 (award) not met, the other alternatives unknown, CX.1 unknown: the tier is
    # unknown, so the firm is no candidate even though one alternative is one step away.
    result = screening.screen(pd.DataFrame([{"sci_award_3y": False}]))
    assert result.tiers["创新型中小企业"].tolist() == [U]
    assert closeness.missing_one(result, "创新型中小企业").tolist() == [False]


# ---- chapter summaries ------------------------------------------------------------------------


def test_summaries_count_outcomes_by_group_and_name_the_blocking_condition():
    from helpers.screening import summary

    firms = FIRMS.assign(
        firm_id=["F1", "F2", "F3", "F4"],
        name=["甲", "乙", "丙", "丁"],
        province=["江苏省", "江苏省", "浙江省", "浙江省"],
        industry_field=["新材料"] * 4,
    )
    result = screening.screen(firms)
    tier = "专精特新中小企业"
    counts = summary.tier_counts(result).set_index("tier").loc[tier]
    # F4 met; F1, F2, F3 not met (R&D share 2% < 3%), F1 the only one short of one condition
    assert counts[["firms", "met", "not_met", "unknown", "missing_one"]].tolist() == [4, 1, 3, 0, 1]
    by = summary.counts_by(result, firms["province"]).set_index("group")
    assert by.loc["江苏省", ["firms", f"{tier}|met", f"{tier}|missing_one"]].tolist() == [2, 0, 1]
    assert by.loc["浙江省", ["firms", f"{tier}|met", f"{tier}|missing_one"]].tolist() == [2, 1, 0]
    blocking = summary.blocking(result).set_index(["tier", "criterion_id"])
    # ZJ.2.b fails for F1, F2, F3 and is F1's only gap; ZJ.1 fails for F2 (with ZJ.2.b)
    assert blocking.loc[(tier, "ZJ.2.b"), ["not_met", "only_blocker"]].tolist() == [3, 1]
    assert blocking.loc[(tier, "ZJ.1"), ["not_met", "only_blocker"]].tolist() == [1, 0]
    candidates = summary.candidates(result, firms)
    row = candidates[candidates["tier"] == tier].iloc[0]
    assert (row["firm_id"], row["criterion_id"], row["value"], row["threshold"]) == (
        "F1",
        "ZJ.2.b",
        0.02,
        0.03,
    )
    assert row["gap"] == pytest.approx(-0.01) and row["closeness"] == pytest.approx(1 / 3)


def test_the_criteria_table_reads_in_both_languages():
    from helpers.screening import present

    roots = screening.load_criteria()
    zh = present.criteria_display(roots, "zh").set_index("screen_criterion")
    en = present.criteria_display(roots, "en").set_index("screen_criterion")
    # the condition in plain words, indented by its depth, and what it requires beside it: the
    # rule code stays in the file's screen_criterion column, never in the reader's columns
    assert zh.loc["ZJ.2.b", "screen_condition"] == "\u2003" * 4 + "上年度研发费用占营业收入比例"
    assert zh.loc["ZJ.2.b", "screen_requirement"] == "不低于3%"
    assert en.loc["ZJ.2.b", "screen_condition"].endswith(
        "R&D spending as a share of revenue last year"
    )
    assert en.loc["ZJ.2.b", "screen_requirement"] == "at least 3%"
    assert zh.loc["ZJ.3", "screen_requirement"] == "满足以下2项之一"
    shown = zh.drop(columns=["inferred"]).astype(str)
    assert not shown.apply(lambda column: column.str.contains(r"ZJ\.|CX\.|XJR\.")).any().any()


def test_a_value_just_below_its_threshold_never_reads_as_the_threshold():
    from helpers.screening.present import value_threshold_gap

    # 2.9986% against 3%: one decimal would print 3.0% (and a gap of 0.0); three do not
    assert value_threshold_gap(0.029986, 0.03, -0.000014, "share", "zh") == (
        "2.999%",
        "3%",
        "0.001个百分点",
    )
    assert value_threshold_gap(99.0, 100, -1.0, "万元", "zh") == ("99万元", "100万元", "1万元")
