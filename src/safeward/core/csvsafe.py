"""Spreadsheet-safe exports: text that a spreadsheet would run as a formula is made inert.

Unit names, categories and import rows come from users and imports; a cell
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by spreadsheet programs (OWASP "CSV injection"). Every CSV writer goes
through :func:`csv_writer` / :func:`csv_dict_writer`, which prefix such text with
a single quote; every XLSX sheet is filled through :func:`sheet_append`, which
stores text as a string cell. Numbers are left as numbers (a negative amount
stays numeric).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.functional import Promise

__all__ = ["FORMULA_STARTS", "csv_dict_writer", "csv_safe", "csv_writer", "sheet_append"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """``value`` unchanged, unless it is text a spreadsheet would run: then ``'`` + text."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_safe(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class _SafeDictWriter:
    def __init__(self, writer: csv.DictWriter[str]) -> None:
        self._writer = writer

    def writeheader(self) -> Any:
        return self._writer.writerow({k: csv_safe(k) for k in self._writer.fieldnames})

    def writerow(self, row: Mapping[str, Any]) -> Any:
        return self._writer.writerow({k: csv_safe(v) for k, v in row.items()})


def csv_writer(stream: Any, **kwargs: Any) -> _SafeWriter:
    """``csv.writer`` whose rows are made spreadsheet-safe."""
    return _SafeWriter(csv.writer(stream, **kwargs))


def csv_dict_writer(stream: Any, fieldnames: Sequence[str], **kwargs: Any) -> _SafeDictWriter:
    """``csv.DictWriter`` whose header and rows are made spreadsheet-safe."""
    return _SafeDictWriter(csv.DictWriter(stream, fieldnames=fieldnames, **kwargs))


def sheet_append(sheet: Any, row: Sequence[Any]) -> None:
    """Append ``row`` to an openpyxl sheet with every text stored as a string, never a formula."""
    sheet.append([str(v) if isinstance(v, Promise) else v for v in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
