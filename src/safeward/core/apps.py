from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safeward.core"
    label = "core"
    verbose_name = "SafeWard core"

    def ready(self) -> None:
        from safeward.core import lookups  # noqa: F401  (registers the subtree lookup)
        from safeward.core.backup import referenced_files_check, register_file_check
        from safeward.core.models import ImportJob
        from safeward.core.periodic import register_periodic
        from safeward.core.tasks import run_retention, tidy_import_jobs, tidy_lost_tasks

        register_periodic("retention", run_retention, 3600)
        # A worker killed during an import leaves its job running and its rows hidden.
        register_periodic("imports: tidy", tidy_import_jobs, 300)
        # A worker killed mid-task leaves that task RUNNING; its stale heartbeat fails it.
        register_periodic("tasks: tidy lost", tidy_lost_tasks, 300)
        register_file_check("import files", referenced_files_check(ImportJob, "import"))
