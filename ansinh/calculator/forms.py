"""Forms of the public calculator pages.

They only read what was typed: a number in Vietnamese format becomes an int, anything else is passed
on as typed, so the rules module refuses it with its own Vietnamese message (text in a number field,
negative, absurd, months 0 or 61...). A rules error is then shown next to the field it concerns, its
request key («income») replaced by the field's label («Mức thu nhập»).
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils import timezone

from ansinh.parameters.values import GROUP_LABELS_VI, MODE_LABELS_VI
from ansinh.rules.errors import RuleError

KINDS = [("vsi", "BHXH tự nguyện"), ("hi", "BHYT hộ gia đình")]
VSI_GROUPS = ["poor", "near_poor", "ethnic_minority", "island_commune", "other", "none"]
HI_GROUPS = [("none", "Không thuộc nhóm được hỗ trợ"), ("near_poor", GROUP_LABELS_VI["near_poor"]),
             ("student", GROUP_LABELS_VI["student"]), ("agri_average", GROUP_LABELS_VI["agri_average"])]
SEXES = [("male", "Nam"), ("female", "Nữ")]

MAX_DIGITS = 30
"""Longer digit strings are passed on as text (the rules refuse them); no number is that large."""

_NUMBER_RE = re.compile(r"-?(\d{1,3}(\.\d{3})+|\d+)")
_DATE_DMY_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONTH_MY_RE = re.compile(r"(\d{1,2})/(\d{4})")
_MONTH_ISO_RE = re.compile(r"(\d{4})-(\d{1,2})")

DATE_INVALID = "Ngày không hợp lệ (dd/mm/yyyy)."
MONTH_INVALID = "Tháng sinh không hợp lệ (mm/yyyy)."
MONTH_REQUIRED = "Vui lòng nhập tháng sinh (mm/yyyy)."
EXTRA_MONTHS_INVALID = "Số tháng lẻ phải là số nguyên từ 0 đến 11."
SEX_REQUIRED = "Vui lòng chọn giới tính."


def number_or_text(text: str | None):
    """'2.000.000' / '2 000 000 đ' / '2000000' -> 2000000; '' -> None; anything else: the text itself."""
    if text is None:
        return None
    compact = re.sub(r"[\s\u00a0]", "", str(text)).removesuffix("đồng").removesuffix("đ")
    if not compact:
        return None
    if _NUMBER_RE.fullmatch(compact) and len(compact) <= MAX_DIGITS:
        return int(compact.replace(".", ""))
    return str(text).strip()


def date_parse(text: str | None) -> date | None:
    """'01/07/2024' or '2024-07-01' -> a date; '' -> None. Raises ValueError otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    match = _DATE_DMY_RE.fullmatch(text)
    if match:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    return date.fromisoformat(text)


def month_parse(text: str | None) -> str | None:
    """'10/1964' or '1964-10' -> '1964-10'; '' -> None. Raises ValueError otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    match = _MONTH_MY_RE.fullmatch(text)
    month, year = (int(match.group(1)), int(match.group(2))) if match else (None, None)
    if not match:
        match = _MONTH_ISO_RE.fullmatch(text)
        if not match:
            raise ValueError(text)
        year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1:
        raise ValueError(text)
    return f"{year:04d}-{month:02d}"


def _text_input(placeholder: str = "", numeric: bool = True) -> forms.TextInput:
    attrs = {"autocomplete": "off", "maxlength": "40"}
    if numeric:
        attrs["inputmode"] = "numeric"
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.TextInput(attrs=attrs)


class RuleErrorsMixin:
    """Put a RuleError next to the right field, its request keys replaced by the fields' labels."""

    # request key -> (form field, label used in the message)
    RULE_FIELDS: dict[str, tuple[str, str]] = {}
    # error code -> form field, for errors that name no field
    CODE_FIELDS: dict[str, str] = {}

    def add_rule_error(self, error: RuleError) -> None:
        message = error.message
        for key, (_field, label) in self.RULE_FIELDS.items():
            message = message.replace(f"«{key}»", f"«{label}»")
        key = error.details.get("field")
        field = self.RULE_FIELDS[key][0] if key in self.RULE_FIELDS else self.CODE_FIELDS.get(error.code)
        self.add_error(field if field in self.fields else None, message)


