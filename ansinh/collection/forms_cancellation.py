"""Forms of cancelling a payment: the agent's request, the officer's decision and the refund. They check
input types only; the services check the rules and put their errors on these fields."""

from django import forms
from django.utils import timezone

from ansinh.core.forms import TextHygieneMixin

from .forms import VndField
from .models import CancellationReason

NOTE_ATTRS = {"rows": 2, "maxlength": "300"}


class CancelRequestForm(TextHygieneMixin, forms.Form):
    reason = forms.ChoiceField(label="Lý do hủy", choices=[("", "— Chọn lý do —"), *CancellationReason.choices],
                               error_messages={"required": "Vui lòng chọn lý do hủy.",
                                               "invalid_choice": "Vui lòng chọn lý do hủy."})
    note = forms.CharField(label="Ghi chú (không bắt buộc)", required=False, max_length=300,
                           widget=forms.Textarea(attrs=NOTE_ATTRS),
                           error_messages={"max_length": "Ghi chú dài tối đa 300 ký tự."})


class DecisionForm(TextHygieneMixin, forms.Form):
    note = forms.CharField(label="Ghi chú", required=False, max_length=300, widget=forms.Textarea(attrs=NOTE_ATTRS),
                           error_messages={"max_length": "Ghi chú dài tối đa 300 ký tự."})


class RefundForm(TextHygieneMixin, forms.Form):
    refunded_by = forms.TypedChoiceField(label="Người trả lại tiền", coerce=int, choices=(),
                                         error_messages={"required": "Vui lòng chọn người trả lại tiền.",
                                                         "invalid_choice": "Vui lòng chọn người trả lại tiền."})
    refunded_on = forms.DateField(
        label="Ngày trả lại tiền", input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                          "autocomplete": "off", "maxlength": "10"}),
        error_messages={"required": "Vui lòng nhập ngày trả lại tiền.",
                        "invalid": "Ngày trả lại tiền không hợp lệ (dd/mm/yyyy)."},
    )
    amount = VndField(label="Số tiền đã trả lại (đồng)")

    def __init__(self, *args, payers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["refunded_by"].choices = [(u.pk, u.get_full_name() or u.username) for u in payers]
        if not self.is_bound:
            self.initial.setdefault("refunded_on", timezone.localdate())
