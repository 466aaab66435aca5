"""Campaign progress computed from paid participations (payments not reversed).

A sign-up counts on the day its payment was made. Counts are of people: a VSI participant is a person
with a paid VSI period; an HI participant is a member on a paid household HI list.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from ansinh.areas.models import AdministrativeUnit, Level
from ansinh.enrollment.models import HiMemberCoverage, VsiParticipation
from ansinh.enrollment.selectors import PAID_STATUSES
from ansinh.registry.models import Membership, MemberRole

from .models import Campaign, Indicator, Target


def campaign_latest() -> Campaign | None:
    """The campaign that started last, or None."""
    return Campaign.objects.order_by("-starts_on", "-pk").first()


def _paid_vsi(start: datetime.date, end: datetime.date):
    return VsiParticipation.objects.filter(
        status__in=PAID_STATUSES, payments__amount__gt=0, payments__reversed_by__isnull=True,
        payments__paid_on__gte=start, payments__paid_on__lte=end,
    )


def _paid_hi_lines(start: datetime.date, end: datetime.date):
    return HiMemberCoverage.objects.filter(
        participation__status__in=PAID_STATUSES, participation__payments__amount__gt=0,
        participation__payments__reversed_by__isnull=True,
        participation__payments__paid_on__gte=start, participation__payments__paid_on__lte=end,
    )


def signups_by_district(*, start: datetime.date, end: datetime.date) -> dict[int, dict[str, int]]:
    """{district_id: {"vsi": persons, "hi": persons}} for payments made from ``start`` to ``end``."""
    result: dict[int, dict[str, int]] = {}
    vsi = _paid_vsi(start, end).values("commune__parent_id").annotate(n=Count("person_id", distinct=True))
    for row in vsi:
        result.setdefault(row["commune__parent_id"], {"vsi": 0, "hi": 0})["vsi"] = row["n"]
    hi = _paid_hi_lines(start, end).values("participation__commune__parent_id").annotate(
        n=Count("person_id", distinct=True)
    )
    for row in hi:
        result.setdefault(row["participation__commune__parent_id"], {"vsi": 0, "hi": 0})["hi"] = row["n"]
    return result


@dataclass(frozen=True)
class LeaderShare:
    leaders: int
    vsi: int
    hi: int

    def pct(self, n: int) -> Decimal:
        if not self.leaders:
            return Decimal(0)
        return (Decimal(100) * n / self.leaders).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def leaders_by_district(*, start: datetime.date, on: datetime.date) -> dict[int, LeaderShare]:
    """Per district: leaders of branches and savings groups, and how many of them had a paid VSI
    period / a paid HI card from ``start`` to ``on``. A person leading two units counts once."""
    leaders = Membership.objects.filter(role=MemberRole.LEADER)
    vsi_people = set(_paid_vsi(start, on).values_list("person_id", flat=True))
    hi_people = set(_paid_hi_lines(start, on).values_list("person_id", flat=True))
    per: dict[int, dict[str, set]] = {}
    for person_id, district_id in leaders.values_list("person_id", "unit__commune__parent_id"):
        per.setdefault(district_id, {"all": set()})["all"].add(person_id)
    return {
        d: LeaderShare(leaders=len(s["all"]), vsi=len(s["all"] & vsi_people), hi=len(s["all"] & hi_people))
        for d, s in per.items()
    }


def campaign_dashboard(*, campaign: Campaign, on: datetime.date, districts=None) -> dict:
    """Rows per district for the campaign dashboard, and the province totals.

    Each row: ``district`` (unit), ``launch_vsi``/``launch_hi`` (people signed up on launch day) with
    the district's goals ``goal_vsi``/``goal_hi`` from the campaign's targets, ``leaders``,
    ``leaders_vsi``/``leaders_hi`` (counts) and their % with the province goals
    ``goal_leaders_vsi``/``goal_leaders_hi`` (percent). ``districts`` limits the rows (scope).
    """
    if districts is None:
        districts = AdministrativeUnit.objects.filter(parent=campaign.province, level=Level.DISTRICT)
    districts = list(districts.order_by("code"))
    launch = signups_by_district(start=campaign.launch_day, end=campaign.launch_day)
    leaders = leaders_by_district(start=campaign.starts_on, on=min(on, campaign.ends_on))
    targets = Target.objects.filter(campaign=campaign)
    goal = {(t.indicator, t.area_id): t.goal for t in targets}
    province_goal = {t.indicator: t.goal for t in targets.filter(Q(area=campaign.province))}
    rows = []
    for d in districts:
        share = leaders.get(d.pk, LeaderShare(0, 0, 0))
        counts = launch.get(d.pk, {"vsi": 0, "hi": 0})
        rows.append({
            "district": d, "launch_vsi": counts["vsi"], "launch_hi": counts["hi"],
            "goal_vsi": goal.get((Indicator.VSI_NEW, d.pk)), "goal_hi": goal.get((Indicator.HI_NEW, d.pk)),
            "leaders": share.leaders, "leaders_vsi": share.vsi, "leaders_hi": share.hi,
            "leaders_vsi_pct": share.pct(share.vsi), "leaders_hi_pct": share.pct(share.hi),
        })
    total = LeaderShare(
        leaders=sum(r["leaders"] for r in rows), vsi=sum(r["leaders_vsi"] for r in rows),
        hi=sum(r["leaders_hi"] for r in rows),
    )
    return {
        "campaign": campaign, "on": on, "rows": rows,
        "goal_leaders_vsi": province_goal.get(Indicator.LEADERS_VSI),
        "goal_leaders_hi": province_goal.get(Indicator.LEADERS_HI),
        "total": {
            "launch_vsi": sum(r["launch_vsi"] for r in rows), "launch_hi": sum(r["launch_hi"] for r in rows),
            "leaders": total.leaders, "leaders_vsi": total.vsi, "leaders_hi": total.hi,
            "leaders_vsi_pct": total.pct(total.vsi), "leaders_hi_pct": total.pct(total.hi),
        },
    }
