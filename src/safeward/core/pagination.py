"""Page-number pagination of every API list.

``page`` and ``page_size`` are whole numbers written in ASCII digits: ``page`` from 1, ``page_size``
from 1 to :attr:`Pagination.max_page_size`. Anything else (a word, a fraction, zero, a negative
number, a size past the ceiling) is a 400 naming the parameter, never silently replaced by the
default; a page past the last one is a 404. The schema documents the same bounds.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound

from safeward.core.errors import DomainError

DIGITS = re.compile(r"[0-9]+")
PAGE_MAX = 2**63 - 1  # the widest number the schema's integers promise


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    last_page_strings: tuple[str, ...] = ()  # ``page`` is a number, as the schema says

    def get_page_size(self, request: Any) -> int:
        text = request.query_params.get(self.page_size_query_param, "")
        if text == "":
            return self.page_size
        number = _whole_number(text)
        if number is None or not 1 <= number <= self.max_page_size:
            message = _("Give the page size as a whole number from 1 to {max}.").format(
                max=self.max_page_size
            )
            raise DomainError(message, field=self.page_size_query_param)
        return number

    def get_page_number(self, request: Any, paginator: Any) -> int:
        text = request.query_params.get(self.page_query_param, "")
        if text == "":
            return 1
        number = _whole_number(text)
        if number is None or not 1 <= number <= PAGE_MAX:
            raise DomainError(
                _("Give the page number as a whole number from 1 to {max}.").format(max=PAGE_MAX),
                field=self.page_query_param,
            )
        return number

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            message = _("There is no page {page}: the last page is {last}.").format(
                page=number, last=paginator.num_pages
            )
            raise NotFound(message) from None
        return list(self.page)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        page, size = super().get_schema_operation_parameters(view)
        page["schema"] = {"type": "integer", "minimum": 1, "maximum": PAGE_MAX}
        page["description"] = "Page number, from 1; a page past the last one answers 404."
        size["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        size["description"] = (
            f"Rows per page, from 1 to {self.max_page_size} (default {self.page_size})."
        )
        return [page, size]


def _whole_number(text: str) -> int | None:
    """``text`` as a non-negative integer if it is only ASCII digits (no sign, space or point)."""
    if not DIGITS.fullmatch(text) or len(text) > 25:
        return None
    return int(text)
