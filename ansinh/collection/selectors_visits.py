"""Reads over door-to-door visits: the list a user may read and the counts per agent and outcome shown on
the progress page by agent."""

import datetime

from django.db.models import Count, QuerySet
from django.utils import timezone

from ansinh.accounts.models import Role
from ansinh.accounts.services import households_in_scope, record_communes_in_scope, require_permission

from .models import Visit, VisitOutcome


def visits_in_scope(*, user, household_id: int | None = None, outcome: str | None = None,
                    since: datetime.datetime | None = None) -> QuerySet[Visit]:
    """Visits the user may read, latest first: an agent's own visits, an officer's visits to households
    of their area; optionally of one household, one outcome, from ``since``. Raises PermissionDenied."""
    user_role = require_permission(user, "collection.view_visit")
    if user_role.role == Role.COLLECTION_AGENT:
        visits = Visit.objects.filter(agent_id=user_role.agent_id)
    else:
        visits = Visit.objects.filter(household__in=households_in_scope(user))
    if household_id is not None:
        visits = visits.filter(household_id=household_id)
    if outcome is not None:
        visits = visits.filter(outcome=outcome)
    if since is not None:
        visits = visits.filter(visited_at__gte=since)
    return visits.order_by("-visited_at", "-pk")


def visit_counts_per_agent(*, user, start: datetime.date, end: datetime.date) -> dict[int | None, dict[str, int]]:
    """Visits made from ``start`` to ``end`` (local days, inclusive) to households of the user's scope, per
    agent (None: by an officer) and outcome: ``{agent_id: {"not_home": n, …, "total": n}}``. For the
    progress page by agent. Raises PermissionDenied."""
    require_permission(user, "campaigns.view_campaign")
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    rows = (Visit.objects.filter(visited_at__gte=first, visited_at__lt=after,
                                 household__commune__in=record_communes_in_scope(user))
            .values("agent_id", "outcome").annotate(n=Count("pk")).order_by())
    out: dict[int | None, dict[str, int]] = {}
    for row in rows:
        counts = out.setdefault(row["agent_id"], {**{o: 0 for o in VisitOutcome.values}, "total": 0})
        counts[row["outcome"]] += row["n"]
        counts["total"] += row["n"]
    return out
