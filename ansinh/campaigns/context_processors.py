"""Template context: the working campaign and date (``ansinh.campaigns.context``) for the bar at the top
of every signed-in page."""

from django.http import QueryDict
from django.utils.functional import SimpleLazyObject

from ansinh.core.errors import AnSinhError

from .context import CAMPAIGN_PARAMS, DATE_PARAM, SESSION_KEY, parse_date, working_context_of
from .forms_context import WorkingContextForm

PAGE_PARAMS = (*CAMPAIGN_PARAMS, DATE_PARAM, "day", "page", "xlsx")
"""Dropped from the page's address when the user changes the context (the new choice applies)."""


def next_path(request) -> str:
    """The page to come back to after changing the context: its path and query without the campaign,
    date and page parameters (a GET page; a posted form goes back to its path)."""
    if request.method != "GET":
        return request.path
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if key not in PAGE_PARAMS:
            query.setlist(key, values)
    return request.path + ("?" + query.urlencode() if query else "")


def _bar(request) -> dict | None:
    try:
        context = working_context_of(request, query=False)
    except AnSinhError:  # no role, or no scope: no bar
        return None
    kept = request.session.get(SESSION_KEY) or {}
    initial = {"campaign": kept.get("campaign", ""), "on": parse_date(kept.get("on")), "next": next_path(request)}
    return {"context": context, "form": WorkingContextForm(initial=initial, campaigns=context.campaigns,
                                                             auto_id="ctx-%s")}


def working(request):
    """``working``: lazily, ``{"context": WorkingContext, "form": WorkingContextForm}`` or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"working": None}
    return {"working": SimpleLazyObject(lambda: _bar(request))}
