"""Issue 14: an audit trail that holds against its own database. Every column is in the hash; checkpoints signed
outside the database show a deleted tail and a chain rewritten and re-hashed from some record onward, which the
chain alone cannot; an edited checkpoint file shows too. Tampering is done as the owner would: guards off."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from flows import approved_application, tamper
from sqlalchemy import func, select
from typer.testing import CliRunner

from zhijiao import audit
from zhijiao.audit.anchor import (
    AnchorError,
    anchor,
    append_checkpoint,
    generate_keys,
    load_private_key,
    load_public_key,
    read_checkpoints,
    verify_against,
)
from zhijiao.audit.chain import chain_hash
from zhijiao.audit.models import AuditRecord
from zhijiao.cli.main import app
from zhijiao.storage.database import engine_for


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    private, public = tmp_path / "audit-signing.pem", tmp_path / "audit-signing.pub.pem"
    generate_keys(private, public)
    return private, public


def _ids(db) -> list[int]:
    return list(db.scalars(select(AuditRecord.id).order_by(AuditRecord.id)))


def _anchored(db, persona, policy, keys) -> list:
    """A checkpoint after an approval, and another after two edits: the trail as it grew."""
    private = load_private_key(keys[0])
    approved_application(db, persona, policy)
    checkpoints = [anchor(db, persona("auditor"), private)]
    db.commit()
    for value in (1, 2):
        audit.record(db, persona("admin"), "registry.update", "school", "S1", after={"students": value})
    checkpoints.append(anchor(db, persona("auditor"), private, checkpoints))
    db.commit()
    return checkpoints


def test_a_changed_time_or_number_breaks_the_chain(db, persona, policy):
    approved_application(db, persona, policy)
    ids = _ids(db)
    assert audit.verify(db).intact
    moved = ids[-2]
    tamper(db, "UPDATE audit_records SET at = :at WHERE id = :id", {"at": "2020-01-01 00:00:00", "id": moved})
    broken = audit.verify(db).first_break
    assert broken is not None
    assert broken.record_id == moved
    assert "columns differ" in broken.reason_en


def test_a_renumbered_record_breaks_the_chain(db, persona, policy):
    approved_application(db, persona, policy)
    last = _ids(db)[-1]
    tamper(db, "UPDATE audit_records SET id = :new WHERE id = :id", {"new": last + 100, "id": last})
    broken = audit.verify(db).first_break
    assert broken is not None
    assert broken.record_id == last + 100


def test_records_are_numbered_without_gaps_and_carry_their_number(db, persona, policy):
    approved_application(db, persona, policy)
    newest = db.scalars(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(4)).all()
    assert [json.loads(entry.payload)["id"] for entry in newest] == [entry.id for entry in newest]
    assert [entry.id for entry in newest] == list(range(newest[0].id, newest[0].id - 4, -1))


def test_a_deleted_tail_passes_the_chain_but_not_the_checkpoint(db, persona, policy, keys):
    first, last = _anchored(db, persona, policy, keys)
    assert last.record_id == first.record_id + 3
    tamper(db, "DELETE FROM audit_records WHERE id >= :id", {"id": last.record_id - 1})
    assert audit.verify(db).intact  # what the chain alone cannot see
    found = verify_against(db, load_public_key(keys[1]), [first, last])
    assert not found.intact
    (finding,) = found.findings
    assert finding.line == 2
    assert f"reaches record {last.record_id}, the trail now ends at record {last.record_id - 2}" in finding.reason_en
    assert "记录末尾被删除" in finding.reason_zh


def test_a_chain_rewritten_and_rehashed_from_a_record_onward_is_found(db, persona, policy, keys):
    checkpoints = _anchored(db, persona, policy, keys)
    first = checkpoints[0].record_id
    # the county's approval, rewritten as a rejection, with every later hash made to fit
    victim = db.scalar(
        select(AuditRecord.id).where(AuditRecord.id < first, AuditRecord.payload.contains("county_reviewed"))
    )
    assert victim is not None
    records = db.scalars(select(AuditRecord).where(AuditRecord.id >= victim).order_by(AuditRecord.id)).all()
    prev, rows = records[0].prev_hash, []
    for entry in records:
        payload = entry.payload.replace("county_reviewed", "rejected") if entry.id == victim else entry.payload
        rows.append({"id": entry.id, "payload": payload, "prev": prev, "hash": chain_hash(prev, payload)})
        prev = rows[-1]["hash"]
    tamper(db, "UPDATE audit_records SET payload = :payload, prev_hash = :prev, hash = :hash WHERE id = :id", rows)
    assert audit.verify(db).intact  # the chain holds again
    found = verify_against(db, load_public_key(keys[1]), checkpoints)
    assert [finding.record_id for finding in found.findings] == [first, checkpoints[1].record_id]
    assert "the chain was rewritten: the records up to" in found.findings[0].reason_en
    assert "哈希链被改写" in found.findings[0].reason_zh


def test_an_edited_or_foreign_checkpoint_is_a_finding(db, persona, policy, keys, tmp_path):
    checkpoints = _anchored(db, persona, policy, keys)
    path = tmp_path / "checkpoints.jsonl"
    for checkpoint in checkpoints:
        append_checkpoint(path, checkpoint)
    assert verify_against(db, load_public_key(keys[1]), read_checkpoints(path)).intact
    lines = path.read_text().splitlines()
    edited = json.loads(lines[0]) | {"records": json.loads(lines[0])["records"] - 1}
    path.write_text(json.dumps(edited) + "\n" + lines[1] + "\n")
    found = verify_against(db, load_public_key(keys[1]), read_checkpoints(path))
    assert [finding.line for finding in found.findings] == [1]
    assert "checkpoint 1 is not signed by this key" in found.findings[0].reason_en
    other = tmp_path / "other.pem", tmp_path / "other.pub.pem"
    generate_keys(*other)
    foreign = verify_against(db, load_public_key(other[1]), checkpoints)
    assert len(foreign.findings) == 2


def test_a_broken_chain_is_not_anchored(db, persona, policy, keys):
    approved_application(db, persona, policy)
    before = db.scalar(select(func.count()).select_from(AuditRecord))
    tamper(db, "UPDATE audit_records SET actor = 'nobody' WHERE id = :id", {"id": _ids(db)[-1]})
    with pytest.raises(AnchorError, match="does not verify"):
        anchor(db, None, load_private_key(keys[0]))
    db.rollback()
    assert db.scalar(select(func.count()).select_from(AuditRecord)) == before


def test_keys_are_never_overwritten_and_the_signing_key_is_private(keys):
    private, public = keys
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    with pytest.raises(AnchorError, match="never overwritten"):
        generate_keys(private, public.with_name("new.pub.pem"))
    with pytest.raises(AnchorError, match="not an Ed25519 private key"):
        load_private_key(public)


def test_the_command_line_anchors_and_verifies(db, persona, policy, demo_engine, monkeypatch, tmp_path):
    approved_application(db, persona, policy)
    db.commit()
    url = demo_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    runner = CliRunner()
    private, public, kept = tmp_path / "k.pem", tmp_path / "k.pub.pem", tmp_path / "checkpoints.jsonl"
    try:
        made = runner.invoke(app, ["audit", "keygen", "--private", str(private), "--public", str(public)])
        assert made.exit_code == 0, made.output
        for _ in range(2):
            anchored = runner.invoke(app, ["audit", "anchor", "--key", str(private), "--checkpoints", str(kept)])
            assert anchored.exit_code == 0, anchored.output
        assert len(kept.read_text().splitlines()) == 2
        check = ["audit", "verify", "--checkpoints", str(kept), "--public-key", str(public), "--lang", "en"]
        verified = runner.invoke(app, check)
        assert verified.exit_code == 0, verified.output
        assert "2 checkpoints" in verified.stdout
        assert "0 records since are not yet anchored" in verified.stdout
        tamper(db, "DELETE FROM audit_records WHERE id = (SELECT max(id) FROM audit_records)", {})
        cut = runner.invoke(app, check)
        assert cut.exit_code == 1
        assert "the tail was deleted" in cut.output
        assert runner.invoke(app, ["audit", "verify", "--checkpoints", str(kept)]).exit_code == 2
    finally:
        engine_for(url).dispose()


def test_many_changes_recorded_in_one_statement_chain_as_one_at_a_time(db, persona):
    before = db.scalar(select(func.max(AuditRecord.id))) or 0
    changes = [audit.Change("ledger.payment", "ledger_entry", n, after={"amount_fen": n * 100}) for n in (1, 2, 3)]
    assert audit.record_many(db, persona("finance"), changes) == 3
    audit.record(db, persona("finance"), "batch.release", "payment_batch", 7)
    db.commit()
    assert audit.verify(db).intact
    added = db.scalars(select(AuditRecord).where(AuditRecord.id > before).order_by(AuditRecord.id)).all()
    assert [entry.id for entry in added] == [before + 1, before + 2, before + 3, before + 4]
    assert [json.loads(entry.payload)["after"] for entry in added[:3]] == [{"amount_fen": n * 100} for n in (1, 2, 3)]
    assert {entry.actor for entry in added} == {"finance"}
    assert audit.record_many(db, None, []) == 0
