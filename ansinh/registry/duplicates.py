"""Probable duplicates of a person: who in the registry is probably the same person as a name, a date
of birth and a commune typed at entry or read from an import row.

Rules (a pure read; no writes):
- The same citizen ID or SI number is the same person (score 100), wherever they live.
- Otherwise a person is a probable duplicate when the names are alike after folding (no diacritics, lower
  case: ``core.text.fold``), with a similarity of at least ``NAME_THRESHOLD`` (``rapidfuzz``: the best of
  ``fuzz.ratio``, which catches typos, and ``fuzz.token_sort_ratio``, which catches swapped middle names),
  and either
  - the same date of birth, living in the same or a neighbouring commune, or
  - the same year of birth, living in the same commune.
- "The same commune" is the commune itself and every unit that is the same place across the map change
  of 1 July 2025 (``UnitMapping``: the old units merged into a new one, the new units an old one went into).
  "A neighbouring commune" is any commune of the same old-map district (for a new-map commune: of a
  district one of its old communes belonged to), and the new units those communes went into. New-map
  communes have no district, so the province is never taken as a neighbourhood (it would be too wide).
- Score (0–100) = 0.6 × name similarity + 30 for the same date of birth (15 for the same year only)
  + 10 for the same commune (5 for a neighbouring one). Two records with the same name, date of birth and
  commune score 100.

Speed: candidates come from the indexes ``person_dob_commune`` (date of birth, commune) and
``person_commune_dob`` (commune, date of birth), three narrow columns each (at 1,000,000 people about 700
rows: the year of birth in a merged commune), then one C loop of ``rapidfuzz`` over their names
(``alike_names``) and the full comparison on the few left.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from rapidfuzz import fuzz, process

from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, UnitMapping
from ansinh.core.text import fold

from .models import Person

NAME_THRESHOLD = 85
GIVEN_NAME_THRESHOLD = 60
SCORE_SAME_DOB, SCORE_SAME_YEAR = 30, 15
SCORE_SAME_PLACE, SCORE_NEARBY = 10, 5
NAME_WEIGHT = 0.6


@dataclass(frozen=True)
class Places:
    """The same place (``same``) and the neighbourhood (``nearby``, which includes ``same``) of a commune."""

    same: frozenset[int]
    nearby: frozenset[int]


def places_of(commune_id: int) -> Places:
    """The same place and the neighbourhood of a commune-level unit (see the module docstring).

    Two queries: every map-change pair that touches the commune or the new units it went into (their old
    and new units are the same place), then the communes of the old districts of the same place with the
    new units each went into."""
    same = {commune_id}
    went_into = UnitMapping.objects.filter(old_unit_id=commune_id).values("new_unit_id")
    for old_id, new_id in UnitMapping.objects.filter(
            Q(old_unit_id=commune_id) | Q(new_unit_id=commune_id) | Q(new_unit_id__in=went_into)).values_list(
            "old_unit_id", "new_unit_id"):
        same |= {old_id, new_id}
    districts = AdministrativeUnit.objects.filter(
        pk__in=same, map=MapVersion.OLD, parent__level=Level.DISTRICT).values("parent_id")
    nearby = set(same)
    for old_id, new_id in AdministrativeUnit.objects.filter(parent_id__in=districts, level=Level.COMMUNE).values_list(
            "pk", "new_mappings__new_unit_id"):
        nearby.add(old_id)
        if new_id is not None:
            nearby.add(new_id)
    return Places(frozenset(same), frozenset(nearby))


def name_similarity(a_folded: str, b_folded: str) -> float:
    """How alike two folded names are, 0–100: typos (``ratio``) and swapped words (``token_sort_ratio``).
    Family and middle names are shared by many people ("Nguyễn Văn ..."), so the given names (last words)
    must be alike too (``ratio`` at least ``GIVEN_NAME_THRESHOLD``) unless the words are the same in another
    order; otherwise the names are not alike (0)."""
    whole = fuzz.ratio(a_folded, b_folded)
    swapped = fuzz.token_sort_ratio(a_folded, b_folded)
    given_a, given_b = a_folded.rsplit(" ", 1)[-1], b_folded.rsplit(" ", 1)[-1]
    if swapped < 100 and fuzz.ratio(given_a, given_b) < GIVEN_NAME_THRESHOLD:
        return 0.0
    return max(whole, swapped)


def score_of(similarity: float, *, same_dob: bool, same_place: bool) -> int:
    return round(NAME_WEIGHT * similarity + (SCORE_SAME_DOB if same_dob else SCORE_SAME_YEAR)
                 + (SCORE_SAME_PLACE if same_place else SCORE_NEARBY))


def reasons_of(similarity: float, *, date_of_birth: datetime.date, same_dob: bool, same_place: bool) -> list[str]:
    """The Vietnamese reasons shown beside a probable duplicate."""
    reasons = ["Họ tên giống nhau (không kể dấu)" if similarity >= 100
               else f"Họ tên gần giống ({round(similarity)}%)"]
    reasons.append(f"Cùng ngày sinh {date_of_birth:%d/%m/%Y}" if same_dob else f"Cùng năm sinh {date_of_birth.year}")
    reasons.append("Cùng xã" if same_place else "Xã lân cận (cùng huyện cũ)")
    return reasons


def match(folded: str, date_of_birth: datetime.date, places: Places, *, other_folded: str,
          other_dob: datetime.date, other_commune_id: int) -> tuple[int, list[str]] | None:
    """(score, reasons) when the other person is a probable duplicate, else None."""
    same_dob = other_dob == date_of_birth
    same_place = other_commune_id in places.same
    if not (same_dob and other_commune_id in places.nearby or other_dob.year == date_of_birth.year and same_place):
        return None
    similarity = name_similarity(folded, other_folded)
    if similarity < NAME_THRESHOLD:
        return None
    return (score_of(similarity, same_dob=same_dob, same_place=same_place),
            reasons_of(similarity, date_of_birth=date_of_birth, same_dob=same_dob, same_place=same_place))


def candidate_rows(live, *, date_of_birth: datetime.date, places: Places) -> list[tuple[int, str, bool, int]]:
    """The people whose names are compared: ``(pk, name_folded, same_dob, commune_id)`` of everyone in
    ``live`` born the same day nearby (``same_dob`` true) or the same year in the same place.

    The union of two index scans (``person_dob_commune``, ``person_commune_dob``), one query per branch (an
    OR of two ranges defeats some planners); only the columns compared (each branch says how the date of
    birth compares, so it is not read)."""
    year = (datetime.date(date_of_birth.year, 1, 1), datetime.date(date_of_birth.year, 12, 31))
    columns = ("pk", "name_folded", "commune_id")
    rows = [(pk, name, True, commune_id) for pk, name, commune_id in live.filter(
        date_of_birth=date_of_birth, commune_id__in=places.nearby).values_list(*columns)]
    rows += [(pk, name, False, commune_id) for pk, name, commune_id in live.filter(
        commune_id__in=places.same, date_of_birth__range=year).exclude(date_of_birth=date_of_birth).values_list(
        *columns)]
    unfolded = [pk for pk, name, _, _ in rows if not name]  # written by a writer that left it empty
    if unfolded:
        names = dict(live.filter(pk__in=unfolded).values_list("pk", "full_name"))
        rows = [(pk, name or fold(names[pk]), same_dob, commune_id) for pk, name, same_dob, commune_id in rows]
    return rows


def alike_names(folded: str, names: list[str]) -> set[int]:
    """The positions in ``names`` (folded) that may pass ``name_similarity`` against ``folded``: either
    measure at least ``NAME_THRESHOLD``, one C loop of ``rapidfuzz`` each, so only these are compared in
    full."""
    keep = {i for _, _, i in process.extract(folded, names, scorer=fuzz.ratio, score_cutoff=NAME_THRESHOLD,
                                             limit=None)}
    keep |= {i for _, _, i in process.extract(folded, names, scorer=fuzz.token_sort_ratio,
                                              score_cutoff=NAME_THRESHOLD, limit=None)}
    return keep


def probable_duplicates(*, full_name: str, date_of_birth: datetime.date, commune, exclude_id: int | None = None,
                        limit: int = 5, citizen_id: str | None = None,
                        si_number: str | None = None) -> list[tuple[Person, int, list[str]]]:
    """People probably the same as the one described, best first: ``(person, score, reasons)``.

    ``commune`` is a commune-level unit or its id. ``exclude_id`` leaves out the person being edited.
    Merged-away records are never returned. See the module docstring for the rules and the score."""
    commune_id = commune if isinstance(commune, int) else commune.pk
    places = places_of(commune_id)
    found: dict[int, tuple[Person, int, list[str]]] = {}
    live = Person.objects.filter(merged_into__isnull=True).select_related("commune")
    if exclude_id is not None:
        live = live.exclude(pk=exclude_id)
    for value, field, label in ((citizen_id, "citizen_id", "Cùng số CCCD"), (si_number, "si_number",
                                                                              "Cùng mã số BHXH")):
        if value:
            for person in live.filter(**{field: value}):
                found.setdefault(person.pk, (person, 100, []))[2].append(label)
    folded = fold(full_name)
    rows = candidate_rows(live, date_of_birth=date_of_birth, places=places)
    hits: dict[int, tuple[int, list[str]]] = {}
    for i in alike_names(folded, [row[1] for row in rows]):
        pk, name_folded, same_dob, commune_id = rows[i]
        if pk in found:
            continue
        similarity = name_similarity(folded, name_folded)
        if similarity < NAME_THRESHOLD:
            continue
        # each candidate is born the same day nearby or the same year in the same place (``candidate_rows``)
        same_place = commune_id in places.same
        hits[pk] = (score_of(similarity, same_dob=same_dob, same_place=same_place),
                    reasons_of(similarity, date_of_birth=date_of_birth, same_dob=same_dob, same_place=same_place))
    best = sorted(hits.items(), key=lambda t: (-t[1][0], t[0]))[:limit]
    people = live.in_bulk([pk for pk, _ in best])
    for pk, (score, reasons) in best:
        found[pk] = (people[pk], score, reasons)
    return sorted(found.values(), key=lambda t: (-t[1], t[0].pk))[:limit]
