"""The plan's text as an official has it, for the tests of loading it: the sample text (tests/fixtures/plan_text:
the articles the drafting explanation describes carry its titles and numbers; the others' words are made up
for the tests, since the platform holds no official text), as UTF-8, GBK and a .docx built by hand."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

SAMPLE = (Path(__file__).parents[1] / "fixtures" / "plan_text" / "sample-plan.zh.txt").read_text(encoding="utf-8")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def _paragraph(line: str) -> str:
    """A paragraph as Word writes one: the heading's number in a bold run of its own, a tab for full-width space."""
    if line.startswith("第") and "条" in line[:6]:
        head, _, rest = line.partition("条")
        return (
            f'<w:p><w:pPr><w:ind w:firstLine="640"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>{escape(head)}条</w:t>'
            f'</w:r><w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">{escape(rest.lstrip("　"))}</w:t></w:r></w:p>'
        )
    return f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>"


def docx(text: str = SAMPLE, document: str | None = None) -> bytes:
    """A .docx of the text, one paragraph a line, with a deleted run that is no text (tracked changes)."""
    body = "".join(_paragraph(line) for line in text.splitlines())
    body += '<w:p><w:del w:id="1" w:author="x"><w:r><w:delText>删去的字</w:delText></w:r></w:del></w:p>'
    xml = document or (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>{body}'
        "<w:sectPr/></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()
