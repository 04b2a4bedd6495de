"""Reading and splitting the plan's official text: a realistic text, as pasted, as a GBK .txt and as a .docx,
gives the same 7 parts and 20 articles with their titles; hostile files are refused with the reason; and the
review sets each article beside what the drafting explanation says, naming each difference."""

from __future__ import annotations

import io
import zipfile

import pytest
from plan_text_files import SAMPLE, W, docx

from zhijiao.plan_text.parsing import parse
from zhijiao.plan_text.reading import MAX_FILE_BYTES, MAX_TEXT_CHARS, TextRefused, read_file
from zhijiao.plan_text.review import Status
from zhijiao.plan_text.service import preview
from zhijiao.policies.wenzhou_vet_2023 import load

POLICY = load()


def test_a_realistic_text_splits_into_7_parts_and_20_articles_with_head_and_tail():
    parsed = parse(SAMPLE)
    assert [p.number for p in parsed.parts] == list(range(1, 8))
    assert [p.title for p in parsed.parts][:3] == ["总体要求", "优化技术技能人才供给结构", "深化产教融合校企合作"]
    assert [a.number for a in parsed.articles] == list(range(1, 21))
    art03 = parsed.articles[2]
    assert art03.title == "实施强基扩容“双百工程”"  # the first sentence, as the document sets it in bold
    assert art03.body.startswith("未来三年，总投入约100亿元")
    assert art03.part_number == 2
    art20 = parsed.articles[19]
    assert art20.title == "加大经费保障"
    assert art20.body.splitlines()[1].startswith("对职业学校利用社会捐赠资金资本性支出")  # its second paragraph
    assert "温州市人民政府办公室" not in art20.body  # the signature is the tail's, not the article's
    assert parsed.tail.splitlines() == ["温州市人民政府办公室", "2023年3月23日", "（此件公开发布）"]
    assert parsed.document_number == "温政办〔2023〕32号"
    assert str(parsed.dated) == "2023-03-23"
    assert "为深化现代职业教育体系建设改革" in parsed.head


def test_a_gbk_txt_and_a_docx_read_as_the_same_text():
    from_utf8 = read_file(SAMPLE.encode("utf-8"), "方案.txt")
    from_gbk = read_file(SAMPLE.encode("gbk"), "方案.TXT")
    from_bom = read_file(b"\xef\xbb\xbf" + SAMPLE.replace("\n", "\r\n").encode("utf-8"), "plan.txt")
    assert from_utf8 == from_gbk == from_bom == SAMPLE
    from_docx = read_file(docx(), "温政办〔2023〕32号.docx")
    assert "删去的字" not in from_docx  # a deleted run of tracked changes is not the text
    parsed = parse(from_docx)
    assert [(a.number, a.title) for a in parsed.articles] == [(a.number, a.title) for a in parse(SAMPLE).articles]
    assert parsed.articles[10].body.startswith("对职业学校以市场委托方式取得的社会培训和企业服务收入")


SIGNATURE = "\n温州市人民政府办公室\n2023年3月23日"


