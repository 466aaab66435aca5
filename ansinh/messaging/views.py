"""Messaging pages: the outbox with counts, templates, a person's consent, the public opt-out link, and the
gateway webhooks (delivery reports, inbound replies: CSRF-exempt, signed with the shared secret)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ansinh.accounts.views import domain_errors
from ansinh.core.errors import ValidationError
from ansinh.registry.models import Person

from . import selectors, services
from .forms import ConsentForm, OutboxFilterForm, TemplateForm
from .models import ReminderKind
from .tasks import reminders_queue_task


@login_required
@domain_errors
def outbox(request):
    """Tin nhắn nhắc hạn: counts per commune and agent, the latest messages (phone masked)."""
    form = OutboxFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    rows = selectors.outbox_list(user=request.user, status=status or None)
    counts = selectors.outbox_counts(user=request.user)
    return render(request, "messaging/outbox.html", {
        "form": form, "rows": rows, "counts": counts,
        "can_queue": request.user.has_perm("messaging.queue_reminders"),
    })


@login_required
@domain_errors
@require_POST
def queue_now(request):
    """Queue today's reminders for the user's scope as a background job."""
    services.require_permission(request.user, "messaging.queue_reminders")
    reminders_queue_task.enqueue(request.user.pk, timezone.localdate().isoformat())
    messages.success(request, "Đã đưa việc xếp hàng tin nhắn nhắc hạn vào hàng đợi.")
    return redirect("messaging:outbox")


@login_required
@domain_errors
def templates(request):
    """Mẫu tin nhắn: every kind with its text in the user's province."""
    return render(request, "messaging/templates.html", {"rows": selectors.templates_for(user=request.user)})


@login_required
@domain_errors
def template_edit(request, kind: str):
    """Sửa mẫu tin nhắn of one kind; a missing or unknown field is refused on the field."""
    labels = dict(ReminderKind.choices)
    if kind not in labels:
        raise Http404("Không có loại tin nhắn này.")
    current = {r["kind"]: r for r in selectors.templates_for(user=request.user)}[kind]
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                services.template_save(user=request.user, kind=kind, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(error.details.get("field") if error.details.get("field") in form.fields else None,
                               error.message)
            else:
                messages.success(request, f"Đã lưu mẫu «{labels[kind]}».")
                return redirect("messaging:templates")
        status = 400
    else:
        form = TemplateForm(initial={"body": current["body"], "zalo_template_id": current["zalo_template_id"]})
    return render(request, "messaging/template_edit.html", {"form": form, "label": labels[kind]}, status=status)


@login_required
@domain_errors
def consent(request, person_id: int):
    """Đồng ý nhận tin of one person: history and a form to record consent or opt-out."""
    person = get_object_or_404(Person, pk=person_id)
    history = selectors.consent_history(user=request.user, person=person)
    status = 200
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            try:
                services.consent_record(user=request.user, person=person, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(error.details.get("field") if error.details.get("field") in form.fields else None,
                               error.message)
            else:
                messages.success(request, "Đã ghi nhận.")
                return redirect("messaging:consent", person_id=person.pk)
        status = 400
    else:
        form = ConsentForm(initial={"decided_on": timezone.localdate().strftime("%d/%m/%Y"), "source": "agent"})
    return render(request, "messaging/consent.html", {
        "person": person, "history": history, "form": form, "current": history[0] if history else None,
    }, status=status)


def opt_out(request, token: str):
    """Public one-click opt-out: GET shows a button (a link preview must not opt anyone out), POST records it."""
    try:
        services.opt_out_message(token)
    except ValidationError as error:
        return render(request, "messaging/opt_out.html", {"error": error.message}, status=404)
    if request.method == "POST":
        services.opt_out_by_link(token=token)
        return render(request, "messaging/opt_out.html", {"done": True})
    return render(request, "messaging/opt_out.html", {})


def _signed_json(request):
    body = request.body
    if not services.webhook_verify(body=body, signature=request.headers.get("X-Signature", ""),
                                   timestamp=request.headers.get("X-Timestamp", "")):
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
        return {}
    return data if isinstance(data, dict) else {}


def _text(value, limit: int = 200) -> str:
    """A field of a gateway's JSON as text the database can store: empty when it holds a lone surrogate or
    a NUL (neither can be stored in UTF-8 text), cut at ``limit``."""
    text = str(value or "")[:limit]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return ""
    return "" if "\x00" in text else text


@csrf_exempt
@require_POST
def delivery_webhook(request):
    """Delivery reports: ``{"ref" or "id", "status": "delivered"|"failed", "reason"}`` signed with
    ``X-Timestamp`` (Unix seconds, within 5 minutes) and ``X-Signature`` = HMAC-SHA256(timestamp + "." + body,
    MESSAGING_WEBHOOK_SECRET)."""
    data = _signed_json(request)
    if data is None:
        return HttpResponseForbidden("bad signature")
    result = services.delivery_report_record(
        ref=_text(data.get("ref"), 64), provider_id=_text(data.get("id"), 64),
        delivered=data.get("status") == "delivered", reason=_text(data.get("reason")),
    )
    return JsonResponse({"result": result})


@csrf_exempt
@require_POST
def inbound_webhook(request):
    """Inbound replies: ``{"phone", "text"}`` signed as the delivery reports; "TU CHOI" opts out."""
    data = _signed_json(request)
    if data is None:
        return HttpResponseForbidden("bad signature")
    count = services.inbound_reply_handle(phone=_text(data.get("phone"), 32), text=_text(data.get("text"), 500))
    return JsonResponse({"opted_out": count})
