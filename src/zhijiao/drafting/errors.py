"""Drafting refusals reuse the fulfilment's kinds (403 / 404 / 409 / 422 at the transport layers)."""

from zhijiao.refusals import Invalid, NotAllowed, OutOfScope, Refused, WrongState

__all__ = ["Invalid", "NotAllowed", "OutOfScope", "Refused", "WrongState"]
