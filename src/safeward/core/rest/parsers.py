"""Request body parsers of the API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class ObjectJSONParser(JSONParser):
    """JSON bodies, which every endpoint reads as one object of named fields.

    An array, a string or a number at the top level is a 400 with a message, not a
    ``list`` handed to a serializer that expects a mapping.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(_("The request body must be a JSON object of named fields."))
        return data
