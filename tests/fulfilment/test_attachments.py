"""Supporting documents: what is accepted, what is refused and why, and what the audit trail keeps."""

from __future__ import annotations

import hashlib

import pytest
from flows import PART_TIME, YEAR, school_code

from zhijiao import audit
from zhijiao.fulfilment import applications, attachments
from zhijiao.refusals import Invalid, WrongState

PDF = b"%PDF-1.7\n" + b"0" * 1000


def _draft(db, persona, policy):
    school = persona("school")
    return applications.create(
        db, school, policy, entitlement_id=PART_TIME, entity_code=school_code(db, school), year=YEAR
    )


def test_a_pdf_is_kept_with_its_digest_and_recorded(db, persona, policy):
    draft = _draft(db, persona, policy)
    kept = attachments.add(db, persona("school"), draft.id, r"C:\材料\兼职教师名册.pdf", PDF)
    db.commit()
    assert (kept.filename, kept.content_type, kept.size) == ("兼职教师名册.pdf", "application/pdf", len(PDF))
    assert kept.sha256 == hashlib.sha256(PDF).hexdigest()
    assert [a.id for a in attachments.of(db, persona("school"), draft.id)] == [kept.id]
    assert audit.verify(db).intact


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("名册.exe", b"MZ\x90\x00", "only .pdf"),
        ("名册.pdf", b"MZ\x90\x00 not a pdf", "is not a .pdf file inside"),
        ("名册.pdf", b"", "is empty"),
        ("名册.pdf", b"%PDF-" + b"0" * attachments.MAX_BYTES, "larger than 10 MB"),
    ],
)
def test_wrong_files_are_refused_with_the_reason(db, persona, policy, name, data, message):
    draft = _draft(db, persona, policy)
    with pytest.raises(Invalid, match=message):
        attachments.add(db, persona("school"), draft.id, name, data)


def test_nothing_is_attached_once_submitted(db, persona, policy):
    draft = _draft(db, persona, policy)
    applications.submit(db, persona("school"), policy, draft.id)
    with pytest.raises(WrongState):
        attachments.add(db, persona("school"), draft.id, "late.pdf", PDF)
