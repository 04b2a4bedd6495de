"""The layouts of the bank and budget files: packaged defaults, an installation's override, mistakes refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhijiao.fulfilment.bank_layouts import (
    PAYERS,
    SETTING,
    LayoutError,
    PayerAccount,
    header_key,
    layout_for,
    load_layouts,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bank"


def test_every_payer_inherits_the_default_layout() -> None:
    layouts = load_layouts()
    assert set(layouts.payers) == set(PAYERS)
    assert "city" in PAYERS
    assert "瑞安市" in PAYERS
    assert "市直属" not in PAYERS  # the city pays its own schools
    county = layouts.for_payer("泰顺县")
    assert county.instruction.format == "xlsx"
    assert county.instruction.title is None
    assert [(c.header, c.field) for c in county.instruction.columns] == [
        ("序号", "sequence"),
        ("业务参考号", "reference"),
        ("收款人户名", "account_name"),
        ("收款账号", "account_number"),
        ("收款行", "bank_name"),
        ("金额（元）", "amount"),
        ("用途", "purpose"),
    ]
    assert county.payer_account is None
    assert [c.field for c in county.allocation.columns] == [
        "sequence",
        "reference",
        "budget_unit_code",
        "budget_unit_name",
        "amount",
        "purpose",
        "article",
    ]
    assert {"成功", "已成功", "交易成功", "success"} <= county.returns.success
    assert {"失败", "退票", "账户不存在", "户名不符"} <= county.returns.failure
    city = layouts.for_payer("city")
    assert city.instruction.title == "温州市财政局批量代付清单（{count}笔，合计{total}元）"
    assert city.instruction.columns == county.instruction.columns  # the city changes only its title


def test_a_payer_as_an_instruction_stores_it() -> None:
    layouts = load_layouts()
    assert layouts.for_payer("county", "330381").payer == "瑞安市"
    assert layouts.for_payer("city").payer == "city"
    assert layouts.for_payer("county", "330300").payer == "city"  # the schools the city runs
    assert layout_for("county", "330329").payer == "泰顺县"


def test_an_unknown_payer_is_refused_by_name() -> None:
    with pytest.raises(LayoutError) as caught:
        layout_for("瑞安")
    assert caught.value.payer == "瑞安"
    assert "不是付款方" in caught.value.zh


def test_the_environment_names_an_override_merged_over_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SETTING, str(FIXTURES / "ruian_layouts.yaml"))
    layouts = load_layouts()
    ruian = layouts.for_payer("瑞安市")
    assert ruian.instruction.format == "csv"
    assert ruian.instruction.encoding == "gbk"
    assert ruian.instruction.media_type == "text/csv; charset=gbk"
    assert ruian.instruction.suffix == ".csv"
    assert ruian.instruction.columns[6].header == "币种"
    assert ruian.instruction.columns[6].value == "人民币"
    assert ruian.payer_account == PayerAccount("瑞安市财政局", "33001234500052501234", "中国农业银行瑞安市支行")
    assert ruian.returns.reference == ("客户业务编号",)
    assert ruian.returns.success == frozenset({"已入账"})
    assert ruian.returns.amount == ("金额（元）", "交易金额", "金额")  # not overridden: inherited
    assert ruian.allocation == layouts.for_payer("鹿城区").allocation  # the sections not named stay the default
    assert layouts.for_payer("鹿城区").instruction.format == "xlsx"


def _refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> LayoutError:
    path = tmp_path / "layouts.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv(SETTING, str(path))
    with pytest.raises(LayoutError) as caught:
        load_layouts()
    return caught.value


@pytest.mark.parametrize(
    ("text", "payer", "key", "words"),
    [
        (
            "瑞安市:\n  instruction:\n    columns:\n      - {header: 账号, field: account_no}\n",
            "瑞安市",
            "instruction.columns[0].field",
            "未知的字段“account_no”",
        ),
        (
            "泰顺县:\n  instruction:\n    columns:\n      - {field: reference}\n",
            "泰顺县",
            "instruction.columns[0].header",
            "缺少列标题",
        ),
        ("city:\n  instruction:\n    format: xls\n", "city", "instruction.format", "“xls”无效"),
        ("city:\n  instruction:\n    encoding: big5\n", "city", "instruction.encoding", "“big5”无效"),
        ("city:\n  instrucion: {}\n", "city", "(payer).instrucion", "未知的键"),
        ("瑞安:\n  instruction: {}\n", "瑞安", "payer", "不是付款方"),
        (
            "default:\n  instruction:\n    title: 清单{month}\n",
            "default",
            "instruction.title",
            "未知的占位符 {month}",
        ),
        (
            (
                "乐清市:\n  instruction:\n    columns:\n      - {header: 参考号, field: reference}\n"
                "      - {header: 金额, field: amount}\n"
            ),
            "乐清市",
            "instruction.columns",
            "没有显示 account_name 的列",
        ),
        (
            (
                "乐清市:\n  instruction:\n    columns:\n"
                "      - {header: 参考号, field: reference}\n      - {header: 户名, field: account_name}\n"
                "      - {header: 账号, field: account_number}\n      - {header: 金额, field: amount}\n"
                "      - {header: 付款账号, field: payer_account_number}\n"
            ),
            "乐清市",
            "instruction.columns[4].field",
            "payer_account 未填写",
        ),
        (
            "city:\n  returns:\n    success: [成功, 退票]\n",
            "city",
            "returns",
            "“退票”既表示成功又表示失败",
        ),
        ("city:\n  returns:\n    headers:\n      result: []\n", "city", "returns.headers.result", "至少要有一个列标题"),
        ("city: [1, 2]\n", "city", "(payer)", "应为映射"),
        ("city: {instruction: {sheet: '代付/清单'}}\n", "city", "instruction.sheet", "工作表名"),
    ],
)
def test_a_mistake_in_a_layout_is_refused_naming_the_payer_and_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, payer: str, key: str, words: str
) -> None:
    error = _refusal(tmp_path, monkeypatch, text)
    assert (error.payer, error.key) == (payer, key)
    assert words in error.zh
    assert f"付款方“{payer}”的 {key}" in error.zh
    assert f"payer {payer!r}, {key}:" in error.en
    assert str(tmp_path / "layouts.yaml") in error.en  # the operator's file is named


def test_a_file_that_is_not_yaml_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    error = _refusal(tmp_path, monkeypatch, "city: [unclosed\n")
    assert "不是有效的 YAML" in error.zh
    missing = tmp_path / "absent.yaml"
    monkeypatch.setenv(SETTING, str(missing))
    with pytest.raises(LayoutError, match="cannot be read"):
        load_layouts()


def test_headers_and_result_words_compare_as_people_type_them() -> None:
    assert header_key("金额(元)") == header_key("金额（元）")
    assert header_key(" *业务 参考号 ") == "业务参考号"
    assert header_key("SUCCESS") == "success"
