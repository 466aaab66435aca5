"""Typed text is cleaned centrally: control characters dropped, bidirectional controls refused on the
field (VietnameseForm, and the registry and collection forms through TextHygieneMixin)."""

from django import forms

from ansinh.core.forms import VietnameseForm
from ansinh.api.forms import ApiTokenForm
from ansinh.collection.forms_cancellation import CancelRequestForm, DecisionForm
from ansinh.registry.forms_people import ExistingPersonForm, PersonEditForm, PovertyForm


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


def test_other_invisible_format_characters_are_refused_on_their_field():
    for char, code in (("\u200b", "200B"), ("\u200e", "200E"), ("\u200f", "200F"), ("\ufeff", "FEFF"),
                       ("\u2060", "2060"), ("\u061c", "061C")):
        form = NoteForm({"note": f"Ấp {char}1"})
        assert not form.is_valid()
        assert form.errors["note"] == [f"Có ký tự vô hình (U+{code}) không được phép; hãy gõ lại nội dung này."]


def test_a_persons_name_with_an_override_or_an_invisible_character_is_refused_on_the_name():
    base = {"date_of_birth": "01/01/1960", "sex": "male", "reason": "Sửa tên"}
    form = PersonEditForm({**base, "full_name": "\u202eLê Văn An"})
    assert not form.is_valid()
    assert form.errors["full_name"] == ["Có ký tự điều khiển hướng chữ (U+202E) không được phép; hãy gõ lại "
                                        "nội dung này."]
    form = PersonEditForm({**base, "full_name": "\u200bLê Văn An"})
    assert not form.is_valid()
    assert form.errors["full_name"] == ["Có ký tự vô hình (U+200B) không được phép; hãy gõ lại nội dung này."]


def test_the_cancellation_token_and_existing_person_forms_answer_a_nul_in_vietnamese():
    forms_ = [CancelRequestForm({"reason": "wrong_amount", "note": "a\x00b"}), DecisionForm({"note": "a\x00b"}),
              ApiTokenForm({"name": "a\x00b", "expires_on": "01/01/2030"})]
    for form in forms_:
        assert not form.is_valid()
        field = "name" if isinstance(form, ApiTokenForm) else "note"
        assert form.errors[field] == ["Không được chứa ký tự NUL."], type(form).__name__
    assert ExistingPersonForm.__mro__[1].__name__ == "TextHygieneMixin"
