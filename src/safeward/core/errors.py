"""The one domain error type. Forms and the API turn it into a clear 400."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain was broken; ``message`` is already translated for the user.

    ``field`` names the input at fault when there is one; ``errors`` may carry
    several field messages at once (``{"field": ["message", ...]}``). ``status`` is the
    HTTP status the API answers with; :class:`Conflict` is a 409.
    """

    status: int = 400

    def __init__(
        self,
        message: Any,
        *,
        field: str | None = None,
        code: str = "invalid",
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.code = code
        self.errors = errors or ({field: [self.message]} if field else {})

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        return body


class Conflict(DomainError):
    """The request clashes with the current state of a record (answered as 409)."""

    status = 409


class Missing(DomainError):
    """The request names a record that does not exist for the caller (answered as 404).

    Out of scope and nonexistent are the same answer, so no id reveals what lies outside
    the caller's units.
    """

    status = 404

    def __init__(self, message: Any, *, code: str = "not_found", **kwargs: Any) -> None:
        super().__init__(message, code=code, **kwargs)
