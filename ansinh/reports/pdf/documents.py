"""Receipt and household member list as PDF (WeasyPrint).

Fonts: the templates ask for "DejaVu Sans" then "Noto Sans" (both carry every Vietnamese letter with
its diacritics); WeasyPrint finds them through fontconfig and embeds the subset used.
"""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from ansinh.collection.selectors import receipt_get
from ansinh.collection.selectors_cancellation import receipt_cancellation, receipt_reprint_on
from ansinh.core.money import format_vnd
from ansinh.enrollment.models import HiParticipation
from ansinh.registry.selectors import household_get
from ansinh.reports.selectors import household_member_list


def html_to_pdf(html: str) -> bytes:
    """Render an HTML document (with its own CSS, no external resources) to PDF bytes."""
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf()


def receipt_pdf(*, user, pk: int, first_issue: bool = False) -> bytes:
    """The receipt (biên lai thu tiền) with this id as a one-page A5 PDF.

    Shows the organisation, number, date, payer, items (VND), the amount in figures ("4.043.520 đ")
    and in words, the payment method, the agent and the signature lines; a cancelled receipt says
    "BIÊN LAI ĐÃ HỦY" with when, by whom and why. ``first_issue``: the PDF is asked for from the page shown
    right after the payment; otherwise (or later than the first-issue window) it says "Bản in lại" with
    today's date (``collection.selectors_cancellation.receipt_reprint_on``). Scope as ``receipt_get``: an
    agent their own receipts, an officer those of their area. Raises Receipt.DoesNotExist,
    PermissionDenied, OutOfScope.
    """
    receipt = receipt_get(user=user, pk=pk)
    household = receipt.payment.hi.household if receipt.payment.hi_id else None
    html = render_to_string("reports/pdf/receipt.html", {
        "receipt": receipt, "household": household, "amount_text": format_vnd(receipt.amount),
        "items": [{"label": i.get("label", ""), "amount_text": format_vnd(i.get("amount"))} for i in receipt.items],
        "cancelled": receipt_cancellation(receipt=receipt), "printed_at": timezone.localtime(),
        "reprint_on": receipt_reprint_on(receipt=receipt, first_issue_claimed=first_issue),
    })
    return html_to_pdf(html)


def household_form4_pdf(*, user, pk: int, participation_id: int | None = None,
                        on: datetime.date | None = None) -> bytes:
    """The household member list for household HI (Form 4 of Decree 188/2025/NĐ-CP), A4 landscape.

    Columns: row, full name, HI code (SI number), citizen ID, date of birth, registered primary care
    facility (blank: not recorded), base salary (VND, from the frozen quote's parameters; blank if the
    quote does not say), relationship to the head, state support %, e-card or paper card (blank: not
    recorded), months. ``participation_id`` picks a payment period (default: the latest not cancelled);
    ``on`` is the date printed at the foot (default today). Raises Household.DoesNotExist,
    HiParticipation.DoesNotExist, PermissionDenied, OutOfScope.
    """
    household = household_get(user=user, pk=pk)
    participation = None
    if participation_id is not None:
        participation = HiParticipation.objects.get(pk=participation_id, household=household)
    data = household_member_list(user=user, household=household, participation=participation)
    commune = household.commune
    address = ", ".join(x for x in [household.address, household.hamlet, commune.name,
                                    commune.parent.name if commune.parent else ""] if x)
    html = render_to_string("reports/pdf/household_form4.html", {
        **data, "address": address, "on": on or timezone.localdate(),
    })
    return html_to_pdf(html)
