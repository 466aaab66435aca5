"""Template filters of the parameter and calculator pages.

{{ value|param_value:unit }} a parameter value in Vietnamese; {{ name|param_label }} its name; {{ "2024-07-01"|isodate|vndate }};
{{ "61y6m"|age_vi }}; {{ "2026-05"|month_vi }} -> 05/2026; {{ code|group_vi }}; {{ code|mode_vi }}.
"""

from django import template

from ansinh.parameters import values

register = template.Library()


@register.filter
def param_value(value, unit):
    return values.value_text(value, unit)


@register.filter
def param_label(name):
    """A parameter's Vietnamese name from its dotted name (an alias's target, "chọn qua …")."""
    return values.parameter_label(name)


@register.filter
def isodate(text):
    return values.iso_date(text)


@register.filter
def age_vi(text):
    return values.age_text(text)


@register.filter
def month_vi(text):
    """'2026-05' -> '05/2026'."""
    text = str(text)
    if len(text) == 7 and text[4] == "-":
        return f"{text[5:]}/{text[:4]}"
    return text


@register.filter
def group_vi(code):
    if isinstance(code, (list, tuple)):
        return ", ".join(values.GROUP_LABELS_VI.get(c, str(c)) for c in code)
    return values.GROUP_LABELS_VI.get(code, code)


@register.filter
def pct(value):
    """45 -> '45%'; 44.5 -> '44,5%'."""
    if value is None or value == "":
        return ""
    return values.percent_text(value)


@register.filter
def mode_vi(code):
    return values.MODE_LABELS_VI.get(code, code)


@register.filter
def unit_vi(unit):
    return values.UNIT_LABELS_VI.get(unit, unit)


@register.filter
def line_value(value):
    """A breakdown line's value in Vietnamese: '61y6m' -> '61 tuổi 6 tháng', '2026-05' -> '05/2026'."""
    text = str(value)
    if values.parameter_units.AGE_RE.fullmatch(text):
        return values.age_text(text)
    return month_vi(text)