def _before_signature(text: str, added: str) -> str:
    return text.replace(SIGNATURE, "\n" + added + SIGNATURE)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "plan.txt", "文件为空"),
        (b"x" * (MAX_FILE_BYTES + 1), "plan.txt", "文件超过 5 MB"),
        ("第一条 总则\0".encode(), "plan.txt", "空字符（NUL）"),
        ("第一条 总则".encode("utf-16-le"), "plan.txt", "空字符（NUL）"),  # UTF-16 that lost its BOM
        (b"\x81\x30\xff\xfe\xfd", "plan.txt", "字符编码"),
        (("一" * (MAX_TEXT_CHARS + 1)).encode(), "plan.txt", "个字符"),
        (b"%PDF-1.7", "plan.pdf", "仅支持 .txt 或 .docx"),
        (b"not a zip", "plan.docx", "不是 Word 文档"),
        (_zip({"word/other.xml": b"<x/>"}), "plan.docx", "不是 Word 文档"),
        (_zip({"word/document.xml": b"<w:document>" + b" " * (10 * 1024 * 1024)}), "plan.docx", "倍（上限 100 倍）"),
        (_zip({"word/document.xml": b" " * (21 * 1024 * 1024)}), "plan.docx", "解压后超过 20 MB"),
        (
            docx(document=f'<!DOCTYPE d [<!ENTITY a "aaaa">]><w:document xmlns:w="{W}"/>'),
            "plan.docx",
            "DTD",
        ),
        (docx(document=f'<w:document xmlns:w="{W}"><w:body><w:p>'), "plan.docx", "已损坏"),
        (
            docx(
                document=f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>{"字" * (MAX_TEXT_CHARS + 1)}'
                "</w:t></w:r></w:p></w:body></w:document>"
            ),
            "plan.docx",
            "个字符",
        ),
    ],
    ids=[
        "empty",
        "huge",
        "nul",
        "utf16-no-bom",
        "encoding",
        "too-long",
        "pdf",
        "not-zip",
        "no-document",
        "zip-bomb",
        "unpacked-too-large",
        "dtd",
        "truncated-xml",
        "docx-too-long",
    ],
)
def test_hostile_or_wrong_files_are_refused_with_the_reason(data: bytes, name: str, reason: str):
    with pytest.raises(TextRefused) as refused:
        read_file(data, name)
    assert reason in refused.value.zh
    assert refused.value.en


def test_the_review_sets_each_article_beside_what_the_drafting_explanation_says():
    found = preview(POLICY, SAMPLE)
    assert found.blocking == ()
    assert found.notes == ()
    statuses = {row.number: row.status for row in found.articles}
    described = {3, 4, 6, 7, 8, 10, 11, 13, 18, 20}  # the ten articles the explanation describes
    assert {n for n, s in statuses.items() if s is Status.same} == described
    assert {n for n, s in statuses.items() if s is Status.new} == set(range(1, 21)) - described
    art11 = next(row for row in found.articles if row.number == 11)
    assert "按照不高于收入总数50%的比例核定社会服务性激励绩效总额" in (
        art11.known_words or ""
    )  # the explanation's words
    assert [row.status for row in found.parts] == [Status.same] * 2 + [Status.new] * 5


def test_differences_are_named_article_by_article():
    changed = _before_signature(
        SAMPLE.replace("第四条　强化职业教育纵向贯通。", "第四条　强化纵向贯通。")
        .replace("第九条　共建产业学院。支持职业学校与龙头企业共建产业学院。\n", "")
        .replace("温政办〔2023〕32号", "温政办〔2023〕33号"),
        "第二十一条　附则。本方案自印发之日起施行。",
    )
    found = preview(POLICY, changed)
    statuses = {row.number: row.status for row in found.articles}
    assert statuses[4] is Status.differs
    assert statuses[9] is Status.missing
    assert statuses[21] is Status.extra
    notes = [zh for zh, _en in found.notes]
    assert "方案应有20条，文本中找到20条。" not in notes  # 19 + 1: the count alone would hide both
    assert "文本中的文号是 温政办〔2023〕33号，与方案的文号 温政办〔2023〕32号 不同。" in notes
    assert found.blocking == ()
    fewer = preview(POLICY, SAMPLE.replace("第九条　共建产业学院。支持职业学校与龙头企业共建产业学院。\n", ""))
    assert "方案应有20条，文本中找到19条。" in [zh for zh, _en in fewer.notes]


def test_a_text_without_articles_or_with_a_repeated_article_cannot_be_stored():
    assert (
        preview(POLICY, "温州市职业教育工作要点\n一、总体要求\n坚持服务发展。")
        .blocking[0][0]
        .startswith("文本中没有找到“第X条”")
    )
    repeated = preview(POLICY, _before_signature(SAMPLE, "第三条　实施强基扩容“双百工程”。重复。"))
    assert "第3条在文本中出现不止一次" in repeated.blocking[0][0]


def test_enumerations_inside_an_article_stay_its_text():
    parsed = parse("一、总体要求\n第一条 主要任务\n一、加强领导。\n（二）完善制度。\n二、优化结构\n第二条 专业。\n")
    assert [p.title for p in parsed.parts] == ["总体要求", "优化结构"]
    assert parsed.articles[0].body == "一、加强领导。\n（二）完善制度。"  # not part 1 again: a sentence
    assert parsed.articles[1].title == "专业"
