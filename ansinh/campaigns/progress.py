"""Campaign progress: what was achieved against each target, per province, district, commune, association
unit (branch or savings-and-loan group) or agent, on any date, on the old or the new map.

Definitions (the same everywhere in the app: pages, Excel, ``ansinh progress``):

- **Valid payment**: a ``Payment`` with ``amount > 0`` that no payment reverses. Reversed payments never
  count, on any date (figures "as of" a date use today's corrected records). Participation status is
  not read.
- **Sign-up**: a person signs up for VSI on the day of their first valid payment for a VSI period
  (``Payment.paid_on``); for HI on the day of the first valid payment of a household HI period that lists
  them (one ``HiMemberCoverage`` line). ``vsi_new`` / ``hi_new`` for a period count the distinct people
  whose sign-up day falls in the period: "new" = no valid payment in that program before the period
  starts (a person renewing during the campaign after paying before it is not new).
- **collected**: the sum of valid payment amounts (VSI and HI) paid in the period, VND.
- **Leaders**: the people who led a unit on the series' end (``on`` capped at the period's end), from
  the dated leaderships (``registry.selectors.leaders_on``; a unit without them: its ``leader``
  membership). ``leaders_vsi`` / ``leaders_hi`` = % of those leaders with a valid VSI / HI payment from
  the campaign's start to that day; a person leading two units counts once. A leader changed later does
  not change the figures of an earlier date.
- **members_covered**: % of association members (distinct people with any membership, leaders
  included) with, on ``on`` (capped at the period's end), a valid HI card (``valid_from <= day <=
  valid_to`` on a line of an HI period validly paid by that day) or a VSI period validly paid by that
  day covering its month.
- **Period**: achievement is counted from the period's start to ``min(on, period end)``. Each report
  column ("series") is an indicator with a period: every distinct period of the campaign's targets for
  that indicator, and for ``vsi_new``, ``hi_new`` and ``collected`` also the whole campaign; the
  percent indicators use their targets' periods, or the campaign when they have none.

Attribution (each record goes to exactly one unit per level, so every level sums exactly to the level
above and the province total is the same on both maps):

- **Areas**: by the participation's ``commune`` — the unit the record was made under. The leaders and
  members indicators use the commune of the person's home unit (below). Regrouping to the other map uses
  ``UnitMapping``: an old commune goes to its ``is_primary`` new commune; a new commune goes to the old
  commune of its ``is_primary`` mapping rows with the lowest old code (any mapping row if none is
  primary). A commune with no mapping goes to an explicit "unassigned" row. The old map has province,
  district and commune; the new one (from 01/07/2025) province and commune only.
- **Association units**: sign-ups and amounts by the person's *home unit*: their branch if they are a
  member of one (lowest code first), else their savings-and-loan group with the lowest code; for an HI
  payment, the person on its first line (normally the household head). Leaders indicators: the unit
  the person led on the day counted (a branch before a group, then the lowest code). Records of people with no
  membership go to the "unassigned" row.
- **Agents**: sign-ups and amounts by ``participation.agent``; leaders and members by the agent of
  their household. No agent: the "unassigned" row.

Goals: a row's goal is the target of that indicator, period and unit (area, association unit or agent;
the province row also takes the targets set on the campaign's province on the new map). A row without
its own target has ``goal`` None and ``percent`` None — goals of lower levels are not summed.
``percent`` = achieved / goal x 100 (for percent indicators achieved is itself a %); ``remaining`` =
goal - achieved (never below 0); ``forecast`` = achieved at the current daily pace to the period's end
(percent of leaders: from the campaign's start; ``members_covered``: none).

Speed: the figures are read from derived tables kept current from the payments and memberships by
``facts.facts_refresh`` (called here at each read, incremental): ``DailyTotal`` for ``vsi_new``,
``hi_new`` and ``collected`` at area and agent levels, ``MemberFact`` for the leaders (who led on the
day: the dated leaderships, a few thousand rows) and ``MemberHome``/``MemberFact`` for the members
indicator, ``SignupFact`` (joined to the home units) and the payments for association-unit rows.
``bench/bench_progress.py`` times the district level on 1,000,000 enrolments.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, UnitMapping
from ansinh.areas.selectors import map_in_force
from ansinh.collection.models import Agent
from ansinh.core.errors import OutOfScope, ValidationError
from ansinh.enrollment.models import HiMemberCoverage
from ansinh.registry.models import AssociationUnit, Household, HouseholdMember

from .facts import facts_refresh, led_units_on, valid_payments
from .models import Campaign, DailyTotal, GoalKind, Indicator, MemberFact, MemberHome, Program, SignupFact, Target

LEVELS = ("province", "district", "commune", "branch", "agent")
AREA_LEVELS = ("province", "district", "commune")
LEVEL_LABELS = {
    "province": "Tỉnh", "district": "Huyện, thị xã, thành phố", "commune": "Xã, phường, thị trấn",
    "branch": "Chi hội, tổ TK&VV", "agent": "Nhân viên thu",
}
INDICATOR_ORDER = [Indicator.VSI_NEW, Indicator.HI_NEW, Indicator.LEADERS_VSI, Indicator.LEADERS_HI,
                   Indicator.MEMBERS_COVERED, Indicator.COLLECTED]
PERCENT_INDICATORS = {Indicator.LEADERS_VSI, Indicator.LEADERS_HI, Indicator.MEMBERS_COVERED}
CUMULATIVE_INDICATORS = {Indicator.VSI_NEW, Indicator.HI_NEW, Indicator.COLLECTED}
GOAL_KIND = {
    Indicator.VSI_NEW: GoalKind.COUNT, Indicator.HI_NEW: GoalKind.COUNT, Indicator.COLLECTED: GoalKind.AMOUNT,
    Indicator.LEADERS_VSI: GoalKind.PERCENT, Indicator.LEADERS_HI: GoalKind.PERCENT,
    Indicator.MEMBERS_COVERED: GoalKind.PERCENT,
}
SHORT_LABELS = {
    Indicator.VSI_NEW: "BHXH TN mới", Indicator.HI_NEW: "BHYT HGĐ mới", Indicator.LEADERS_VSI: "Cán bộ có BHXH TN",
    Indicator.LEADERS_HI: "Cán bộ có BHYT", Indicator.MEMBERS_COVERED: "Hội viên có bảo hiểm",
    Indicator.COLLECTED: "Số tiền thu",
}
UNASSIGNED_LABELS = {
    "province": "Chưa xác định địa bàn", "district": "Chưa xác định địa bàn", "commune": "Chưa xác định địa bàn",
    "branch": "Không thuộc chi hội, tổ nào", "agent": "Chưa có nhân viên thu",
}
ONE_DECIMAL = Decimal("0.1")


class ProgressError(ValidationError):
    """A report that cannot be made (level not on this map, unit of another map …)."""

    code = "progress_invalid"
    message = "Không lập được báo cáo tiến độ với các lựa chọn này."


NO_DISTRICT_ON_NEW_MAP = ("Bản đồ mới (từ 01/07/2025) không còn cấp huyện: hãy chọn bản đồ cũ hoặc xem theo "
                          "xã, phường.")
UNKNOWN_LEVEL = "Cấp báo cáo không hợp lệ: chọn province, district, commune, branch hoặc agent."
WITHIN_WRONG_MAP = "Đơn vị được chọn không thuộc bản đồ của báo cáo."
NO_CAMPAIGN = "Chưa có chiến dịch nào."


@dataclass(frozen=True)
class Series:
    """One report column: an indicator counted over a period."""

    indicator: str
    start: datetime.date
    end: datetime.date
    key: str = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "key", f"{self.indicator}:{self.start.isoformat()}:{self.end.isoformat()}")

    @property
    def label(self) -> str:
        return SHORT_LABELS[self.indicator]

    @property
    def period_label(self) -> str:
        if self.start == self.end:
            return f"{self.start:%d/%m/%Y}"
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"

    @property
    def is_percent(self) -> bool:
        return self.indicator in PERCENT_INDICATORS

    @property
    def goal_kind(self) -> str:
        return GOAL_KIND[self.indicator]


@dataclass
class Group:
    """One row's unit: ``id`` None is the "unassigned" row."""

    level: str
    id: int | None
    code: str
    name: str
    obj: object = None


