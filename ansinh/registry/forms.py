"""Search form of the household list."""

from django import forms


class HouseholdSearchForm(forms.Form):
    """Free text matched against the household code and the members' names."""

    q = forms.CharField(label="Tìm hộ gia đình", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Mã hộ hoặc họ tên",
                                                      "autocomplete": "off"}))
