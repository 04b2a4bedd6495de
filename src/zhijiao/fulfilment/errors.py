"""Why fulfilment refused: a stable code, the message in both languages, and what kind of refusal it is
(the transport layers turn ``kind`` into 403, 404, 409 or 422)."""

from __future__ import annotations


class Refused(Exception):
    kind = "invalid"
    code = "refused"

    def __init__(self, zh: str, en: str, code: str | None = None) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en
        if code:
            self.code = code


class NotAllowed(Refused):
    """The role may not do this, or the two-person rule forbids this person."""

    kind = "forbidden"
    code = "not_allowed"


class OutOfScope(Refused):
    """The record is not the user's (another county, school or enterprise): answered as not found."""

    kind = "not_found"
    code = "not_found"

    def __init__(self, what_zh: str = "申报", what_en: str = "application") -> None:
        super().__init__(f"未找到该{what_zh}。", f"No such {what_en}.")


class WrongState(Refused):
    kind = "conflict"
    code = "wrong_state"


class Invalid(Refused):
    kind = "invalid"
    code = "invalid"
