"""Import pages: upload (checked at once, with a progress bar), mapping step for unknown headers,
summary with per-row errors and the rejected rows download, then the import itself; the review of
probable duplicates (merge or keep apart). Each view parses, calls one service or selector, renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ansinh.accounts.services import require_permission
from ansinh.accounts.views import domain_errors
from ansinh.core.errors import PermissionDenied
from ansinh.registry.models import Person

from . import errors, services
from .forms import MappingForm, UploadForm
from .models import BatchStatus
from .selectors import batches_recent, duplicate_get, duplicates_open

RUNNING = (BatchStatus.CHECKING, BatchStatus.IMPORTING)


def _communes(user):
    from ansinh.accounts.services import communes_in_scope

    return communes_in_scope(user).select_related("parent")


@login_required
@domain_errors
def upload(request):
    """GET: the upload form and the user's recent imports. POST: keep the file and start checking it."""
    require_permission(request.user, services.IMPORT_PERMISSION)
    form = UploadForm(request.POST or None, request.FILES or None, communes=_communes(request.user))
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        commune = form.cleaned_data["default_commune"]
        try:
            batch = services.import_batch_create(user=request.user, file_name=upload_file.name,
                                                 content=upload_file.read(),
                                                 default_commune_id=commune.pk if commune else None)
        except errors.ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            services.import_batch_start(user=request.user, batch=batch, dry_run=True)
            return redirect("import_batch", pk=batch.pk)
    return render(request, "imports/upload.html", {"form": form, "batches": batches_recent(user=request.user)})


def _batch_context(request, batch):
    context = {"batch": batch, "running": batch.status in RUNNING, "summary": batch.summary or {}}
    if batch.status == BatchStatus.NEEDS_MAPPING or (
            batch.status == BatchStatus.CHECKED and (batch.summary or {}).get("unknown_columns")):
        context["mapping_form"] = MappingForm(headers=batch.summary.get("unknown_columns", []),
                                              initial_mapping=batch.mapping)
    if batch.status in (BatchStatus.CHECKED, BatchStatus.DONE, BatchStatus.FAILED):
        context["row_errors"] = batch.row_errors.all()[:500]
    return context


@login_required
@domain_errors
def batch_detail(request, pk: int):
    """One import: progress while it runs, then the summary (and the mapping form if needed)."""
    batch = services.import_batch_get(user=request.user, pk=pk)
    return render(request, "imports/batch.html", _batch_context(request, batch))


@login_required
@domain_errors
def batch_progress(request, pk: int):
    """The progress bar (polled by htmx every second); once finished the page reloads itself."""
    batch = services.import_batch_get(user=request.user, pk=pk)
    response = render(request, "imports/_progress.html", {"batch": batch, "running": batch.status in RUNNING})
    if batch.status not in RUNNING:
        response["HX-Refresh"] = "true"
    return response


@login_required
@domain_errors
@require_POST
def batch_mapping(request, pk: int):
    """Save the column mapping and check the file again."""
    batch = services.import_batch_get(user=request.user, pk=pk)
    form = MappingForm(request.POST, headers=batch.summary.get("unknown_columns", []))
    if form.is_valid():
        batch = services.import_batch_set_mapping(user=request.user, batch=batch, mapping=form.mapping())
        services.import_batch_start(user=request.user, batch=batch, dry_run=True)
    return redirect("import_batch", pk=batch.pk)


@login_required
@domain_errors
@require_POST
def batch_commit(request, pk: int):
    """Import the checked file into the registry."""
    batch = services.import_batch_get(user=request.user, pk=pk)
    try:
        services.import_batch_start(user=request.user, batch=batch, dry_run=False)
    except errors.ImportFileError as exc:
        messages.error(request, exc.message)
    return redirect("import_batch", pk=batch.pk)


@login_required
@domain_errors
@require_POST
def batch_cancel(request, pk: int):
    """Stop the check or the import running for this batch."""
    batch = services.import_batch_get(user=request.user, pk=pk)
    try:
        services.import_batch_cancel(user=request.user, batch=batch)
        messages.success(request, "Đã yêu cầu dừng.")
    except errors.ImportFileError as exc:
        messages.error(request, exc.message)
    return redirect("import_batch", pk=batch.pk)


@login_required
@domain_errors
def batch_rejected(request, pk: int):
    """The rejected rows with their reasons, as .xlsx."""
    batch = services.import_batch_get(user=request.user, pk=pk)
    if not batch.rejected_file:
        raise Http404("Không có dòng nào bị loại.")
    response = HttpResponse(bytes(batch.rejected_file), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    stem = batch.file_name.rsplit(".", 1)[0]
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(stem)}-dong-bi-loai.xlsx"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


@login_required
@domain_errors
def duplicate_list(request):
    """Probable duplicates to merge or keep apart."""
    candidates = list(duplicates_open(user=request.user)[:200])
    for candidate in candidates:
        candidate.overlap_choices = services.cover_overlap_choices(candidate=candidate)
    return render(request, "imports/duplicates.html", {"candidates": candidates})


@login_required
@domain_errors
@require_POST
def duplicate_decide(request, pk: int):
    """Merge (keeping one of the two records) or keep apart; for an identity conflict, apply the row's
    version or keep the registry's."""
    candidate = duplicate_get(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    try:
        if action in ("apply_row", "keep_registry"):
            services.identity_decide(user=request.user, candidate=candidate, apply=action == "apply_row")
            messages.success(request, "Đã sửa thông tin định danh theo tệp." if action == "apply_row"
                             else "Đã giữ thông tin như trong sổ.")
        elif action == "keep_apart":
            services.duplicate_keep_apart(user=request.user, candidate=candidate)
            messages.success(request, "Đã ghi nhận: hai hồ sơ là hai người khác nhau.")
        elif action in ("keep_a", "keep_b"):
            keep = candidate.person_a if action == "keep_a" else candidate.person_b
            cancel = [ref for ref in request.POST.getlist("cancel") if ref]
            merge = services.person_merge(user=request.user, candidate=candidate, keep=keep, cancel=cancel,
                                          refund_note=request.POST.get("refund_note", ""))
            done = f"Đã gộp hồ sơ #{merge.merged_person_id} vào {keep.full_name}."
            for item in merge.moved.get("cancelled", []):
                refund = f"{item['refund']:,}".replace(",", ".")
                done += f" Đã hủy kỳ {item['label']}" + (f", hoàn lại {refund} đồng" if item["refund"] else "") + "."
            messages.success(request, done)
        else:
            raise errors.MergeError("Thao tác không hợp lệ.")
    except (errors.MergeError, PermissionDenied) as exc:
        messages.error(request, exc.message if not isinstance(exc, PermissionDenied) else
                       "Hủy kỳ đã thu tiền (hoàn tiền) cần quyền ghi thu của cán bộ BHXH.")
    except Person.DoesNotExist:
        messages.error(request, "Hồ sơ không còn.")
    return redirect("duplicate_list")