@dataclass
class Cell:
    """Achievement of one series for one unit."""

    series: Series
    achieved: int | Decimal = 0
    count: int = 0
    of: int | None = None
    goal: Decimal | None = None
    target_id: int | None = None
    percent: Decimal | None = None
    remaining: Decimal | int | None = None
    forecast: Decimal | int | None = None

    @property
    def bar(self) -> Decimal:
        """Width of the progress bar, 0–100."""
        if self.percent is None:
            return Decimal(0)
        return min(self.percent, Decimal(100))

    @property
    def done(self) -> bool:
        return self.percent is not None and self.percent >= 100


@dataclass
class ProgressReport:
    campaign: Campaign
    on: datetime.date
    by: str
    map: str
    within: Group
    series: list[Series]
    groups: list[Group]
    cells: dict = field(default_factory=dict)  # (group.id, series.key) -> Cell
    total: dict = field(default_factory=dict)  # series.key -> Cell (the ``within`` unit)

    def cell(self, group: Group, series: Series) -> Cell:
        return self.cells[(group.id, series.key)]

    def table(self) -> list[tuple[Group, list[Cell]]]:
        return [(g, [self.cell(g, s) for s in self.series]) for g in self.groups]

    def total_cells(self) -> list[Cell]:
        return [self.total[s.key] for s in self.series]

    def rows(self) -> list[dict]:
        """Flat rows (JSON-ready), one per unit and series: ``unit_code``, ``unit_name``, ``indicator``,
        ``goal``, ``achieved``, ``percent`` and ``level``, ``unit_id``, ``period_start``, ``period_end``,
        ``goal_kind``, ``count``, ``of``, ``remaining``, ``forecast``, ``map``, ``on``."""
        return [_row_dict(self, g, self.cell(g, s)) for g in self.groups for s in self.series]

    def total_rows(self) -> list[dict]:
        return [_row_dict(self, self.within, self.total[s.key]) for s in self.series]


