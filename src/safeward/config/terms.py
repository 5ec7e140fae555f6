"""The project's own wording of messages that Django's catalogues also translate.

Django's apps come first in ``INSTALLED_APPS``, so their translation of a message such as
"Username" would win over every SafeWard app's. Listed here, the messages go into the
project catalogue (``LOCALE_PATHS``), which comes before all of them, with the wording
the apps' catalogues use. ``tests/web/test_catalogues.py`` fails when a message is shown
with another wording than an app's catalogue gives it: align the catalogues, or list the
message here.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

TERMS = (
    gettext_noop("Username"),
    gettext_noop("user"),
    gettext_noop("users"),
    gettext_noop("name"),
    gettext_noop("group"),
    gettext_noop("active"),
    gettext_noop("permissions"),
    gettext_noop("content type"),
    gettext_noop("Key"),
    gettext_noop("Created"),
    gettext_noop("date"),
    gettext_noop("All"),
    gettext_noop("Sessions"),
    gettext_noop("Email"),
)
