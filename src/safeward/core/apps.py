from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safeward.core"
    label = "core"
    verbose_name = "SafeWard core"

    def ready(self) -> None:
        from safeward.core import lookups  # noqa: F401  (registers the subtree lookup)
