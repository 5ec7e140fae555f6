from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender: Any, **kwargs: Any) -> None:
    from safeward.accounts.services import sync_builtin_roles

    sync_builtin_roles()


def _tell_account_holder(
    sender: Any, request: Any, username: str, ip_address: str, **kw: Any
) -> None:
    """Axes held sign-in back: tell the holder when their own account was the one tried."""
    from django.conf import settings

    from safeward.accounts.lockout import failures_of
    from safeward.accounts.services import signin_lock_notify

    failures = failures_of(username or "", ip_address)
    if username and failures >= settings.AXES_FAILURE_LIMIT:
        signin_lock_notify(username, address=ip_address, failures=failures)


class AccountsConfig(AppConfig):
    name = "safeward.accounts"
    label = "accounts"

    def ready(self) -> None:
        from safeward.accounts import roles, schema  # noqa: F401  (grants, OpenAPI schemes)

        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="safeward_sync_roles")
        from axes.signals import user_locked_out

        user_locked_out.connect(_tell_account_holder, dispatch_uid="safeward_lock_notice")
        from safeward.accounts.services import purge_signin_records
        from safeward.core.retention import register_purger

        register_purger("sign-in records", purge_signin_records)
