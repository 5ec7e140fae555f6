from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run background tasks: the database worker by default, RQ workers when SAFEWARD_TASK_BACKEND=rq."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        backend = str(settings.TASKS["default"]["BACKEND"])
        if backend.startswith("django_tasks_rq"):
            call_command("rqworker", options["queue"], job_class="django_tasks_rq.Job")
        else:
            from safeward.core.workers import heartbeat, new_worker_id

            worker_id = new_worker_id()
            with heartbeat(worker_id):
                call_command("db_worker", queue_name=options["queue"], worker_id=worker_id)
