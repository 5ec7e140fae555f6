"""Chainable reads over reports, and the way other apps read them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from safeward.core.querysets import ScopedQuerySet, permission_name
from safeward.core.scoping import UNRESTRICTED, path_q, scope_prefixes
from safeward.reports.choices import (
    DONE_STATUSES,
    DUE_SOON_DAYS,
    OPEN_STATUSES,
    MessageSender,
    ReportStatus,
)

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer


class ReportQuerySet(ScopedQuerySet):
    def open(self) -> ReportQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def done(self) -> ReportQuerySet:
        return self.filter(status__in=DONE_STATUSES)

    def in_unit(self, unit: Any) -> ReportQuerySet:
        return self.filter(unit_path__subtree=unit.path)

    def overdue(self, day: dt.date | None = None) -> ReportQuerySet:
        return self.open().filter(due_on__lt=day or timezone.localdate())

    def due_soon(self, day: dt.date | None = None) -> ReportQuerySet:
        day = day or timezone.localdate()
        return self.open().filter(due_on__gte=day, due_on__lte=day + dt.timedelta(DUE_SOON_DAYS))

    def assigned_to(self, user: Any) -> ReportQuerySet:
        return self.filter(assignee=user)

    def untriaged(self) -> ReportQuerySet:
        """Received and not yet looked at: the reports a ward's officers triage first."""
        return self.filter(status=ReportStatus.RECEIVED)

    def awaiting_reply(self) -> ReportQuerySet:
        """Reports whose latest message came from the reporter: nobody has answered it yet
        (``last_message_at`` says since when)."""
        from safeward.reports.models import ReportMessage  # the models import this module

        latest = ReportMessage.objects.filter(report=OuterRef("pk")).order_by("-at", "-id")
        return (
            self.alias(last_sender=Subquery(latest.values("sender")[:1]))
            .filter(last_sender=MessageSender.REPORTER)
            .annotate(last_message_at=Subquery(latest.values("at")[:1]))
        )


def all_reports() -> ReportQuerySet:
    """Every report, for other apps to chain reads on (``all_reports().restrict(user)``)."""
    from safeward.reports.models import Report  # the models import this module

    return Report.objects.all()


class ServiceCategoryQuerySet(ScopedQuerySet):
    """Categories a user may act on: those of the national catalogue (no jurisdiction) and
    those of a jurisdiction in the user's subtrees, for anyone holding the permission."""

    def restrict(
        self, user: Viewer, action: str = "view", *, of: type[models.Model] | None = None
    ) -> Self:
        prefixes = scope_prefixes(user, permission_name(of or self.model, action))
        if prefixes is UNRESTRICTED:
            return self
        if not prefixes:
            return self.none()
        return self.filter(Q(jurisdiction__isnull=True) | path_q("jurisdiction__path", prefixes))
