"""Which function runs each kind of job (``handler(*, job, ctx) -> JobOutcome | None``)."""

from .models import JobKind

HANDLERS = {
    JobKind.IMPORT_CHECK: "ansinh.imports.services.import_job",
    JobKind.IMPORT_RUN: "ansinh.imports.services.import_job",
    JobKind.EXPORT_D05: "ansinh.reports.jobs.export_job",
    JobKind.EXPORT_D03: "ansinh.reports.jobs.export_job",
    JobKind.RECEIPTS_PDF: "ansinh.reports.jobs.receipts_job",
    JobKind.PROGRESS_REBUILD: "ansinh.campaigns.jobs.progress_job",
}
