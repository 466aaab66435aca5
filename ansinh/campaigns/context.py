"""The working context: the campaign and the date ("as of") every page opens on — one rule for all.

The rule (``working_context``):
- the reference day is the date the user chose, else today (Vietnam time, ``timezone.localdate()``);
- the campaign is the one the user chose, else among the campaigns of the user's scope (those of a
  province whose records the user sees) the one running on the reference day (the latest started when
  several run), else the one that started last before it, else the first one to come;
- the date is the reference day kept inside the campaign's start..end: today while the campaign runs,
  its end once it is over, its start before it begins; a chosen date outside the campaign is clamped.
  Pages that do not count a campaign (renewals, reminders, collection book, lists) open on the same
  date but take a chosen date as it is (``in_campaign=False``): a renewal list may look past the end.
A user who may not view campaigns gets no campaign and the chosen date or today.

The choice is kept in the session (``working_context_choose``, posted from the bar at the top of every
page) and lasts while the user navigates. A page's own query string (``?campaign=<code>`` or
``?chien-dich=<code>``, ``?on=<yyyy-mm-dd>``) overrides it for that page only, so links and drill-downs
keep working; a campaign code outside the user's scope is refused like a missing record (OutOfScope).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from ansinh.core.errors import OutOfScope

from .models import Campaign

SESSION_KEY = "working_context"
"""Session entry of the user's choice: ``{"campaign": <code or "">, "on": <iso date or "">}``."""

CAMPAIGN_PARAMS = ("campaign", "chien-dich")
"""Query parameters that name a page's campaign by its code (no personal data)."""
DATE_PARAM = "on"
"""Query parameter of a page's date, ISO (yyyy-mm-dd) or dd/mm/yyyy."""
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class WorkingContext:
    """The campaign (None when there is none the user may see) and the date a page works on.
    ``today`` is the local date the rule was applied on; ``chosen`` whether the user (session or query
    string) picked the campaign or the date; ``campaigns`` the campaigns the user may pick, latest first."""

    campaign: Campaign | None
    on: datetime.date
    today: datetime.date
    chosen: bool = False
    campaigns: tuple[Campaign, ...] = field(default=(), repr=False)

    @property
    def campaign_over(self) -> bool:
        return self.campaign is not None and self.today > self.campaign.ends_on


def campaigns_in_scope(*, user) -> QuerySet[Campaign]:
    """Campaigns of a province whose records the user sees (on either map), latest first; none for a user
    who may not view campaigns."""
    from ansinh.accounts.services import record_communes_in_scope

    if not user.has_perm("campaigns.view_campaign"):
        return Campaign.objects.none()
    provinces = record_communes_in_scope(user).values("province_id")
    return Campaign.objects.select_related("province").filter(province_id__in=provinces).order_by("-starts_on", "-pk")


def parse_date(value: str | None) -> datetime.date | None:
    """A date typed as yyyy-mm-dd or dd/mm/yyyy between 01/01/1900 and 31/12/2100 (the range every date
    field of the site takes), None when empty, not a date or outside that range (year 9999 would overflow
    the windows counted from it)."""
    from ansinh.core.dates import ADMIN_DATE_MAX, ADMIN_DATE_MIN

    value = (value or "").strip()
    for fmt in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        return day if ADMIN_DATE_MIN <= day <= ADMIN_DATE_MAX else None
    return None


def campaign_default(campaigns, *, day: datetime.date) -> Campaign | None:
    """Of ``campaigns`` (latest first): the one running on ``day`` (the latest started), else the one that
    started last before ``day``, else the first to come; None when there is none."""
    campaigns = list(campaigns)
    running = [c for c in campaigns if c.starts_on <= day <= c.ends_on]
    if running:
        return running[0]
    started = [c for c in campaigns if c.starts_on <= day]
    if started:
        return started[0]
    return min(campaigns, key=lambda c: (c.starts_on, c.pk)) if campaigns else None


def date_in_campaign(day: datetime.date, campaign: Campaign | None) -> datetime.date:
    """``day`` kept inside the campaign's start..end (unchanged without a campaign)."""
    if campaign is None:
        return day
    return min(max(day, campaign.starts_on), campaign.ends_on)


def working_context(*, user, campaign_code: str | None = None, on: datetime.date | None = None,
                    today: datetime.date | None = None, strict: bool = True,
                    in_campaign: bool = True) -> WorkingContext:
    """The working context of ``user`` (see the module docstring) for a chosen ``campaign_code`` and
    date ``on`` (either may be None: the rule's default). ``strict``: a code that is not a campaign of the
    user's scope raises OutOfScope; otherwise (a choice kept from an earlier session) it is ignored.
    ``in_campaign=False``: a chosen date is not kept inside the campaign."""
    today = today or timezone.localdate()
    campaigns = tuple(campaigns_in_scope(user=user))
    campaign = None
    if campaign_code:
        campaign = next((c for c in campaigns if c.code == campaign_code), None)
        if campaign is None and strict:
            raise OutOfScope()
    day = on or today
    if campaign is None:
        campaign = campaign_default(campaigns, day=day)
    chosen = (campaign is not None and campaign.code == campaign_code) or on is not None
    on = day if on is not None and not in_campaign else date_in_campaign(day, campaign)
    return WorkingContext(campaign=campaign, on=on, today=today, chosen=chosen,
                          campaigns=campaigns)


def working_context_choose(*, user, session, campaign_code: str | None, on: datetime.date | None) -> WorkingContext:
    """Keep the user's choice in the session (an empty code and no date: back to the rule's default) and
    return the context it gives. Raises OutOfScope for a campaign outside the user's scope."""
    context = working_context(user=user, campaign_code=campaign_code or None, on=on)
    if campaign_code or on:
        session[SESSION_KEY] = {"campaign": campaign_code or "", "on": on.isoformat() if on else ""}
    else:
        session.pop(SESSION_KEY, None)
    return context


def working_context_of(request, *, query: bool = True, in_campaign: bool = True) -> WorkingContext:
    """The working context of a request: the session's choice, overridden for this page by its query
    string (``query``; ``?campaign=``/``?chien-dich=``, ``?on=``); ``in_campaign`` as for
    ``working_context``. Worked out once per request; the context processor shows the one the page used
    in the bar at the top of the page (without ``query``, the one a page already worked out). Raises
    OutOfScope for a campaign in the query string outside the user's scope."""
    cached = getattr(request, "_working_context", None)
    if cached is not None and (cached[0] == (query, in_campaign) or not query):
        return cached[1]
    kept = request.session.get(SESSION_KEY) or {}
    code = kept.get("campaign") or None
    on = parse_date(kept.get("on"))
    strict = False
    if query:
        asked = next((request.GET[p].strip() for p in CAMPAIGN_PARAMS if request.GET.get(p, "").strip()), "")
        if asked:
            code, strict = asked, True
        on = parse_date(request.GET.get(DATE_PARAM)) or on
    context = working_context(user=request.user, campaign_code=code, on=on, strict=strict, in_campaign=in_campaign)
    request._working_context = ((query, in_campaign), context)
    return context
