from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender: Any, **kwargs: Any) -> None:
    from safeward.accounts.services import sync_builtin_roles

    sync_builtin_roles()


class AccountsConfig(AppConfig):
    name = "safeward.accounts"
    label = "accounts"

    def ready(self) -> None:
        from safeward.accounts import roles, schema  # noqa: F401  (grants, OpenAPI schemes)

        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="safeward_sync_roles")
        from safeward.accounts.services import purge_signin_records
        from safeward.core.retention import register_purger

        register_purger("sign-in records", purge_signin_records)
