"""Writes to footage requests, their targets and the evidence they bring in; each is audited.

- :mod:`.requests`: a footage request from creation through approval to closing, and the
  custodians' answers;
- :mod:`.deliveries`: bringing each custodian their one-time link, attempt by attempt;
- :mod:`.items`: clips received, opened and kept;
- :mod:`.custody`: the hash-chained custody log and its verification;
- :mod:`.retention`: purging clips whose retention ran out.
"""

from safeward.evidence.services.custody import custody_append, evidence_verify
from safeward.evidence.services.deliveries import (
    TOKEN_DAYS,
    delivery_link,
    delivery_resend,
    may_manage_deliveries,
)
from safeward.evidence.services.items import (
    evidence_open,
    evidence_receive,
    evidence_set_retention,
)
from safeward.evidence.services.requests import (
    HARD_MAX_RADIUS_M,
    HARD_MAX_WINDOW,
    approvals_for,
    footage_request_approve,
    footage_request_close,
    footage_request_create,
    footage_request_reject,
    radius_cap_m,
    request_approvers,
    target_for_token,
    target_respond,
    window_cap,
)
from safeward.evidence.services.retention import purge_expired_items

__all__ = [
    "HARD_MAX_RADIUS_M",
    "HARD_MAX_WINDOW",
    "TOKEN_DAYS",
    "approvals_for",
    "custody_append",
    "delivery_link",
    "delivery_resend",
    "evidence_open",
    "evidence_receive",
    "evidence_set_retention",
    "evidence_verify",
    "footage_request_approve",
    "footage_request_close",
    "footage_request_create",
    "footage_request_reject",
    "may_manage_deliveries",
    "purge_expired_items",
    "radius_cap_m",
    "request_approvers",
    "target_for_token",
    "target_respond",
    "window_cap",
]
