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

    hamlet = forms.ChoiceField(label="Thôn/ấp", required=False,
                               error_messages={"invalid_choice": "Thôn/ấp: chọn một thôn/ấp trong danh sách."})
    status = forms.ChoiceField(label="Tình trạng", required=False,
                               error_messages={"invalid_choice": "Tình trạng: chọn một tình trạng trong danh sách."})
    scheme = forms.ChoiceField(label="Loại", required=False,
                               error_messages={"invalid_choice": "Loại: chọn BHYT hộ gia đình hoặc BHXH tự nguyện."})

    def __init__(self, data=None, *, hamlets=(), **kwargs):
        from .selectors import SCHEME_HI, SCHEMES, STATUS_LABELS

        super().__init__(data, **kwargs)
        self.fields["hamlet"].choices = [("", "Tất cả thôn/ấp")] + [(h, h) for h in hamlets]
        self.fields["status"].choices = [("", "Mọi tình trạng")] + list(STATUS_LABELS[SCHEME_HI].items())
        self.fields["scheme"].choices = [("", "BHYT và BHXH")] + list(SCHEMES.items())
