"""Arabic pages: day before month and the 24-hour clock, as in the other languages, so a
date or an hour reads the same whoever looks at it."""

from safeward.config.formats.common import *  # noqa: F403

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