def _num(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _row_dict(report: ProgressReport, group: Group, cell: Cell) -> dict:
    s = cell.series
    return {
        "level": group.level, "unit_id": group.id, "unit_code": group.code, "unit_name": group.name,
        "indicator": str(s.indicator), "period_start": s.start.isoformat(), "period_end": s.end.isoformat(),
        "goal_kind": str(s.goal_kind), "goal": _num(cell.goal), "achieved": _num(cell.achieved),
        "percent": _num(cell.percent), "count": cell.count, "of": cell.of, "remaining": _num(cell.remaining),
        "forecast": _num(cell.forecast), "map": report.map, "on": report.on.isoformat(),
    }


# --- campaigns and series -------------------------------------------------------------------------

def campaign_latest() -> Campaign | None:
    """The campaign that started last, or None."""
    return Campaign.objects.select_related("province").order_by("-starts_on", "-pk").first()


def campaign_series(*, campaign: Campaign) -> list[Series]:
    """The report columns of a campaign (see the module docstring: Period)."""
    periods: dict[str, set] = defaultdict(set)
    for indicator, start, end in campaign.targets.values_list("indicator", "period_start", "period_end"):
        periods[indicator].add((start, end))
    out = []
    for indicator in INDICATOR_ORDER:
        chosen = set(periods[indicator])
        if indicator in CUMULATIVE_INDICATORS or not chosen:
            chosen.add((campaign.starts_on, campaign.ends_on))
        out.extend(Series(indicator, start, end) for start, end in sorted(chosen))
    return out


# --- the two maps ---------------------------------------------------------------------------------

class MapIndex:
    """Old and new communes of the campaign's province and the regrouping between the maps.

    A campaign of an old-map province (Hậu Giang, 2024) reads its old units and their successors; a
    campaign of a new-map province (Cần Thơ city, 2025–) reads the old provinces it came from the same way,
    so a household registered before 1 July 2025 that renews in 2026 still counts."""

    def __init__(self, campaign: Campaign):
        province = campaign.province
        if province.map == MapVersion.NEW:
            old_ids = set(UnitMapping.objects.filter(new_unit__province=province)
                          .values_list("old_unit__province_id", flat=True).distinct())
            old_provinces = list(AdministrativeUnit.objects.filter(pk__in=old_ids).order_by("code"))
        else:
            old_provinces = [province]
        self.province = old_provinces[0] if old_provinces else province
        province_ids = [p.pk for p in old_provinces] or [province.pk]
        units = AdministrativeUnit.objects.filter(
            Q(province_id__in=province_ids) | Q(pk__in=province_ids)
        ).only("id", "code", "name", "level", "parent_id", "map", "province_id")
        self.old_units = {u.pk: u for u in units}
        self.old_communes = {pk: u for pk, u in self.old_units.items() if u.level == Level.COMMUNE}
        self.districts = {pk: u for pk, u in self.old_units.items() if u.level == Level.DISTRICT}
        mappings = list(
            UnitMapping.objects.filter(old_unit__province_id__in=province_ids)
            .select_related("new_unit", "old_unit").only(
                "is_primary", "old_unit_id", "old_unit__code", "new_unit__id", "new_unit__code",
                "new_unit__name", "new_unit__level", "new_unit__province_id", "new_unit__map",
            )
        )
        self.new_communes = {m.new_unit.pk: m.new_unit for m in mappings}
        if province.map == MapVersion.NEW:  # communes whose predecessors are not loaded count on the new map
            for u in AdministrativeUnit.objects.filter(province=province, level=Level.COMMUNE).only(
                    "id", "code", "name", "level", "province_id", "map"):
                self.new_communes.setdefault(u.pk, u)
        self.to_new: dict[int, int] = {}
        self.to_old: dict[int, int] = {pk: pk for pk in self.old_communes}
        back: dict[int, list] = defaultdict(list)
        for m in mappings:
            if m.is_primary:
                self.to_new[m.old_unit_id] = m.new_unit.pk
            back[m.new_unit.pk].append((not m.is_primary, m.old_unit.code.zfill(8), m.old_unit_id))
        for new_id, candidates in back.items():
            self.to_old[new_id] = min(candidates)[2]
        for pk in self.new_communes:
            self.to_new[pk] = pk
        new_province_ids = {u.province_id for u in self.new_communes.values()}
        self.new_province = province if province.map == MapVersion.NEW else (
            AdministrativeUnit.objects.filter(pk__in=new_province_ids).order_by("code").first()
            if new_province_ids else None
        )

    def province_on(self, map_version: str) -> AdministrativeUnit:
        if map_version == MapVersion.NEW and self.new_province is not None:
            return self.new_province
        return self.province

    def group_of(self, commune_id: int | None, level: str, map_version: str) -> int | None:
        """The unit id at ``level`` on ``map_version`` that receives a record of ``commune_id``."""
        if commune_id is None:
            return None
        if map_version == MapVersion.OLD:
            old = self.to_old.get(commune_id)
            if old is None:
                return None
            if level == "commune":
                return old
            if level == "district":
                return self.old_communes[old].parent_id
            return self.old_communes[old].province_id
        new = self.to_new.get(commune_id)
        if new is None:
            return None
        if level == "commune":
            return new
        return self.province_on(MapVersion.NEW).pk

    def unit(self, pk: int) -> AdministrativeUnit | None:
        return self.old_units.get(pk) or self.new_communes.get(pk) or (
            self.new_province if self.new_province and self.new_province.pk == pk else None
        )


# --- the report ------------------------------------------------------------------------------------

def percent_of(n: int, of: int) -> Decimal:
    """n / of as a % rounded half up to 0.1 (0 when ``of`` is 0)."""
    if not of:
        return Decimal(0)
    return (Decimal(100) * n / of).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _end(series: Series, on: datetime.date) -> datetime.date:
    return min(on, series.end)


def _home_unit_subquery(person_ref: str) -> Subquery:
    return Subquery(MemberHome.objects.filter(person_id=OuterRef(person_ref)).values("unit_id")[:1])


_MAP_CACHE: dict[int, tuple] = {}


def map_index(campaign: Campaign) -> MapIndex:
    """``MapIndex`` of the campaign's province, kept in memory while the units and mappings are unchanged
    (checked with one aggregate query each)."""
    signature = (
        tuple(AdministrativeUnit.objects.aggregate(n=Count("pk"), m=Max("pk")).values()),
        tuple(UnitMapping.objects.aggregate(n=Count("pk"), m=Max("pk"), p=Count("pk", filter=Q(is_primary=True)))
              .values()),
    )
    cached = _MAP_CACHE.get(campaign.province_id)
    if cached is not None and cached[0] == signature:
        return cached[1]
    index = MapIndex(campaign)
    _MAP_CACHE[campaign.province_id] = (signature, index)
    return index


class _Builder:
    def __init__(self, *, campaign, by, on, map_version, within, communes, series):
        self.campaign, self.by, self.on, self.map = campaign, by, on, map_version
        self.index = map_index(campaign)
        self.series = series if series is not None else campaign_series(campaign=campaign)
        self.within = within
        self.scope_old = set(communes.values_list("pk", flat=True)) if communes is not None else None
        self._allowed = self._allowed_communes()

    # which records are in the report
    def _within_level(self) -> str:
        return "province" if self.within is None else self.within.level

    def _allowed_communes(self) -> set[int] | None:
        if self.within is None and self.scope_old is None:
            return None
        allowed = set()
        for cid in list(self.index.old_communes) + list(self.index.new_communes):
            old = self.index.to_old.get(cid)
            # a scope on either map: the commune itself, or its counterpart on the other map
            if self.scope_old is not None and not {cid, old, self.index.to_new.get(cid)} & self.scope_old:
                continue
            if self.within is not None and self.index.group_of(cid, self.within.level, self.map) != self.within.pk:
                continue
            allowed.add(cid)
        return allowed

    def _filter(self, qs, field_name: str):
        if self._allowed is None:
            return qs
        return qs.filter(**{f"{field_name}__in": sorted(self._allowed)})

    def _in(self, commune_id) -> bool:
        return self._allowed is None or commune_id in self._allowed

    # group keys
    def _key_area(self, commune_id):
        return self.index.group_of(commune_id, self.by, self.map)

    # rows (units) of the report
    def groups(self, seen_keys: set) -> list[Group]:
        level = self.by
        if level in AREA_LEVELS:
            units = self._area_units()
        elif level == "branch":
            qs = AssociationUnit.objects.order_by("kind", "code")
            qs = self._filter(qs, "commune_id") if self._allowed is not None else qs
            units = list(qs)
        else:
            qs = Agent.objects.order_by("code")
            if self._allowed is not None:
                districts = {self.index.old_communes[self.index.to_old[c]].parent_id
                             for c in self._allowed if self.index.to_old.get(c) in self.index.old_communes}
                qs = qs.filter(area_id__in=districts)
            units = list(qs)
        groups = [self._group(u) for u in units]
        listed = {g.id for g in groups}
        extra = [k for k in seen_keys if k is not None and k not in listed]
        if extra:
            model = {"branch": AssociationUnit, "agent": Agent}.get(level, AdministrativeUnit)
            groups.extend(self._group(u) for u in model.objects.filter(pk__in=extra).order_by("code"))
        if None in seen_keys:
            groups.append(Group(level, None, "", UNASSIGNED_LABELS[level]))
        return groups

    def _group(self, unit) -> Group:
        if isinstance(unit, Agent):
            return Group(self.by, unit.pk, unit.code, unit.full_name, unit)
        return Group(self.by, unit.pk, unit.code, unit.name, unit)

    def _area_units(self) -> list:
        keys = set()
        communes = self._allowed if self._allowed is not None else (
            set(self.index.old_communes) | set(self.index.new_communes))
        for cid in communes:
            own_map = MapVersion.OLD if cid in self.index.old_communes else MapVersion.NEW
            if own_map == self.map or (self.map == MapVersion.NEW and cid in self.index.old_communes):
                keys.add(self._key_area(cid))
        keys.discard(None)
        units = [self.index.unit(k) for k in keys]
        return sorted((u for u in units if u is not None), key=lambda u: u.code.zfill(8))

    # measures: {series.key: {group key: (count, of)}} ; for cumulative, of is None
    def measures(self) -> dict:
        out = {}
        cumulative = [s for s in self.series if s.indicator in CUMULATIVE_INDICATORS]
        if self.by == "branch":
            for s in cumulative:
                out[s.key] = self._unit_cumulative(s)
        elif cumulative:
            out.update(self._daily(cumulative))
        leaders = [s for s in self.series if s.indicator in (Indicator.LEADERS_VSI, Indicator.LEADERS_HI)]
        if leaders:
            out.update(self._leaders(leaders))
        members = [s for s in self.series if s.indicator == Indicator.MEMBERS_COVERED]
        if members:
            out.update(self._members(members))
        return out

    def _daily(self, series: list[Series]) -> dict:
        """vsi_new / hi_new / collected at area and agent levels from DailyTotal, one query."""
        sums = {}
        for n, s in enumerate(series):
            sums[f"s{n}"] = Sum("value", filter=Q(indicator=s.indicator, day__gte=s.start, day__lte=_end(s, self.on)))
        by_field = "agent_id" if self.by == "agent" else "commune_id"
        qs = self._filter(DailyTotal.objects.all(), "commune_id")
        lo = min(s.start for s in series)
        hi = max(_end(s, self.on) for s in series)
        qs = qs.filter(indicator__in={s.indicator for s in series}, day__gte=lo, day__lte=hi)
        rows = qs.values(by_field, "commune_id").annotate(**sums).order_by()
        out = {s.key: defaultdict(int) for s in series}
        for row in rows:
            key = row[by_field] if self.by == "agent" else self._key_area(row["commune_id"])
            for n, s in enumerate(series):
                out[s.key][key] += row[f"s{n}"] or 0
        return out

    def _unit_cumulative(self, s: Series) -> dict:
        """vsi_new / hi_new / collected per home unit (association-unit level)."""
        end = _end(s, self.on)
        out: dict = defaultdict(int)
        if s.indicator in (Indicator.VSI_NEW, Indicator.HI_NEW):
            program = Program.VSI if s.indicator == Indicator.VSI_NEW else Program.HI
            qs = self._filter(SignupFact.objects.filter(program=program, first_paid_on__gte=s.start,
                                                        first_paid_on__lte=end), "commune_id")
            rows = qs.annotate(unit=_home_unit_subquery("person_id")).values("unit").annotate(n=Count("id")).order_by()
            for row in rows:
                out[row["unit"]] += row["n"]
            return out
        payer_hi = Subquery(HiMemberCoverage.objects.filter(participation_id=OuterRef("hi_id"))
                            .order_by("rank").values("person_id")[:1])
        qs = valid_payments().filter(paid_on__gte=s.start, paid_on__lte=end).annotate(
            c=Coalesce("vsi__commune_id", "hi__commune_id"), payer=Coalesce("vsi__person_id", payer_hi))
        qs = self._filter(qs, "c")
        rows = qs.annotate(unit=_home_unit_subquery("payer")).values("unit").annotate(v=Sum("amount")).order_by()
        for row in rows:
            out[row["unit"]] += row["v"]
        return out

    def _leaders(self, series: list[Series]) -> dict:
        """leaders_vsi / leaders_hi: the people who led a unit on the series' end (capped at ``on``; the
        dated leaderships, ``facts.led_units_on``), each once in the unit they led, with whether they had
        a valid payment from the campaign's start to that day (MemberFact)."""
        out = {s.key: defaultdict(lambda: [0, 0]) for s in series}
        by_day: dict[datetime.date, list[Series]] = defaultdict(list)
        for s in series:
            by_day[_end(s, self.on)].append(s)
        for day, day_series in by_day.items():
            led = {p: v for p, v in led_units_on(on=day).items() if self._in(v[1])}
            if self.by == "agent":
                agents = dict(HouseholdMember.objects.filter(person_id__in=list(led)).values_list(
                    "person_id", "household__agent_id"))
            keys = {}
            for person_id, (unit_id, commune_id) in led.items():
                if self.by == "branch":
                    keys[person_id] = unit_id
                elif self.by == "agent":
                    keys[person_id] = agents.get(person_id)
                else:
                    keys[person_id] = self._key_area(commune_id)
            for s in day_series:
                program = Program.VSI if s.indicator == Indicator.LEADERS_VSI else Program.HI
                joined = set(MemberFact.objects.filter(
                    person_id__in=list(led), program=program, paid_on__gte=self.campaign.starts_on, paid_on__lte=day,
                ).values_list("person_id", flat=True).distinct())
                for person_id, key in keys.items():
                    cell = out[s.key][key]
                    cell[0] += person_id in joined
                    cell[1] += 1
        return {k: {g: tuple(v) for g, v in per.items()} for k, per in out.items()}

    def _person_key(self, *, unit_id, commune_id, agent_id):
        if self.by == "branch":
            return unit_id
        if self.by == "agent":
            return agent_id
        return self._key_area(commune_id)

    def _members(self, series: list[Series]) -> dict:
        """members_covered: each member once, in their home unit (MemberHome), covered per MemberFact; one
        aggregate query."""
        home, unit = MemberHome._meta.db_table, AssociationUnit._meta.db_table
        hm, hh, fact = HouseholdMember._meta.db_table, Household._meta.db_table, MemberFact._meta.db_table
        group = {"branch": "h.unit_id", "agent": "hh.agent_id"}.get(self.by, "u.commune_id")
        household_join = (f"LEFT JOIN {hm} hm ON hm.person_id = h.person_id "
                          f"LEFT JOIN {hh} hh ON hh.id = hm.household_id") if self.by == "agent" else ""
        params: list = []
        joins, sums = [], []
        for n, s in enumerate(series):
            day = _end(s, self.on)
            joins.append(
                f"LEFT JOIN (SELECT DISTINCT person_id FROM {fact} WHERE paid_on <= %s AND valid_from <= %s AND "
                f"(valid_to >= %s OR to_month >= %s)) c{n} ON c{n}.person_id = h.person_id")
            params += [day, day, day, day.year * 12 + day.month]
            sums.append(f"SUM(CASE WHEN c{n}.person_id IS NULL THEN 0 ELSE 1 END)")
        where = ""
        if self._allowed is not None:
            allowed = sorted(self._allowed) or [0]
            where = f"WHERE u.commune_id IN ({', '.join(['%s'] * len(allowed))})"
            params += allowed
        sql = (f"SELECT {group}, COUNT(*), {', '.join(sums)} FROM {home} h JOIN {unit} u ON u.id = h.unit_id "
               f"{household_join} {' '.join(joins)} {where} GROUP BY {group}")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        out = {s.key: defaultdict(lambda: [0, 0]) for s in series}
        for row in rows:
            key = row[0] if self.by in ("branch", "agent") else self._key_area(row[0])
            for n, s in enumerate(series):
                cell = out[s.key][key]
                cell[0] += row[2 + n]
                cell[1] += row[1]
        return {k: {g: tuple(v) for g, v in per.items()} for k, per in out.items()}


def covered_on(*, persons, on: datetime.date) -> set[int]:
    """Of ``persons`` (a queryset of person ids), those with a valid HI card on ``on`` or a validly paid
    VSI period covering the month of ``on`` (read from the payments, for any person)."""
    month = on.replace(day=1)
    hi = set(HiMemberCoverage.objects.filter(
        person_id__in=persons, valid_from__lte=on, valid_to__gte=on, participation__payments__amount__gt=0,
        participation__payments__reversed_by__isnull=True, participation__payments__paid_on__lte=on,
    ).values_list("person_id", flat=True).distinct())
    rows = valid_payments().filter(vsi__person_id__in=persons, vsi__from_month__lte=month, paid_on__lte=on).values_list(
        "vsi__person_id", "vsi__from_month", "vsi__months")
    index = month.year * 12 + month.month
    return hi | {p for p, start, months in rows if start.year * 12 + start.month + months > index}


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _goals(targets: list[Target], campaign: Campaign, by: str, index: MapIndex) -> dict:
    """(indicator, start, end, unit id) -> (goal, target id) for targets of this level's kind of unit."""
    field_name = {"branch": "association_unit_id", "agent": "agent_id"}.get(by, "area_id")
    goals = {}
    for t in targets:
        unit_id = getattr(t, field_name)
        if unit_id is None:
            continue
        goals[(t.indicator, t.period_start, t.period_end, unit_id)] = (t.goal, t.pk)
        if field_name == "area_id" and unit_id == campaign.province_id and index.new_province is not None:
            goals.setdefault((t.indicator, t.period_start, t.period_end, index.new_province.pk), (t.goal, t.pk))
    return goals


def _finish(cell: Cell, campaign: Campaign, on: datetime.date) -> Cell:
    s = cell.series
    if s.is_percent:
        cell.achieved = percent_of(cell.count, cell.of or 0)
    else:
        cell.achieved = cell.count
    if cell.goal is not None:
        if cell.goal > 0:
            cell.percent = (Decimal(cell.achieved) * 100 / cell.goal).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
        cell.remaining = max(cell.goal - Decimal(cell.achieved), Decimal(0))
    if s.indicator == Indicator.MEMBERS_COVERED:
        cell.forecast = None
    else:
        start = campaign.starts_on if s.is_percent else s.start
        cell.forecast = _forecast(cell.achieved, start, s.end, on, percent=s.is_percent)
    return cell


def _forecast(achieved, start: datetime.date, end: datetime.date, on: datetime.date, *, percent: bool):
    if on >= end:
        return achieved
    if on < start:
        return Decimal(0) if percent else 0
    elapsed = (on - start).days + 1
    total = (end - start).days + 1
    value = Decimal(achieved) * total / elapsed
    if percent:
        return min(value, Decimal(100)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def campaign_progress(*, campaign: Campaign, by: str = "district", on: datetime.date, map_version: str | None = None,
                      within: AdministrativeUnit | None = None, communes=None,
                      series: list[Series] | None = None) -> ProgressReport:
    """Progress of ``campaign`` on ``on`` grouped ``by`` a level, with the ``within`` unit's totals.

    ``map_version``: "old" or "new" (default: the map in force on ``on``). ``within``: an area on that
    map limiting the records (default: the province). ``communes``: a queryset of old-map communes (the
    user's scope) limiting the records. ``series``: the columns (default: ``campaign_series``).
    Raises ProgressError (district level on the new map, ``within`` on another map, unknown level).
    """
    if by not in LEVELS:
        raise ProgressError(UNKNOWN_LEVEL)
    map_version = map_version or map_in_force(on=on)
    if map_version not in MapVersion.values:
        raise ProgressError("Bản đồ phải là old hoặc new.")
    if map_version == MapVersion.NEW and (by == "district" or (within is not None and within.level == Level.DISTRICT)):
        raise ProgressError(NO_DISTRICT_ON_NEW_MAP)
    if within is not None and within.map != map_version:
        raise ProgressError(WITHIN_WRONG_MAP)
    if within is not None and within.level == Level.PROVINCE:
        within = None
    facts_refresh()
    b = _Builder(campaign=campaign, by=by, on=on, map_version=map_version, within=within, communes=communes,
                 series=series)
    measures = b.measures()
    seen = set()
    for per_key in measures.values():
        seen |= {k for k, v in per_key.items() if v}
    groups = b.groups(seen)
    targets = list(campaign.targets.all())
    goals = _goals(targets, campaign, by, b.index)
    parent_unit = within or b.index.province_on(map_version)
    parent = Group(parent_unit.level, parent_unit.pk, parent_unit.code, parent_unit.name, parent_unit)
    parent_goals = _goals(targets, campaign, "province", b.index)
    report = ProgressReport(campaign=campaign, on=on, by=by, map=map_version, within=parent, series=b.series,
                            groups=groups)
    for s in b.series:
        per_key = measures.get(s.key, {})
        total_count, total_of = 0, 0
        for g in groups:
            value = per_key.get(g.id, (0, 0) if s.is_percent else 0)
            cell = Cell(series=s)
            if s.is_percent:
                cell.count, cell.of = value
            else:
                cell.count = value
            total_count += cell.count
            total_of += cell.of or 0
            goal = goals.get((s.indicator, s.start, s.end, g.id)) if g.id is not None else None
            if goal:
                cell.goal, cell.target_id = goal
            report.cells[(g.id, s.key)] = _finish(cell, campaign, on)
        total = Cell(series=s, count=total_count, of=total_of if s.is_percent else None)
        goal = parent_goals.get((s.indicator, s.start, s.end, parent.id))
        if goal:
            total.goal, total.target_id = goal
        report.total[s.key] = _finish(total, campaign, on)
    return report


def progress_for_user(*, user, campaign: Campaign, by: str, on: datetime.date, map_version: str | None = None,
                      within: AdministrativeUnit | None = None) -> ProgressReport:
    """``campaign_progress`` limited to the user's scope. Raises PermissionDenied, OutOfScope (``within``
    wholly outside the scope), ProgressError."""
    from ansinh.accounts.services import old_communes_in_scope, require_permission

    require_permission(user, "campaigns.view_campaign")
    scope = old_communes_in_scope(user)
    if within is not None and within.level != Level.PROVINCE:
        if within.map == MapVersion.NEW:
            inside = UnitMapping.objects.filter(new_unit=within).values("old_unit_id")
        elif within.level == Level.DISTRICT:
            inside = AdministrativeUnit.objects.filter(parent=within).values("pk")
        else:
            inside = AdministrativeUnit.objects.filter(pk=within.pk).values("pk")
        if not (scope.filter(pk__in=inside).exists() or scope.filter(pk=within.pk).exists()):
            raise OutOfScope()
    report = campaign_progress(campaign=campaign, by=by, on=on, map_version=map_version, within=within,
                               communes=scope)
    # a scope given on the new map covers the old communes whose records its communes receive
    scope_ids = set(scope.values_list("pk", flat=True))
    scope_ids |= set(UnitMapping.objects.filter(new_unit_id__in=scope_ids, is_primary=True)
                     .values_list("old_unit_id", flat=True))
    _goals_only_where_scope_covers(report, scope=scope_ids, campaign=campaign, on=on)
    return report


def _old_communes_of(unit: AdministrativeUnit) -> set[int]:
    """Old-map communes whose records an area unit's row counts (see the module docstring)."""
    if unit.map == MapVersion.NEW:
        if unit.level == Level.COMMUNE:
            return set(UnitMapping.objects.filter(new_unit=unit, is_primary=True).values_list("old_unit_id", flat=True))
        return set(UnitMapping.objects.filter(new_unit__province=unit, is_primary=True)
                   .values_list("old_unit_id", flat=True))
    if unit.level == Level.COMMUNE:
        return {unit.pk}
    field = "parent" if unit.level == Level.DISTRICT else "province"
    return set(AdministrativeUnit.objects.filter(**{field: unit}, level=Level.COMMUNE).values_list("pk", flat=True))


def _rows_old_communes(units: list[AdministrativeUnit]) -> dict[int, set[int]]:
    """``_old_communes_of`` for the rows of a report in two queries instead of one per row: the new-map
    communes (through their primary mappings) and the old-map districts (their communes); other units are
    left to ``_old_communes_of``."""
    new = {u.pk: set() for u in units if u.map == MapVersion.NEW and u.level == Level.COMMUNE}
    for new_id, old_id in UnitMapping.objects.filter(new_unit_id__in=list(new), is_primary=True).values_list(
            "new_unit_id", "old_unit_id"):
        new[new_id].add(old_id)
    districts = {u.pk: set() for u in units if u.map == MapVersion.OLD and u.level == Level.DISTRICT}
    for pk, parent_id in AdministrativeUnit.objects.filter(parent_id__in=list(districts), level=Level.COMMUNE) \
            .values_list("pk", "parent_id"):
        districts[parent_id].add(pk)
    return {**new, **districts}


def _goals_only_where_scope_covers(report: ProgressReport, *, scope: set[int], campaign: Campaign,
                                   on: datetime.date) -> None:
    """A user whose scope covers only part of an area row (a branch head on the district level, a district
    officer on the province total) sees that row's figures for their part only, so the area's goal would
    be compared with part of its achievement: drop the goal there (percent, remaining follow) and say in
    the total's label that the figures are the user's part."""
    def clear(cell: Cell) -> None:
        cell.goal = cell.target_id = cell.percent = cell.remaining = None
        _finish(cell, campaign, on)

    areas = [g.obj for g in report.groups if g.level in AREA_LEVELS and isinstance(g.obj, AdministrativeUnit)]
    communes_of = _rows_old_communes(areas)
    for group in report.groups:
        if group.level in AREA_LEVELS and isinstance(group.obj, AdministrativeUnit) \
                and not (communes_of[group.obj.pk] if group.obj.pk in communes_of
                         else _old_communes_of(group.obj)) <= scope:
            for s in report.series:
                clear(report.cell(group, s))
    within = report.within
    if isinstance(within.obj, AdministrativeUnit) and not _old_communes_of(within.obj) <= scope:
        for cell in report.total.values():
            clear(cell)
        report.within = Group(within.level, within.id, within.code, f"{within.name} (phần trong phạm vi của bạn)",
                              within.obj)


def daily_signups(*, campaign: Campaign, on: datetime.date, communes=None) -> list[dict]:
    """Per day from the campaign's start to ``min(on, end)``: ``{"day", "vsi_new", "hi_new", "collected"}``
    (days without records give zeros). ``communes``: old-map communes of the user's scope."""
    facts_refresh()
    end = min(on, campaign.ends_on)
    qs = DailyTotal.objects.filter(day__gte=campaign.starts_on, day__lte=end)
    if communes is not None:
        index = MapIndex(campaign)
        allowed_old = set(communes.values_list("pk", flat=True))
        allowed = [c for c, old in index.to_old.items() if old in allowed_old]
        qs = qs.filter(commune_id__in=allowed)
    totals = {(r["day"], r["indicator"]): r["v"] for r in qs.values("day", "indicator").annotate(v=Sum("value"))
              .order_by()}
    out = []
    day = campaign.starts_on
    while day <= end:
        out.append({"day": day, **{ind: totals.get((day, ind), 0) for ind in
                                   (Indicator.VSI_NEW, Indicator.HI_NEW, Indicator.COLLECTED)}})
        day += datetime.timedelta(days=1)
    return out


def area_by_code(*, code: str, map_version: str) -> AdministrativeUnit:
    """An area of ``map_version`` by its code (province, district or commune). Raises ProgressError."""
    code = str(int(code)) if str(code).isdigit() else str(code)  # codes are stored without leading zeros
    unit = AdministrativeUnit.objects.filter(map=map_version, code=code).order_by("level").first()
    if unit is None:
        raise ProgressError(f"Không có đơn vị hành chính mã {code} trên bản đồ {map_version}.")
    return unit