class ContributionForm(RuleErrorsMixin, forms.Form):
    """Tính mức đóng: VSI (income, mode, months, support group) or household HI (members, months, group)."""

    RULE_FIELDS = {
        "on": ("on", "Ngày đóng"),
        "income": ("income", "Mức thu nhập"),
        "months": ("months", "Số tháng"),
        "payment_mode": ("payment_mode", "Phương thức đóng"),
        "support_group": ("support_group", "Nhóm đối tượng"),
        "months_already_supported": ("months_already_supported", "Số tháng đã được hỗ trợ"),
        "contribution_months": ("contribution_months", "Số tháng đã đóng"),
        "reached_retirement_age": ("reached_retirement_age", "Đã đủ tuổi nghỉ hưu"),
        "members": ("members", "Số người trong hộ"),
        "ranks": ("members", "Số người trong hộ"),
        "support_pct": ("hi_group", "Mức hỗ trợ"),
        "previous_card_end": ("previous_card_end", "Ngày hết hạn thẻ BHYT cũ"),
        "paid_on": ("on", "Ngày đóng"),
    }
    CODE_FIELDS = {
        "income_below_floor": "income",
        "income_above_ceiling": "income",
        "income_off_step": "income",
        "invalid_months": "months",
        "invalid_members": "members",
        "backpay_not_eligible": "payment_mode",
        "no_parameter_for_date": "on",
    }

    kind = forms.ChoiceField(label="Loại bảo hiểm", choices=KINDS, initial="vsi", widget=forms.RadioSelect,
                             error_messages={"required": "Vui lòng chọn loại bảo hiểm.",
                                             "invalid_choice": "Loại bảo hiểm không hợp lệ."})
    on = forms.CharField(label="Ngày đóng", required=False, widget=_text_input("dd/mm/yyyy"),
                         help_text="Để trống: hôm nay.")
    income = forms.CharField(label="Mức thu nhập tháng chọn đóng (đồng)", required=False, widget=_text_input(),
                             help_text="Từ chuẩn hộ nghèo khu vực nông thôn đến mức tối đa, theo bước thu nhập "
                                       "quy định.")
    payment_mode = forms.ChoiceField(label="Phương thức đóng", choices=list(MODE_LABELS_VI.items()),
                                     initial="monthly", required=False,
                                     error_messages={"invalid_choice": "Phương thức đóng không hợp lệ."})
    support_group = forms.ChoiceField(label="Nhóm đối tượng", choices=[(g, GROUP_LABELS_VI[g]) for g in VSI_GROUPS],
                                      initial="other", required=False,
                                      error_messages={"invalid_choice": "Nhóm đối tượng không hợp lệ."})
    months_already_supported = forms.CharField(label="Số tháng đã được Nhà nước hỗ trợ trước đây", required=False,
                                               widget=_text_input("0"))
    reached_retirement_age = forms.BooleanField(label="Đã đủ tuổi nghỉ hưu", required=False)
    contribution_months = forms.CharField(label="Số tháng đã đóng BHXH", required=False, widget=_text_input("0"))
    members = forms.CharField(label="Số người trong hộ", required=False, widget=_text_input("1"))
    hi_group = forms.ChoiceField(label="Đối tượng được Nhà nước hỗ trợ", choices=HI_GROUPS, initial="none",
                                 required=False,
                                 error_messages={"invalid_choice": "Đối tượng không hợp lệ."})
    previous_card_end = forms.CharField(label="Ngày hết hạn thẻ BHYT cũ (nếu gia hạn)", required=False,
                                        widget=_text_input("dd/mm/yyyy"),
                                        help_text="Để trống: tham gia lần đầu.")
    months = forms.CharField(label="Số tháng đóng", required=False, widget=_text_input(),
                             help_text="BHXH: để trống thì theo phương thức đóng. BHYT: 3, 6 hoặc 12 tháng "
                                       "(để trống: 12).")

    @classmethod
    def defaults(cls, *, income_floor: int | None) -> dict:
        """The data of a first visit: VSI at the income floor, monthly, today."""
        return {"kind": "vsi", "on": timezone.localdate().strftime("%d/%m/%Y"),
                "income": f"{income_floor:,}".replace(",", ".") if income_floor else "",
                "payment_mode": "monthly", "support_group": "other", "members": "1", "hi_group": "none"}

    def clean_payment_mode(self):
        return self.cleaned_data["payment_mode"] or "monthly"

    def clean_support_group(self):
        return self.cleaned_data["support_group"] or "other"

    def clean_hi_group(self):
        return self.cleaned_data["hi_group"] or "none"

    def clean_on(self):
        try:
            return date_parse(self.cleaned_data["on"]) or timezone.localdate()
        except ValueError:
            raise forms.ValidationError(DATE_INVALID) from None

    def clean_previous_card_end(self):
        try:
            return date_parse(self.cleaned_data["previous_card_end"])
        except ValueError:
            raise forms.ValidationError(DATE_INVALID) from None

    def clean_income(self):
        return number_or_text(self.cleaned_data["income"])

    def clean_months(self):
        return number_or_text(self.cleaned_data["months"])

    def clean_months_already_supported(self):
        return number_or_text(self.cleaned_data["months_already_supported"])

    def clean_contribution_months(self):
        return number_or_text(self.cleaned_data["contribution_months"])

    def clean_members(self):
        return number_or_text(self.cleaned_data["members"])


