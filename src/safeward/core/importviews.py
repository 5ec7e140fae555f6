"""The import pages every app offers: upload a file, then watch its job's progress.

An app declares them in its URLconf::

    path("import/", ImportView.as_view(codes=["cameras"], title=..., job_url="cameras:import-job"))
    path("import/<int:pk>/", ImportJobView.as_view())
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise

from safeward.core.forms import ImportForm
from safeward.core.importing import KINDS, FileProblem
from safeward.core.importjobs import import_job_start
from safeward.core.models import ImportJob, ImportJobStatus
from safeward.core.scoping import has_perm_anywhere
from safeward.core.views import ObjectView, ScopedView


class ImportView(ScopedView):
    """Upload form for the ``codes`` kinds the user may import; a bad file answers 400.

    Someone who may import none of them gets a 404, as for any page they may not open.
    """

    codes: ClassVar[list[str]] = []
    title: ClassVar[str | Promise] = ""
    job_url: ClassVar[str] = ""
    template_name = "core/import.html"

    def kinds(self, request: HttpRequest) -> list[tuple[str, Any]]:
        return [
            (KINDS[code].kind.code, KINDS[code].kind.label)
            for code in self.codes
            if code in KINDS and has_perm_anywhere(request.user, KINDS[code].permission)
        ]

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(self.kinds(request))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(request, ImportForm(kinds=self.kinds(request)))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES, kinds=self.kinds(request))
        if not form.is_valid():
            return self.render_form(request, form, status=400)
        upload = form.cleaned_data["file"]
        try:
            job = import_job_start(
                request.user,
                KINDS[form.cleaned_data["kind"]].kind,
                name=upload.name,
                content=upload.read(),
                partial=form.cleaned_data["partial"],
                encoding=form.cleaned_data["encoding"] or "auto",
            )
        except FileProblem as exc:
            return self.render_form(request, form, problem=exc.message, status=400)
        return redirect(self.job_url, pk=job.pk)

    def render_form(
        self, request: HttpRequest, form: ImportForm, *, problem: str = "", status: int = 200
    ) -> HttpResponse:
        # Each kind by its name in the reader's language; the column names are the file's own.
        columns = {
            KINDS[c].kind.label: ", ".join(KINDS[c].kind.columns) for c in self.codes if c in KINDS
        }
        context = self.get_context(
            request, form=form, problem=problem, columns=columns, title=self.title
        )
        return render(request, self.template_name, context, status=status)


class ImportJobView(ObjectView):
    """A job's progress and problems; the page polls its own fragment while it runs.

    Seen by its uploader and by whoever may import its kind in its unit (the job's own
    scoping), so the page needs no permission of its own. A file whose every row failed
    answers 422.
    """

    queryset = ImportJob.objects.all()
    require_permission = False
    template_name = "core/import_job.html"
    partial_template_name = "core/_import_job.html"

    def get_status(self, obj: Any) -> int:
        return 422 if obj.status == ImportJobStatus.FAILED else 200

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        label = KINDS[obj.kind].kind.label if obj.kind in KINDS else obj.kind
        return {**context, "job": obj, "label": label}
