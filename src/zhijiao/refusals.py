"""Why a service refused: a stable code, the message in both languages, and what kind of refusal it is (the
transport layers turn ``kind`` into 403, 404, 409 or 422). One vocabulary for every context (the shared kernel)."""

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


class Forbidden(Refused):
    """The user's role or scope has no view of this at all (a school user and the city's cost)."""

    kind = "forbidden"
    code = "forbidden"

    def __init__(self, zh: str = "您的角色无权进行此操作。", en: str = "Your role does not allow this.") -> None:
        super().__init__(zh, en)


class NotFound(Refused):
    kind = "not_found"
    code = "not_found"

    def __init__(self, zh: str = "未找到。", en: str = "Not found.") -> None:
        super().__init__(zh, en)


class InputRefused(Refused):
    """A value the request chose that the service cannot take (a year without data)."""

    kind = "invalid"
    code = "invalid_input"
