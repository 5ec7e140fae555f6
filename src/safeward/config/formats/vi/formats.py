"""Vietnamese dates as offices write them: dd/mm/yyyy and the 24-hour clock."""

from safeward.config.formats.common import *  # noqa: F403

DATETIME_FORMAT = "d/m/Y H:i"
