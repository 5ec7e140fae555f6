"""The import pages every app offers: upload a file, then watch its job's progress."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safeward.core.forms import ImportForm
from safeward.core.importing import KINDS, FileProblem
from safeward.core.importjobs import import_job_start
from safeward.core.models import ImportJob, ImportJobStatus
from safeward.core.scoping import has_perm_anywhere


def import_page(
    request: HttpRequest, *, codes: list[str], title: str, job_url: str
) -> HttpResponse:
    """Upload form for the ``codes`` kinds the user may import; a bad file answers 400."""
    offered = [KINDS[c] for c in codes if c in KINDS]
    kinds = [
        (r.kind.code, r.kind.label)
        for r in offered
        if has_perm_anywhere(request.user, r.permission)
    ]
    if not kinds:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    problem, status = "", 200
    if request.method == "POST":
        if form.is_valid():
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
                problem = exc.message
            else:
                return redirect(job_url, pk=job.pk)
        status = 400
    columns = {r.kind.code: ", ".join(r.kind.columns) for r in offered}
    context = {"form": form, "problem": problem, "columns": columns, "title": title}
    return render(request, "core/import.html", context, status=status)


def import_job_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's progress and problems; the page polls its own fragment while it runs."""
    job = ImportJob.objects.get_visible(request.user, pk=pk)
    label = KINDS[job.kind].kind.label if job.kind in KINDS else job.kind
    every_row_failed = job.status == ImportJobStatus.FAILED
    status = 422 if every_row_failed else 200
    template = (
        "core/_import_job.html" if request.headers.get("HX-Request") else "core/import_job.html"
    )
    return render(request, template, {"job": job, "label": label}, status=status)
