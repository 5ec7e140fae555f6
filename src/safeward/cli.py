"""The ``safeward`` command: the management commands people need, with friendly names.

safeward demo | serve | worker | import-units | audit verify | ... (any manage.py command)
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeward.config.settings")
    from django.core.management import execute_from_command_line

    if args:
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["safeward", *args])


if __name__ == "__main__":
    main()
