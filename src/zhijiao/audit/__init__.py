"""The audit trail: every state change, approval, payment, reversal, import and policy change, with actor,
time, before and after, chained by hash so that nobody can quietly change it."""

from zhijiao.audit.chain import Break, Change, Verification, head_hash, record, record_many, verify

__all__ = ["Break", "Change", "Verification", "head_hash", "record", "record_many", "verify"]
