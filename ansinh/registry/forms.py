"""Search form of the household list."""

from django import forms
from ansinh.core.forms import TextHygieneMixin


class HouseholdSearchForm(TextHygieneMixin, forms.Form):
    """Free text matched against the household code and the members' names."""

    q = forms.CharField(label="Tìm hộ gia đình", required=False, max_length=100,
                        error_messages={"max_length": "Từ khóa tìm kiếm tối đa 100 ký tự.",
                                        "null_characters_not_allowed": "Từ khóa có ký tự không hợp lệ."},
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Mã hộ hoặc họ tên",
                                                      "autocomplete": "off"}))
