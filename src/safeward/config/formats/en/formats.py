"""English pages of a Vietnamese service read dates the way the rest of it does:
day before month and the 24-hour clock, never the American order."""

from safeward.config.formats.common import *  # noqa: F403

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
