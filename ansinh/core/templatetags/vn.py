"""Template filters for Vietnamese formats: {{ amount|vnd }}, {{ day|vndate }}, {{ n|vnnum }}."""

from django import template

from ansinh.core.formatting import format_date, format_month, format_number, format_percent
from ansinh.core.masking import mask_citizen_id, mask_phone
from ansinh.core.money import format_vnd

register = template.Library()
register.filter("vnd", format_vnd)
register.filter("vndate", format_date)
register.filter("vnmonth", format_month)
register.filter("vnnum", format_number)
register.filter("vnpct", format_percent)
register.filter("mask_cid", mask_citizen_id)
register.filter("mask_phone", mask_phone)
