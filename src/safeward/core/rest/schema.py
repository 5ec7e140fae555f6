"""The OpenAPI generator: each operation lists every error status it can answer with.

drf-spectacular documents only the success response a view declares; the errors come
from shared mechanisms (validation, authentication, scoping, the exception handler), so
they are added here once, by method and route, with the project's error bodies.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.fields import empty
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
    "properties": {"detail": {"type": "string"}},
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
        media_types = self._answer_media_types(responses)
        for code in self.error_statuses(operation):
            responses.setdefault(code, self._error_response(code, media_types))
        return operation

    def _answer_media_types(self, responses: dict[str, Any]) -> list[str]:
        """Errors are rendered like the answer: JSON, or the operation's other formats (CSV)."""
        found: list[str] = ["application/json"]
        for response in responses.values():
            for media_type in response.get("content", {}):
                if media_type not in found and not media_type.startswith(("image/", "video/")):
                    found.append(media_type)
        return [m for m in found if m in ("application/json", "text/csv")]

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        # A field that falls back to ``None`` (``default=None``) answers null.
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if getattr(field, "default", empty) is None and isinstance(schema, dict):
            schema["nullable"] = True
        return schema

    def error_statuses(self, operation: dict[str, Any]) -> list[str]:
        codes = ["400"]
        if self._needs_credentials():
            codes += ["401", "403"]
        elif self.method in WRITE_METHODS:
            codes.append("403")
        # Detail routes answer 404 for ids out of scope, lists for a page past the end.
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

    def _error_response(self, code: str, media_types: list[str]) -> dict[str, Any]:
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
            "content": {media_type: {"schema": component.ref} for media_type in media_types},
        }
