"""Forms of the collection pages: HI and VSI payment, the VSI calculator. They check input types only;
the services check amounts, scope and rules."""

import re
import uuid

from django import forms
from django.utils import timezone

from ansinh.core.forms import TextHygieneMixin
from ansinh.enrollment.models import PaymentMode

from .errors import KEY_MESSAGE, PaymentDateInvalid
from .models import PaymentMethod
from .services import payment_date_check  # the same check as the API's

HI_MONTHS = [(12, "12 tháng"), (6, "6 tháng"), (3, "3 tháng")]
# Payment modes with a fixed number of months; for the others the months are entered.
MODE_MONTHS = {"monthly": 1, "3_months": 3, "6_months": 6, "12_months": 12}


class VndField(forms.Field):
    """A whole number of đồng, typed as 2906280 or 2.906.280 (dots or spaces between thousands,
    an optional trailing "đ"). Cleans to a positive int."""

    default_error_messages = {
        "required": "Vui lòng nhập số tiền.",
        "invalid": "Số tiền phải là số nguyên (đồng), ví dụ 2.906.280.",
        "not_positive": "Số tiền phải lớn hơn 0.",
    }

    widget = forms.TextInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": "25"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = re.sub(r"[\s\u00a0]", "", str(value)).lower().removesuffix("đ").removesuffix("d")
        # Plain digits, or thousands grouped by dots (2.906.280); never a decimal point.
        if not re.fullmatch(r"-?(?:[0-9]{1,15}|[0-9]{1,3}(?:\.[0-9]{3}){1,4})", text, flags=re.ASCII):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        text = text.replace(".", "")
        if not re.fullmatch(r"-?[0-9]{1,15}", text, flags=re.ASCII):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        number = int(text)
        if number <= 0:
            raise forms.ValidationError(self.error_messages["not_positive"], code="not_positive")
        return number


class PaymentFields(TextHygieneMixin, forms.Form):
    """Amount, method, date and the idempotency key shared by the HI and VSI payment forms."""

    amount = VndField(label="Số tiền thu (đồng)")
    method = forms.ChoiceField(label="Hình thức nộp", choices=PaymentMethod.choices, initial=PaymentMethod.CASH,
                               widget=forms.RadioSelect)
    paid_on = forms.DateField(
        label="Ngày nộp", input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                          "autocomplete": "off", "maxlength": "10"}),
        error_messages={"required": "Vui lòng nhập ngày nộp.", "invalid": "Ngày nộp không hợp lệ (dd/mm/yyyy)."},
    )
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput, max_length=64,
        error_messages={key: KEY_MESSAGE for key in ("required", "max_length", "null_characters_not_allowed")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("paid_on", timezone.localdate())
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        try:
            payment_date_check(paid_on=paid_on)
        except PaymentDateInvalid as exc:
            raise forms.ValidationError(exc.message) from None
        return paid_on


REFERRER_MESSAGE = "Người vận động: phải là chi hội trưởng, tổ trưởng hoặc hội viên trong danh sách."


def referrer_field(referrers) -> forms.TypedChoiceField:
    """Người vận động: a leader or a member from ``referrers`` (people), or nobody."""
    return forms.TypedChoiceField(
        label="Người vận động", coerce=int, required=False, empty_value=None,
        choices=[("", "— Không có —")] + [(p.pk, p.full_name) for p in referrers],
        help_text="Chi hội trưởng, tổ trưởng hoặc hội viên đã vận động người này tham gia.",
        error_messages={"invalid_choice": REFERRER_MESSAGE})


class HiPaymentForm(PaymentFields):
    """Thu tiền BHYT hộ gia đình: months (3/6/12), who persuaded the household, and the payment."""

    field_order = ["months", "referred_by", "amount", "method", "paid_on"]
    months = forms.TypedChoiceField(label="Số tháng", choices=HI_MONTHS, coerce=int, initial=12,
                                    widget=forms.RadioSelect,
                                    error_messages={"invalid_choice": "Chỉ được chọn 3, 6 hoặc 12 tháng."})

    def __init__(self, *args, referrers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred_by"] = referrer_field(referrers)
        self.order_fields(self.field_order)


class VsiParamsForm(TextHygieneMixin, forms.Form):
    """A member, a chosen monthly income, a payment mode and (for advance / back-payment) the months."""

    person = forms.TypedChoiceField(label="Người tham gia", coerce=int,
                                    error_messages={"invalid_choice": "Người này không thuộc hộ gia đình."})
    income = VndField(label="Mức thu nhập tháng làm căn cứ đóng (đồng)",
                      error_messages={"required": "Vui lòng nhập mức thu nhập."})
    payment_mode = forms.ChoiceField(label="Phương thức đóng", choices=PaymentMode.choices,
                                     initial=PaymentMode.TWELVE_MONTHS)
    months = forms.IntegerField(label="Số tháng", required=False, min_value=1, max_value=600,
                                help_text="Chỉ nhập khi đóng trước nhiều năm hoặc đóng bù.",
                                error_messages={"invalid": "Số tháng phải là số nguyên.",
                                                "min_value": "Số tháng phải lớn hơn 0.",
                                                "max_value": "Số tháng không quá %(limit_value)s."})

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.full_name) for p in people]
        self.fields["income"].widget.attrs["placeholder"] = "1.500.000"

    def clean(self):
        cleaned = super().clean()
        mode = cleaned.get("payment_mode")
        if mode in MODE_MONTHS:
            cleaned["months"] = MODE_MONTHS[mode]
        elif mode and not cleaned.get("months") and "months" not in self.errors:
            self.add_error("months", "Vui lòng nhập số tháng đóng trước hoặc đóng bù.")
        return cleaned


class VsiPaymentForm(VsiParamsForm, PaymentFields):
    """Thu tiền BHXH tự nguyện: the VSI parameters, who persuaded the person, and the payment."""

    field_order = ["person", "income", "payment_mode", "months", "referred_by", "amount", "method", "paid_on"]

    def __init__(self, *args, referrers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred_by"] = referrer_field(referrers)
        self.order_fields(self.field_order)
