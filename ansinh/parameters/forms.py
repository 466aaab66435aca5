"""The form to add a dated parameter value. It checks the date's format only; the service checks the
value against the parameter's unit, the date order and the rest."""

from django import forms

from .models import Confidence
from .values import JSON_UNITS, UNIT_HINTS_VI


class ParameterValueForm(forms.Form):
    start = forms.DateField(
        label="Áp dụng từ ngày", input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                          "autocomplete": "off", "maxlength": "10"}),
        error_messages={"required": "Vui lòng nhập ngày bắt đầu áp dụng.",
                        "invalid": "Ngày không hợp lệ (dd/mm/yyyy)."},
    )
    value = forms.CharField(label="Giá trị", max_length=2000, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "off"}))
    reference_document = forms.CharField(label="Văn bản căn cứ", max_length=300, required=False,
                                         help_text="Số hiệu văn bản, ví dụ Nghị định 161/2026/NĐ-CP.")
    reference_article = forms.CharField(label="Điều, khoản", max_length=200, required=False,
                                        help_text="Ví dụ khoản 1 Điều 3.")
    reference_link = forms.CharField(label="Đường dẫn tới văn bản", max_length=500, required=False)
    reference_note = forms.CharField(label="Ghi chú về căn cứ", max_length=2000, required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    confidence = forms.ChoiceField(label="Độ tin cậy", choices=Confidence.choices, initial=Confidence.REPORTED,
                                   widget=forms.RadioSelect,
                                   error_messages={"required": "Vui lòng chọn độ tin cậy.",
                                                   "invalid_choice": "Độ tin cậy không hợp lệ."})
    note = forms.CharField(label="Ghi chú", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    change_reason = forms.CharField(
        label="Lý do thay đổi lớn", max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Chỉ cần khi giá trị mới thay đổi quá nhiều so với giá trị gần nhất: ghi lý do để xác nhận.")

    def __init__(self, *args, unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].help_text = f"Nhập {UNIT_HINTS_VI.get(unit, unit)}."
        if unit in JSON_UNITS:
            self.fields["value"].widget = forms.Textarea(attrs={"rows": 3, "spellcheck": "false"})
