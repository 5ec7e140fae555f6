"""Generic page views: every app's ``views.py`` declares its pages on these.

- :class:`ObjectListView`: the rows ``restrict`` gives the user, narrowed by the list's
  filter set, shown in its table (sorted, paginated, the user's columns, totals), and
  exported as CSV exactly as filtered.
- :class:`ObjectView`: one row the user may see; out of scope and missing are the same 404.
- :class:`ServiceFormView`: a form whose valid data goes to one service call; a
  ``DomainError`` lands on the form field it names.
- :class:`ObjectActionView`: a workflow action on one row (a form and a service).
- :class:`PanelActionView`: an action posted from a panel of the row's page (htmx or not).
- :class:`NamedActionView`: one URL for a row's several actions, each a view of its own.
- :class:`BulkActionView`: one action over the rows chosen on a list, all or none.
- :class:`ObjectDeleteView`: a confirmation page and the delete service.
- :class:`ScopedPageView`: a page of its own (a map, a dashboard) behind a permission.
- :class:`FilteredPageView`: such a page whose content follows a filter form (a unit).

Without the permission a page needs, it answers 404, as for a row out of scope.
"""

from safeward.core.views.actions import (
    BulkActionView,
    NamedActionView,
    ObjectActionView,
    ObjectDeleteView,
    PanelActionView,
)
from safeward.core.views.generic import (
    FilteredPageView,
    ObjectListView,
    ObjectView,
    ScopedPageView,
    ScopedView,
    ServiceFormView,
    next_url,
)

__all__ = [
    "BulkActionView",
    "FilteredPageView",
    "NamedActionView",
    "ObjectActionView",
    "ObjectDeleteView",
    "ObjectListView",
    "ObjectView",
    "PanelActionView",
    "ScopedPageView",
    "ScopedView",
    "ServiceFormView",
    "next_url",
]
