"""The form of the bar at the top of every page: which campaign and which date the pages work on."""

from django import forms

from ansinh.core.forms import AdminDateField, VietnameseForm

from .context import DATE_FORMATS

CAMPAIGN_NOT_OFFERED = "Chiến dịch này không có hoặc nằm ngoài địa bàn bạn phụ trách."
DATE_INVALID = "Ngày phải theo dạng dd/mm/yyyy, ví dụ 03/12/2026."


class WorkingContextForm(VietnameseForm):
    """Campaign (empty: the rule's default) and date dd/mm/yyyy (empty: today, or the campaign's end once
    it is over). ``campaigns``: the campaigns the user may pick."""

    campaign = forms.ChoiceField(label="Chiến dịch", required=False,
                                 error_messages={"invalid_choice": CAMPAIGN_NOT_OFFERED})
    on = AdminDateField(label="Ngày xem số liệu", required=False, input_formats=list(reversed(DATE_FORMATS)),
                        widget=forms.DateInput(format="%d/%m/%Y", attrs={
                            "placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}),
                        help_text="Để trống: hôm nay (ngày kết thúc nếu chiến dịch đã qua).",
                        error_messages={"invalid": DATE_INVALID})
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", "Tự động: chiến dịch đang diễn ra")] + [
            (c.code, f"{c.name} ({c.starts_on:%d/%m/%Y} – {c.ends_on:%d/%m/%Y})") for c in campaigns]
