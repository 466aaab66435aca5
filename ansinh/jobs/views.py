"""Job pages: the user's recent jobs (and a form to start a large export), one job with its progress
(polled by htmx), its result download and its error report, and the cancel button."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ansinh.accounts.views import domain_errors

from . import services
from .models import Job


class ExportForm(forms.Form):
    what = forms.ChoiceField(label="Loại", choices=[("d05", "Danh sách D05-TS (BHXH tự nguyện)"),
                                                    ("d03", "Danh sách D03-TS (BHYT hộ gia đình)"),
                                                    ("receipts", "Tất cả biên lai trong một ngày (PDF)")])
    date_from = forms.DateField(label="Từ ngày (hoặc ngày của biên lai)", required=False,
                                input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    date_to = forms.DateField(label="Đến ngày", required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])

    def clean(self):
        data = super().clean()
        if data.get("what") == "receipts" and not data.get("date_from"):
            self.add_error("date_from", "Hãy nhập ngày của các biên lai (dd/mm/yyyy).")
        return data


def _get(request, pk):
    try:
        return services.job_get(user=request.user, pk=pk)
    except Job.DoesNotExist:
        raise Http404("Không có việc này.") from None


@login_required
@domain_errors
def job_list(request):
    """GET: the user's recent jobs and the export form. POST: start the export as a job."""
    from ansinh.reports.jobs import list_export_start, receipts_day_start

    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["what"] == "receipts":
            job = receipts_day_start(user=request.user, day=data["date_from"])
        else:
            job = list_export_start(user=request.user, form=data["what"], date_from=data["date_from"],
                                    date_to=data["date_to"])
        return redirect("job_detail", pk=job.pk)
    return render(request, "jobs/list.html", {"form": form, "jobs": services.jobs_recent(user=request.user),
                                              "today": datetime.date.today()})


@login_required
@domain_errors
def job_detail(request, pk: int):
    return render(request, "jobs/job.html", {"job": _get(request, pk)})


@login_required
@domain_errors
def job_progress(request, pk: int):
    """The progress part (polled every second by htmx); once the job ends the page reloads itself."""
    job = _get(request, pk)
    response = render(request, "jobs/_progress.html", {"job": job})
    if not job.running:
        response["HX-Refresh"] = "true"
    return response


@login_required
@domain_errors
def job_result(request, pk: int):
    job = _get(request, pk)
    data = Job.objects.filter(pk=job.pk).values_list("result", flat=True).first()
    if not data:
        raise Http404("Việc này không có tệp kết quả.")
    from urllib.parse import quote

    response = HttpResponse(bytes(data), content_type=job.result_type or "application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.result_name)}"
    return response


@login_required
@domain_errors
@require_POST
def job_cancel(request, pk: int):
    job = _get(request, pk)
    try:
        services.job_cancel(user=request.user, job=job)
        messages.success(request, "Đã yêu cầu dừng.")
    except services.JobNotCancellable as exc:
        messages.error(request, exc.message)
    return redirect("job_detail", pk=job.pk)
