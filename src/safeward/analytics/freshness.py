"""Keeping rollups current from the audit trail (the watermark-driven refresh).

Every write of a fact-bearing record goes through a service that appends an
audit event, and the sealer gives events a gap-free sequence in the order they
became visible (a transaction that commits late is sealed late, so nothing is
skipped). Each indicator's :class:`FillState` keeps the highest seal sequence
already folded in. A run seals what is pending, and for every indicator whose
watched object types changed since its watermark recomputes the rollups from
1 January of the earliest day the changed objects' facts fall on (their
current dates from the indicator's ``fact_days``, and any former date the
events' changed fields name); indicators without changes only move their
watermark. An object the indicator cannot date (deleted, or no ``fact_days``)
makes it rebuild from the start. An indicator never built is rebuilt in full.
A bulk event (``core.audit.audit_record_bulk``) names the day its records' facts
start on, and the indicators watching its type refresh from that day's year.
Each indicator is caught up on its own: one that fails keeps its watermark and
is tried again on the next run, and the others go on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext

from safeward.analytics import registry
from safeward.analytics.models import FillState
from safeward.analytics.registry import Indicator
from safeward.analytics.rollups import (
    EARLIEST,
    rebuild_indicator,
    refresh_indicator,
    refresh_statistics,
    unit_paths,
)
from safeward.core.audit import BULK_ID, audit_seal
from safeward.core.models import AuditSeal

log = logging.getLogger(__name__)

# How often the refresh task runs; figures older than two periods mean it is not keeping up.
REFRESH_SECONDS = 60


@dataclass
class Changes:
    """What the sealed events since a watermark changed.

    ``objects``: object type -> object id -> changed-field values. ``from_days``:
    object type -> the earliest day each bulk write (or event naming no single
    object) touched, ``EARLIEST`` when it does not say.
    """

    objects: dict[str, dict[str, list[Any]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    from_days: dict[str, list[dt.date]] = field(default_factory=lambda: defaultdict(list))

    def add(self, object_type: str, object_id: str, changes: Any) -> None:
        if object_id in ("", BULK_ID):
            self.from_days[object_type].append(_bulk_first_day(changes))
            return
        values = self.objects[object_type][object_id]
        if isinstance(changes, dict):
            for value in changes.values():
                values.extend(value if isinstance(value, list) else [value])


def _bulk_first_day(changes: Any) -> dt.date:
    bulk = changes.get("bulk") if isinstance(changes, dict) else None
    first = _as_day(bulk.get("first_day")) if isinstance(bulk, dict) else None
    return first or EARLIEST


def _seal() -> None:
    try:
        audit_seal()
    except DatabaseError:
        # Another sealer is chaining the same events; they are read on the next run.
        return


def _changes_since(mark: int, head: int) -> Changes:
    found = Changes()
    rows = (
        AuditSeal.objects.filter(seq__gt=mark, seq__lte=head)
        .values_list("event__object_type", "event__object_id", "event__changes")
        .iterator(chunk_size=5000)
    )
    for object_type, object_id, changes in rows:
        found.add(object_type, object_id, changes)
    return found


def _watched(indicator: Indicator, object_type: str) -> bool:
    return any(
        object_type == kind or (kind.endswith(".") and object_type.startswith(kind))
        for kind in indicator.watched_types()
    )


def _as_day(value: Any) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return day if day >= EARLIEST else None


def earliest_change(indicator: Indicator, changes: Changes, today: dt.date) -> dt.date | None:
    """The earliest day a fact changed by ``changes`` can carry; ``None`` when nothing it watches changed."""
    days: list[dt.date] = []
    touched = False
    for object_type, first_days in changes.from_days.items():
        if _watched(indicator, object_type):
            touched = True
            days.extend(first_days)
    for object_type, objects in changes.objects.items():
        if not _watched(indicator, object_type):
            continue
        touched = True
        dated = indicator.fact_days(object_type, list(objects)) if indicator.fact_days else {}
        if len(dated) < len(objects):
            return EARLIEST
        days.extend(dated.values())
        days.extend(d for values in objects.values() for d in map(_as_day, values) if d)
    return min([*days, today]) if touched else None


FAILED = "failed"


def rollups_catch_up(today: dt.date | None = None) -> dict[str, str]:
    """Fold the audit trail's new changes into every stored indicator; returns what each run did.

    The result names, per indicator that did work, ``"rebuilt"``, the year it was
    refreshed from, or ``"failed"``; an indicator without changes does no work and is
    left out. A failing indicator is logged and keeps its watermark (the next run
    tries again) without stopping the others.
    """
    today = today or timezone.localdate()
    started = timezone.now()
    _seal()
    head = AuditSeal.objects.aggregate(top=Max("seq"))["top"] or 0
    indicators = registry.stored_indicators()
    states = FillState.objects.filter(indicator__in=[i.code for i in indicators])
    marks: dict[str, int | None] = dict(states.values_list("indicator", "audit_seq"))
    behind = [i for i in indicators if marks.get(i.code) is None or (marks[i.code] or 0) < head]
    level = [i.code for i in indicators if i not in behind]
    # Already holding every sealed change: only their freshness moves (one statement).
    FillState.objects.filter(indicator__in=level).update(current_at=started)
    if not behind:
        return {}
    read: dict[int, Changes] = {}
    paths = unit_paths()
    done: dict[str, str] = {}
    for indicator in behind:
        mark = marks.get(indicator.code)
        try:
            outcome = _catch_up_one(indicator, mark, head, read, paths, today, started)
        except Exception:
            log.exception("rollup refresh of %s failed; retried on the next run", indicator.code)
            outcome = FAILED
        if outcome:
            done[indicator.code] = outcome
    if any(v != FAILED for v in done.values()):
        refresh_statistics()
    return done


def _catch_up_one(
    indicator: Indicator,
    mark: int | None,
    head: int,
    read: dict[int, Changes],
    paths: dict[int, str],
    today: dt.date,
    started: dt.datetime,
) -> str:
    """Bring one indicator up to ``head``; what it did ("" when it only moved its freshness)."""
    since = None
    if mark is not None:
        if mark not in read:
            read[mark] = _changes_since(mark, head)
        since = earliest_change(indicator, read[mark], today)
    # The watermark moves in the transaction that writes the rows (which are computed
    # before it, holding no lock); a failure leaves both as they were.
    fill = {"audit_seq": head, "current_at": started}
    if mark is None or since == EARLIEST:
        rebuild_indicator(indicator, paths=paths, fill=fill)
        return "rebuilt"
    if since is not None:
        refresh_indicator(indicator, since=since, paths=paths, fill=fill)
        return str(since.year)
    FillState.objects.update_or_create(indicator=indicator.code, defaults=fill)
    return ""


def figures_as_of(codes: Iterable[str] | None = None) -> dt.datetime | None:
    """The freshness of the stored figures (of ``codes``, else of all): the oldest indicator's."""
    wanted = [i.code for i in registry.stored_indicators()]
    if codes is not None:
        asked = set(codes)
        wanted = [c for c in wanted if c in asked]
    states = FillState.objects.filter(indicator__in=wanted)
    if not wanted or states.filter(current_at__isnull=True).exists():
        return None
    return states.aggregate(oldest=Min("current_at"))["oldest"]


