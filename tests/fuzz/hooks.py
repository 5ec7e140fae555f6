"""Loaded into the schemathesis process by ``run.py`` (``SCHEMATHESIS_HOOKS``).

CPython before 3.12.5 and 3.13.0 keeps the AST converter's recursion depth in state shared by
every thread (python/cpython#106905): two threads in ``ast.parse`` at once fail with
``SystemError: AST constructor recursion depth mismatch``. Hypothesis parses source files to
describe the lambdas of the strategies schemathesis builds, and the run uses two workers, so a
run could end with a "Runtime Error" that says nothing about the API. Parsing one file at a
time removes the race; the requests and checks are unchanged.
"""

from __future__ import annotations

import ast
import sys
import threading
from typing import Any

if sys.version_info < (3, 12, 5):
    _parse = ast.parse
    _one_at_a_time = threading.Lock()

    def _serial_parse(*args: Any, **kwargs: Any) -> Any:
        with _one_at_a_time:
            return _parse(*args, **kwargs)

    ast.parse = _serial_parse