class BenefitsForm(RuleErrorsMixin, forms.Form):
    """Tuổi nghỉ hưu và lương hưu: sex, birth month, years of contributions, average income."""

    RULE_FIELDS = {
        "sex": ("sex", "Giới tính"),
        "birth_month": ("birth_month", "Tháng sinh"),
        "contribution_months": ("years", "Thời gian đóng (tháng)"),
        "average_income": ("average_income", "Thu nhập bình quân"),
    }
    CODE_FIELDS = {"no_parameter_for_date": "birth_month", "not_eligible": "years"}

    sex = forms.ChoiceField(label="Giới tính", choices=SEXES, widget=forms.RadioSelect,
                            error_messages={"required": SEX_REQUIRED, "invalid_choice": SEX_REQUIRED})
    birth_month = forms.CharField(label="Tháng sinh", required=False, widget=_text_input("mm/yyyy"))
    years = forms.CharField(label="Số năm đã (sẽ) đóng BHXH", required=False, widget=_text_input("20"))
    extra_months = forms.CharField(label="Số tháng lẻ", required=False, widget=_text_input("0"))
    average_income = forms.CharField(label="Thu nhập tháng bình quân đã đóng (đồng)", required=False,
                                     widget=_text_input(),
                                     help_text="Bình quân các mức thu nhập đã đóng, sau khi điều chỉnh theo hệ số.")
    months_before_2014 = forms.CharField(label="Trong đó số tháng đóng trước năm 2014", required=False,
                                         widget=_text_input("0"),
                                         help_text="Để tính BHXH một lần: 1,5 tháng thu nhập cho mỗi năm trước 2014.")
    state_support_received = forms.CharField(label="Số tiền Nhà nước đã hỗ trợ đóng (đồng)", required=False,
                                             widget=_text_input("0"),
                                             help_text="Được trừ khi nhận BHXH một lần.")
    poor_or_near_poor = forms.BooleanField(label="Thuộc hộ nghèo hoặc cận nghèo", required=False,
                                           help_text="Trợ cấp hưu trí xã hội từ 70 tuổi thay vì 75 tuổi.")

    def clean_birth_month(self):
        try:
            month = month_parse(self.cleaned_data["birth_month"])
        except ValueError:
            raise forms.ValidationError(MONTH_INVALID) from None
        if month is None:
            raise forms.ValidationError(MONTH_REQUIRED)
        return month

    def clean_years(self):
        return number_or_text(self.cleaned_data["years"])

    def clean_extra_months(self):
        value = number_or_text(self.cleaned_data["extra_months"])
        if value is None:
            return 0
        if not isinstance(value, int) or not 0 <= value <= 11:
            raise forms.ValidationError(EXTRA_MONTHS_INVALID)
        return value

    def clean_average_income(self):
        return number_or_text(self.cleaned_data["average_income"])

    def clean_months_before_2014(self):
        value = number_or_text(self.cleaned_data["months_before_2014"])
        return 0 if value is None else value

    def clean_state_support_received(self):
        value = number_or_text(self.cleaned_data["state_support_received"])
        return 0 if value is None else value

    def contribution_months(self):
        """Years × 12 + odd months when the years are a number; the years as typed otherwise (the rules
        refuse text); None when no years were given."""
        years = self.cleaned_data.get("years")
        if years is None or not isinstance(years, int):
            return years
        return years * 12 + self.cleaned_data.get("extra_months", 0)
