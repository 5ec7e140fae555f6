"""The OpenAPI generator: each operation lists every error status it can answer with.

drf-spectacular documents only the success response a view declares; the errors come
from shared mechanisms (validation, authentication, scoping, the exception handler), so
they are added here once, by method and route, with the project's error bodies.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent, force_instance
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import relations, serializers
from rest_framework.fields import empty
from rest_framework.permissions import AllowAny

from safeward.core.filters import ID_SCHEMA
from safeward.core.personal import gated_fields

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
# HH:MM[:SS[.ffffff]], optionally with an offset, as DRF's TimeField reads and writes it.
LOCAL_TIME = (
    r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
    r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$"
)
JSON_TYPES = ("object", "array", "string", "number", "boolean")
# Text fields refuse the NUL character (no database column can hold it).
NO_NUL = "^[^\\x00]*$"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
DESCRIPTIONS = {
    "400": "The input is invalid.",
    "401": "No valid credentials were given.",
    "403": "The caller may see the object but not do this.",
    "404": "No such object in the caller's units.",
    "409": "The change conflicts with the record's state or with records that refer to it.",
    "413": "The request body is too large.",
    "415": "The request body has a media type the operation does not read.",
    "414": "The request line (path and query) is longer than the server reads.",
    "429": "Too many requests; retry later.",
}
# Rules a request can meet the schema and still break (an order between two dates, the level
# of a unit, a total across rows): listed on the operation, answered with 400 and the message.
DOMAIN_RULES = "x-domain-rules"
# The server in front of the app refuses an over-long request line with its own page.
TOO_LONG = {
    "description": DESCRIPTIONS["414"],
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def file_download(*content_types: str, status: int = 200) -> Any:
    """Document a view that answers a stored file (through :mod:`safeward.core.files`).

    The answer is the file's bytes under each content type it can be stored with, never
    JSON; the errors around it stay JSON like every other operation's.
    """
    return extend_schema(
        responses={(status, media_type): OpenApiTypes.BINARY for media_type in content_types}
    )


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema with the error responses of every operation."""

    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query":
                _describe_query_value(parameter)
        responses = operation.setdefault("responses", {})
        media_types = self._answer_media_types(responses)
        for code in self.error_statuses(operation):
            responses.setdefault(code, self._error_response(code, media_types))
        responses.setdefault("414", TOO_LONG)
        rules = self.domain_rules()
        if rules:
            operation[DOMAIN_RULES] = rules
            responses["400"] = {
                **responses["400"],
                "description": DESCRIPTIONS["400"]
                + " Also refused, with the rule's message: "
                + "; ".join(rules)
                + ".",
            }
        return operation

    def domain_rules(self) -> list[str]:
        """The rules this operation checks beyond the schema: the view's ``domain_rules`` for
        its action (``"write"`` stands for create, update and partial update) and, on a list,
        its filter set's."""
        action = getattr(self.view, "action", None) or self.method.lower()
        declared = getattr(self.view, "domain_rules", {}) or {}
        rules = list(declared.get(action, ()))
        if action in ("create", "update", "partial_update"):
            rules += declared.get("write", ())
        if action == "list":
            filterset = getattr(self.view, "filterset_class", None)
            rules += getattr(filterset, "domain_rules", lambda: ())()
        return list(dict.fromkeys(str(rule) for rule in rules))

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> Any:
        schema = super()._map_basic_serializer(serializer, direction)  # type: ignore[no-untyped-call]  # drf-spectacular is untyped
        withheld = gated_fields(type(serializer))
        if direction == "response" and withheld and isinstance(schema, dict):
            # Sent only to readers allowed to see them (``safeward.core.personal``).
            required = [name for name in schema.get("required", []) if name not in withheld]
            if required:
                schema["required"] = required
            else:
                schema.pop("required", None)
            for name in withheld & set(schema.get("properties", {})):
                prop = schema["properties"][name]
                prop["description"] = (
                    prop.get("description", "") + " Withheld from readers not allowed to see it."
                ).strip()
        return schema

    def _answer_media_types(self, responses: dict[str, Any]) -> list[str]:
        """Errors are rendered like the answer: JSON, or the operation's other formats (CSV);
        a file download's errors are JSON."""
        found: list[str] = ["application/json"]
        for response in responses.values():
            for media_type in response.get("content", {}):
                if media_type not in found and not media_type.startswith(("image/", "video/")):
                    found.append(media_type)
        return [m for m in found if m in ("application/json", "text/csv")]

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)  # type: ignore[no-untyped-call]  # drf-spectacular is untyped
        if not isinstance(schema, dict):
            return schema
        # A field that falls back to ``None`` (``default=None``) answers null, and so does one
        # whose column is nullable (a unit at the top has no ``parent``).
        # A request may send null only where the field allows it (drf-spectacular's own rule).
        if direction == "response" and (
            getattr(field, "default", empty) is None or _column_is_nullable(field)
        ):
            schema["nullable"] = True
        if (
            isinstance(field, serializers.JSONField)
            and direction == "request"
            and not field.allow_null
            and not {"type", "anyOf", "oneOf", "$ref"} & set(schema)
        ):
            # Any JSON value but null, which the field refuses.
            schema["anyOf"] = [{"type": t} for t in JSON_TYPES]
        if isinstance(field, serializers.CharField) and direction == "request":
            _without_nul(schema)
        if isinstance(field, serializers.TimeField) and schema.get("format") == "time":
            # JSON Schema's ``time`` demands an offset; times of day here are local wall times.
            del schema["format"]
            schema["pattern"] = LOCAL_TIME
        if isinstance(field, relations.PrimaryKeyRelatedField):
            _bound_id(schema)
        elif isinstance(field, relations.ManyRelatedField) and isinstance(
            field.child_relation, relations.PrimaryKeyRelatedField
        ):
            _bound_id(schema.get("items", {}))
        return schema

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        super()._insert_field_validators(field, schema)  # type: ignore[no-untyped-call]  # drf-spectacular is untyped
        if isinstance(field, serializers.CharField):
            _one_blank_branch(schema)

    def map_parsers(self) -> Any:
        # A body carrying a file can only be multipart: JSON and url-encoded forms hold no file.
        # Any other body is documented as JSON, the API's format: a form's text cannot say
        # null or a number apart from a string (the form parsers serve the browsable API).
        media_types = super().map_parsers()
        wanted = (
            "multipart/" if _takes_a_file(self.get_request_serializer()) else "application/json"
        )
        return [m for m in media_types if m.startswith(wanted)] or media_types

    def _get_paginator(self) -> Any:
        # Only the list action pages its rows; other actions answer their whole array.
        if getattr(self.view, "action", "list") != "list":
            return None
        return super()._get_paginator()  # type: ignore[no-untyped-call]  # drf-spectacular is untyped

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
        component = ResolvedComponent(  # type: ignore[no-untyped-call]  # drf-spectacular is untyped
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return {
            "description": DESCRIPTIONS[code],
            "content": {media_type: {"schema": component.ref} for media_type in media_types},
        }


def _bound_id(schema: dict[str, Any]) -> None:
    """An id in a request or an answer is a positive 64-bit integer, as the database holds it."""
    if schema.get("type") == "integer":
        schema.update({k: v for k, v in ID_SCHEMA.items() if k != "type"})


def _column_is_nullable(field: Any) -> bool:
    """Whether ``field`` reads a model column that may hold NULL."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if not isinstance(parent, serializers.ModelSerializer) or model is None:
        return False
    attrs = list(getattr(field, "source_attrs", []) or [])
    if len(attrs) != 1:
        return False
    try:
        column = model._meta.get_field(attrs[0])
    except FieldDoesNotExist:
        return False
    return bool(getattr(column, "null", False))


def _takes_a_file(serializer: Any) -> bool:
    instance = force_instance(serializer)  # type: ignore[no-untyped-call]  # drf-spectacular is untyped
    fields = getattr(instance, "fields", {}) if isinstance(instance, serializers.Serializer) else {}
    return any(
        isinstance(field, serializers.FileField) and not field.read_only
        for field in fields.values()
    )


def _one_blank_branch(schema: dict[str, Any]) -> None:
    """A blank-allowed text field with the pattern that refuses NUL is documented by
    drf-spectacular as ``oneOf`` [the pattern, an empty string]; "" matches both branches,
    which ``oneOf`` forbids, so the document refused the empty text the API accepts. The
    pattern alone already admits it."""
    branches = schema.get("oneOf")
    if not isinstance(branches, list) or len(branches) != 2:
        return
    text, blank = branches
    if blank == {"type": "string", "maxLength": 0} and text.get("pattern") == NO_NUL:
        del schema["oneOf"]
        schema.update(text)


def _without_nul(schema: dict[str, Any]) -> None:
    if schema.get("type") == "string" and not {"pattern", "enum", "format"} & set(schema):
        schema["pattern"] = NO_NUL


def _describe_query_value(parameter: dict[str, Any]) -> None:
    """An optional query parameter sent empty (``?to=``, as a form sends a blank field) means
    "not given" in every list and action; text parameters refuse the NUL character."""
    if not parameter.get("required"):
        parameter["allowEmptyValue"] = True
    schema = parameter.get("schema")
    if isinstance(schema, dict):
        _without_nul(schema)
