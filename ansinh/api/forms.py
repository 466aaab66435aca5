"""The form of a new personal API token (name, expiry date dd/mm/yyyy)."""

import datetime

from django import forms
from django.utils import timezone

from ansinh.core.forms import TextHygieneMixin

from .services import token_max_days


class ApiTokenForm(TextHygieneMixin, forms.Form):
    name = forms.CharField(label="Tên mã (thiết bị, chương trình)", max_length=100,
                           error_messages={"required": "Vui lòng đặt tên cho mã truy cập (ví dụ: «Điện thoại của tôi»).",
                                           "max_length": "Tên mã truy cập tối đa 100 ký tự."})
    expires_on = forms.DateField(label="Hết hạn sau ngày", input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                 widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric",
                                                                                   "placeholder": "dd/mm/yyyy"}),
                                 error_messages={"required": "Vui lòng chọn ngày hết hạn.",
                                                 "invalid": "Ngày hết hạn viết theo dạng dd/mm/yyyy."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].help_text = f"Tối đa {token_max_days()} ngày kể từ hôm nay."
        if not self.is_bound:
            self.initial.setdefault("expires_on", timezone.localdate() + datetime.timedelta(days=90))
