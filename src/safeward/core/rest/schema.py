"""The OpenAPI generator: each operation lists every error status it can answer with.

drf-spectacular documents only the success response a view declares; the errors come
from shared mechanisms (validation, authentication, scoping, the exception handler), so
they are added here once, by method and route, with the project's error bodies.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import AllowAny

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: a message in the user's language, a code, and field messages.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Invalid input: either an error (``detail``, ``code``, ``errors``) or the messages "
        "of each field at fault, keyed by field name (``non_field_errors`` for the whole body)."
    ),
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {"type": "object"},
    },
    "additionalProperties": {},
}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
DESCRIPTIONS = {
    "400": "The input is invalid.",
    "401": "No valid credentials were given.",
    "403": "The caller may see the object but not do this.",
    "404": "No such object in the caller's units.",
    "409": "The change conflicts with the record's state or with records that refer to it.",
    "413": "The request body is too large.",
    "415": "The request body has a media type the operation does not read.",
    "429": "Too many requests; retry later.",
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema with the error responses of every operation."""

    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code in self.error_statuses(operation):
            responses.setdefault(code, self._error_response(code))
        return operation

    def error_statuses(self, operation: dict[str, Any]) -> list[str]:
        codes = ["400"]
        if self._needs_credentials():
            codes += ["401", "403"]
        elif self.method in WRITE_METHODS:
            codes.append("403")
        if "{" in self.path or self.method in WRITE_METHODS:
            codes.append("404")
        if self.method in WRITE_METHODS:
            codes.append("409")
        if "requestBody" in operation:
            codes += ["413", "415"]
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def _needs_credentials(self) -> bool:
        return not all(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def _error_response(self, code: str) -> dict[str, Any]:
        name, schema = (
            ("ValidationError", VALIDATION_ERROR_SCHEMA)
            if code == "400"
            else ("Error", ERROR_SCHEMA)
        )
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return {
            "description": DESCRIPTIONS[code],
            "content": {"application/json": {"schema": component.ref}},
        }