def rollup_age_seconds(now: dt.datetime | None = None) -> float | None:
    """How old the stored figures are, ``None`` when some indicator was never brought up to date."""
    as_of = figures_as_of()
    if as_of is None:
        return None
    return max(0.0, ((now or timezone.now()) - as_of).total_seconds())


def fact_days_of(rows: Iterable[tuple[Any, ...]]) -> dict[str, dt.date]:
    """``{object id: earliest day}`` from rows of (id, day or datetime, ...), ignoring empty dates."""
    found: dict[str, dt.date] = {}
    for pk, *stamps in rows:
        days = [registry.local_day(s) for s in stamps if s is not None]
        found[str(pk)] = min(days) if days else timezone.localdate()
    return found


FactDays = Callable[[str, list[str]], dict[str, dt.date]]


def fact_days_by(dated_by: dict[str, tuple[str, ...]]) -> FactDays:
    """An indicator's ``fact_days`` from ``{object type: date fields (lookups allowed)}``.

    Records not found (deleted) are left out, which makes the refresh start from the
    beginning; a record without its date yet dates its facts today.
    """

    def fact_days(object_type: str, ids: list[str]) -> dict[str, dt.date]:
        from django.apps import apps

        fields = dated_by.get(object_type)
        if fields is None:
            return {}
        model = apps.get_model(object_type)
        ids = _valid_keys(model, ids)
        found: dict[str, dt.date] = {}
        for chunk in range(0, len(ids), 500):
            rows = model.objects.filter(pk__in=ids[chunk : chunk + 500]).values_list("pk", *fields)
            found.update(fact_days_of(rows))
        return found

    return fact_days


def _valid_keys(model: Any, ids: list[str]) -> list[str]:
    """The ids that can be primary keys of ``model``; others are left out (dated as not found)."""
    kept = []
    for pk in ids:
        try:
            model._meta.pk.to_python(pk)
        except (ValidationError, ValueError, TypeError):
            continue
        kept.append(pk)
    return kept


VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def as_of_text(when: dt.datetime | None = None) -> str:
    """ "Figures as of 14:05, 01/12/2026 (Vietnam time)" in the current language.

    The time is the rollups' freshness (:func:`figures_as_of`) unless ``when`` is given.
    """
    when = when or figures_as_of()
    if when is None:
        return gettext("Figures not yet computed")
    local = timezone.localtime(when, VIETNAM)
    return gettext("Figures as of {time}, {day} (Vietnam time)").format(
        time=local.strftime("%H:%M"), day=local.strftime("%d/%m/%Y")
    )
