"""Large exports as background jobs: D05-TS / D03-TS for an area (a whole province: hundreds of thousands
of rows) and all the receipts of a day as one PDF. Started by ``*_start`` (permission checked there, and
again by the export itself when it runs as the user who started it); run by ``jobs.kinds`` handlers."""

import datetime
import io

from ansinh.accounts.services import require_permission
from ansinh.core.errors import ValidationError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_PERMISSION = "collection.view_payment"


class NoReceipts(ValidationError):
    code = "no_receipts"
    message = "Không có biên lai nào trong ngày này thuộc địa bàn của bạn."


def list_export_start(*, user, form: str, date_from: datetime.date | None = None,
                      date_to: datetime.date | None = None, area_id: int | None = None):
    """Queue the D05-TS (``form="d05"``) or D03-TS (``"d03"``) list of the user's area as a job."""
    from ansinh.jobs.models import JobKind
    from ansinh.jobs.services import job_enqueue

    require_permission(user, LIST_PERMISSION)
    kind = {"d05": JobKind.EXPORT_D05, "d03": JobKind.EXPORT_D03}[form]
    return job_enqueue(user=user, kind=kind, params={
        "date_from": date_from.isoformat() if date_from else None, "date_to": date_to.isoformat() if date_to else None,
        "area_id": area_id})


def export_job(*, job, ctx):
    """Handler: write the list as the user who asked for it; the .xlsx is the job's result."""
    from ansinh.areas.models import AdministrativeUnit
    from ansinh.jobs.models import JobKind
    from ansinh.jobs.services import JobOutcome

    from .exports.lists import d03_export, d05_export
    from .selectors import ListFilter

    p = job.params
    filters = ListFilter(
        date_from=datetime.date.fromisoformat(p["date_from"]) if p.get("date_from") else None,
        date_to=datetime.date.fromisoformat(p["date_to"]) if p.get("date_to") else None,
        area=AdministrativeUnit.objects.get(pk=p["area_id"]) if p.get("area_id") else None)
    ctx.progress(0, 1, "Đang lập danh sách…")
    out = io.BytesIO()
    export, name = (d05_export, "D05-TS") if job.kind == JobKind.EXPORT_D05 else (d03_export, "D03-TS")
    summary = export(user=job.created_by, filters=filters, out=out)
    ctx.progress(1, 1)
    return JobOutcome(data=out.getvalue(), name=f"{name}.xlsx", content_type=XLSX,
                      message=f"{summary['rows']} dòng; {summary['receipts']} biên lai.")


def receipts_day_start(*, user, day: datetime.date):
    """Queue all the receipts of ``day`` in the user's scope as one PDF."""
    from ansinh.jobs.models import JobKind
    from ansinh.jobs.services import job_enqueue

    require_permission(user, LIST_PERMISSION)
    return job_enqueue(user=user, kind=JobKind.RECEIPTS_PDF, params={"day": day.isoformat()})


def receipts_job(*, job, ctx):
    """Handler: every receipt of the day the user may see, one after another in one PDF (each page as
    ``receipt_pdf`` makes it)."""
    from weasyprint import HTML

    from ansinh.collection.models import Receipt
    from ansinh.collection.selectors import payments_in_scope
    from ansinh.jobs.services import JobOutcome

    from .pdf import documents

    day = datetime.date.fromisoformat(job.params["day"])
    user = job.created_by
    ids = list(Receipt.objects.filter(payment__in=payments_in_scope(user=user), payment__paid_on=day)
               .order_by("pk").values_list("pk", flat=True))
    if not ids:
        raise NoReceipts()
    rendered = []
    original = documents.html_to_pdf
    documents.html_to_pdf = lambda html: HTML(string=html, base_url=None).render()  # pages, not bytes yet
    try:
        for n, pk in enumerate(ids, start=1):
            rendered.append(documents.receipt_pdf(user=user, pk=pk))
            if n % 10 == 0 or n == len(ids):
                ctx.progress(n, len(ids), f"{n}/{len(ids)} biên lai")
    finally:
        documents.html_to_pdf = original
    pdf = rendered[0].copy([page for doc in rendered for page in doc.pages]).write_pdf()
    return JobOutcome(data=pdf, name=f"bien-lai-{day:%d-%m-%Y}.pdf", content_type="application/pdf",
                      message=f"{len(ids)} biên lai ngày {day:%d/%m/%Y}.")
