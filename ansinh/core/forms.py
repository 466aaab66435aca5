"""Form building blocks shared by the pages: Vietnamese messages for Django's built-in checks, choice
fields that refuse ids outside the database's 64-bit range, and the bounded administrative date field."""

import datetime
import html

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe

from .dates import ADMIN_DATE_MAX, ADMIN_DATE_MIN, ADMIN_DATE_OUT_OF_RANGE
from .text import BIDI_MESSAGE, FORMAT_CHAR_MESSAGE, bidi_control_find, control_chars_strip, format_char_find

NUL_MESSAGE = "Không được chứa ký tự NUL."
MAX_LENGTH_MESSAGE = "Tối đa %(limit_value)d ký tự (đang có %(show_value)d)."
INVALID_CHOICE = "Lựa chọn không hợp lệ."
_ID_MIN, _ID_MAX = -(2**63), 2**63 - 1


def _text(value) -> str:
    """Escaped as Django's ``conditional_escape`` (safe strings kept as they are)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """Attributes in their order as Django's ``attrs.html``: True a bare name, False or None left out."""
    return "".join(f" {name}" if value is True else f' {name}="{_text(value)}"'
                   for name, value in attrs.items() if value is not False and value is not None)


class QuickSelect(forms.Select):
    """A select whose options are written in Python, the same HTML as Django's: Django renders each option
    through its own template (and builds a dict per option), and a list of a province's 1,400 association
    units then took most of a page's time (the renewals filters). The first option whose value is the
    field's value is selected, as Django's single select does."""

    def render(self, name, value, attrs=None, renderer=None):
        wanted = {str(v) for v in self.format_value(value)}
        found = False

        def option(option_value, label) -> str:
            nonlocal found
            option_value = "" if option_value is None else str(option_value)
            selected = not found and option_value in wanted
            found = found or selected
            return f'<option value="{_text(option_value)}"{" selected" if selected else ""}>{_text(label)}</option>'

        parts = []
        for group_name, group in self.choices:
            if isinstance(group, (list, tuple)):
                inner = "".join(option(v, label) for v, label in group)
                parts.append(f'<optgroup label="{_text(group_name)}">{inner}</optgroup>')
            else:
                parts.append(option(group_name, group))
        return mark_safe(f'<select name="{_text(name)}"{_attrs(self.build_attrs(self.attrs, attrs))}>'
                         f'{"".join(parts)}</select>')


class TextHygieneMixin:
    """Typed text is clean before any check reads it: control characters (other than tab and line breaks)
    are removed, a bidirectional control character (U+202A–U+202E, U+2066–U+2069) is refused on its
    field with ``BIDI_MESSAGE``, any other invisible format character (Unicode category Cf: zero-width
    space, direction marks, BOM…) with ``FORMAT_CHAR_MESSAGE``; a NUL is answered in Vietnamese
    (``NUL_MESSAGE``). Mixed into every form of the pages (``VietnameseForm`` and the registry,
    collection and administration forms)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.setdefault("null_characters_not_allowed", NUL_MESSAGE)

    def _clean_fields(self):
        super()._clean_fields()
        for name, value in list(self.cleaned_data.items()):
            if not isinstance(value, str) or not value:
                continue
            code = bidi_control_find(value)
            other = None if code else format_char_find(value)
            if code:
                self.add_error(name, ValidationError(BIDI_MESSAGE.format(code=code), code="bidi_control"))
            elif other:
                self.add_error(name, ValidationError(FORMAT_CHAR_MESSAGE.format(code=other), code="format_char"))
            else:
                self.cleaned_data[name] = control_chars_strip(value)


class VietnameseForm(TextHygieneMixin, forms.Form):
    """A form whose fields answer Django's built-in checks in Vietnamese: a NUL character, and a text
    longer than the field's ``max_length`` (a message the field sets itself is kept); typed text cleaned
    by ``TextHygieneMixin``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.setdefault("null_characters_not_allowed", NUL_MESSAGE)
            field.error_messages.setdefault("max_length", MAX_LENGTH_MESSAGE)


def _check_ids(field, values) -> None:
    """Refuse a value that is a whole number outside the 64-bit signed range (the database would
    overflow) before anything is queried."""
    key = field.to_field_name or "pk"
    if key != "pk" and key != "id":
        return
    for value in values:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            continue
        if not _ID_MIN <= number <= _ID_MAX:
            raise ValidationError(INVALID_CHOICE, code="invalid_choice")


class SafeModelChoiceField(forms.ModelChoiceField):
    """ModelChoiceField that answers "Lựa chọn không hợp lệ." for an id out of range (not a 500)."""

    def to_python(self, value):
        if value not in self.empty_values:
            _check_ids(self, [value])
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField that answers "Lựa chọn không hợp lệ." for an id out of range."""

    def _check_values(self, value):
        try:
            values = frozenset(value)
        except TypeError:
            return super()._check_values(value)
        _check_ids(self, values)
        return super()._check_values(value)


DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
"""Dates typed as dd/mm/yyyy; yyyy-mm-dd still read (links and drill-downs carry ISO dates)."""


def date_input() -> forms.DateInput:
    """The one date input of every form: a text box showing dd/mm/yyyy whatever the browser's language
    (the browser's own date picker shows mm/dd/yyyy in an English browser), a numeric keypad on a phone."""
    return forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                     "autocomplete": "off", "maxlength": "10"})


class AdminDateField(forms.DateField):
    """A date of the administrator's pages, dd/mm/yyyy, between 01/01/1900 and 31/12/2100."""

    def validate(self, value):
        super().validate(value)
        if isinstance(value, datetime.date) and not ADMIN_DATE_MIN <= value <= ADMIN_DATE_MAX:
            raise ValidationError(ADMIN_DATE_OUT_OF_RANGE, code="out_of_range")
