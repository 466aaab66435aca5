"""``{% admin_history_url 'agent' agent.pk as url %}``: the history page of a record, or "" while that page
is not mounted (it belongs to another part of the administrator's pages)."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def admin_history_url(kind: str, pk) -> str:
    try:
        return reverse("admin_history", args=[kind, pk])
    except NoReverseMatch:
        return ""
