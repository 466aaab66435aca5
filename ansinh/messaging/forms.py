"""Forms of the messaging pages (parse only; the services decide)."""

from django import forms

from ansinh.core.forms import VietnameseForm

from .models import ConsentSource, OutboxStatus
from .rendering import FIELDS


class TemplateForm(VietnameseForm):
    body = forms.CharField(label="Nội dung tin nhắn", widget=forms.Textarea(attrs={"rows": 5}), max_length=1000,
                           error_messages={"required": "Nhập nội dung tin nhắn."},
                           help_text="Các trường: " + ", ".join("{" + k + "} " + v for k, v in FIELDS.items()))
    zalo_template_id = forms.CharField(label="Mã mẫu Zalo ZNS", max_length=40, required=False)


class ConsentForm(VietnameseForm):
    granted = forms.TypedChoiceField(
        label="Quyết định", choices=[("1", "Đồng ý nhận tin nhắn nhắc hạn"), ("0", "Từ chối / rút lại đồng ý")],
        coerce=lambda v: v == "1", widget=forms.RadioSelect, error_messages={"required": "Chọn đồng ý hoặc từ chối."},
    )
    decided_on = forms.DateField(label="Ngày đồng ý / từ chối", input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                 error_messages={"required": "Nhập ngày.", "invalid": "Ngày phải có dạng dd/mm/yyyy."})
    source = forms.ChoiceField(label="Nguồn", choices=[c for c in ConsentSource.choices
                                                     if c[0] in ("form", "agent", "officer")],
                               error_messages={"required": "Chọn nguồn.", "invalid_choice": "Nguồn không hợp lệ."})
    email = forms.EmailField(label="Thư điện tử (nếu nhận tin qua thư)", required=False,
                             error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."})
    note = forms.CharField(label="Ghi chú", max_length=200, required=False)


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(label="Trạng thái", required=False, choices=[("", "Tất cả"), *OutboxStatus.choices])
