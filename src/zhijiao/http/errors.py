"""Refusals as the transport layers report them: a stable ``code``, a message in each language, a status.

Pages render them as an error page (or send an anonymous user to sign in); the API answers with a
problem document (RFC 9457) carrying the same code and the message in the request's language.
"""

from __future__ import annotations

from collections.abc import Sequence

from zhijiao.engine.errors import Problem


class AppError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, zh: str, en: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(en)
        self.zh, self.en, self.problems = zh, en, list(problems)

    def message(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class InvalidInput(AppError):
    status = 422
    code = "invalid_input"


class NotSignedIn(AppError):
    status = 401
    code = "not_signed_in"

    def __init__(self) -> None:
        super().__init__("请先登录。", "Please sign in.")


class Forbidden(AppError):
    status = 403
    code = "forbidden"

    def __init__(self, zh: str = "您的角色无权进行此操作。", en: str = "Your role does not allow this.") -> None:
        super().__init__(zh, en)


class NotFound(AppError):
    """Also what a user gets for a record outside its scope: whether it exists is not its business."""

    status = 404
    code = "not_found"

    def __init__(self, zh: str = "未找到。", en: str = "Not found.") -> None:
        super().__init__(zh, en)


class CsrfRejected(AppError):
    status = 403
    code = "csrf_rejected"

    def __init__(self) -> None:
        super().__init__(
            "表单已过期或来源不明，请刷新页面后重试。",
            "The form has expired or did not come from this site: reload it.",
        )


class Throttled(AppError):
    status = 429
    code = "too_many_attempts"
