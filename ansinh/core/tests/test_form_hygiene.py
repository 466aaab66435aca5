"""Typed text is cleaned centrally: control characters dropped, bidirectional controls refused on the
field (VietnameseForm, and the registry and collection forms through TextHygieneMixin)."""

from django import forms

from ansinh.core.forms import VietnameseForm
from ansinh.registry.forms_people import PovertyForm


class NoteForm(VietnameseForm):
    note = forms.CharField(max_length=50)
    count = forms.IntegerField(required=False)


def test_control_characters_are_dropped():
    form = NoteForm({"note": "Ấp\x07 Một\x1b", "count": "3"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"note": "Ấp Một", "count": 3}


def test_a_nul_is_refused_on_its_field_in_vietnamese():
    form = NoteForm({"note": "Ấp\x00 Một"})
    assert not form.is_valid()
    assert form.errors["note"] == ["Không được chứa ký tự NUL."]


def test_a_bidirectional_override_is_refused_on_its_field():
    for char, code in (("\u202e", "202E"), ("\u2066", "2066")):
        form = NoteForm({"note": f"Ấp {char}1"})
        assert not form.is_valid()
        assert form.errors["note"] == [f"Có ký tự điều khiển hướng chữ (U+{code}) không được phép; hãy gõ lại "
                                       "nội dung này."]


def test_the_registry_forms_share_the_clean():
    form = PovertyForm({"status": "other", "from_date": "01/01/2025", "decision_number": "QĐ \u202e12"})
    form.is_valid()
    assert "Có ký tự điều khiển hướng chữ (U+202E)" in str(form.errors)
