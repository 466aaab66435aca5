"""QuickSelect writes the same HTML as Django's Select (but the line breaks between tags) (speed, issue 16: long lists of units and agents)."""

import re

import pytest
from django import forms

from ansinh.core.forms import QuickSelect

CHOICES = [("", "Tất cả"), ("1", "CH-01 — Chi hội <ấp 1> & \"Bà Chiểu\""), ("2", "Tổ 'vay vốn'"), (3, "Số"),
           ("Huyện A", [("10", "— Xã X"), ("11", "— Xã Y")]), ("1", "trùng giá trị")]


@pytest.mark.parametrize("value", [None, "", "1", "2", 3, "3", "11", "không có"])
@pytest.mark.parametrize("required", [False, True])
def test_quick_select_writes_the_html_of_django_select(value, required):
    class Quick(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES, required=required, widget=QuickSelect(attrs={"class": "x"}))

    class Plain(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES, required=required, widget=forms.Select(attrs={"class": "x"}))

    def tags(html: str) -> str:  # Django's template puts line breaks between the tags
        return re.sub(r">\s+<", "><", html)

    data = {} if value is None else {"pick": value}
    assert str(Quick(data)["pick"]) == tags(str(Plain(data)["pick"]))
    assert str(Quick(initial={"pick": value})["pick"]) == tags(str(Plain(initial={"pick": value})["pick"]))
