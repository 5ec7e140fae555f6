from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "safeward.evidence"
    label = "evidence"
    verbose_name = _("Evidence")

    def ready(self) -> None:
        from safeward.accounts.roles import (
            CITY_OFFICER,
            FRONT_MEMBER,
            OFFICERS,
            PROVINCE_ADMIN,
            crud,
            grant,
        )
        from safeward.core.backup import register_file_check
        from safeward.core.retention import register_purger
        from safeward.evidence.querysets import APPROVE_PERM
        from safeward.evidence.services.custody import evidence_verify
        from safeward.evidence.services.retention import purge_expired_items
        from safeward.web.navigation import NavItem, register
        from safeward.web.public import PublicLink, register_public

        models = ["footagerequest", "requesttarget", "approval", "evidenceitem", "custodyevent"]
        grant(OFFICERS, [p for m in models for p in crud(f"evidence.{m}")])
        grant([CITY_OFFICER, PROVINCE_ADMIN, FRONT_MEMBER], [APPROVE_PERM])
        grant([FRONT_MEMBER], ["evidence.view_footagerequest", "evidence.view_requesttarget"])
        register_purger("evidence", purge_expired_items)
        register_file_check("evidence", lambda: evidence_verify().problems)
        register(
            NavItem(
                _("Footage requests"),
                "evidence:requests",
                "evidence.view_footagerequest",
                "▶",
                52,
                group="reports",
            )
        )
        register_public(PublicLink(_("Footage request statistics"), "evidence:stats", 13))
        _register_work_sections()


def _register_work_sections() -> None:
    """What waits on the home page: requests to approve, footage still to come in."""
    from typing import Any

    from safeward.evidence.models import EvidenceItem, FootageRequest
    from safeward.evidence.querysets import APPROVE_PERM
    from safeward.web.workqueue import WorkSection, register_work_section

    def undelivered(user: Any) -> Any:
        return (
            FootageRequest.objects.restrict(user, "view")
            .restrict(user, "add", of=EvidenceItem)
            .undelivered()
            .select_related("report", "unit")
            .order_by("sent_at", "id")
        )

    register_work_section(
        WorkSection(
            "footage_approvals",
            _("Footage requests awaiting your approval"),
            APPROVE_PERM,
            lambda user: (
                FootageRequest.objects.awaiting_approval_by(user)
                .select_related("report", "unit")
                .order_by("created_at", "id")
            ),
            "evidence:requests",
            "awaiting_me=1",
            "evidence/_work_row.html",
            _("No footage request awaits your approval."),
            nav="evidence:requests",
            order=15,
        ),
        WorkSection(
            "footage_undelivered",
            _("Footage not yet received"),
            "evidence.add_evidenceitem",
            undelivered,
            "evidence:requests",
            "undelivered=1",
            "evidence/_work_row.html",
            _("Every request sent to custodians has footage in."),
            nav="evidence:requests",
            order=60,
        ),
    )
