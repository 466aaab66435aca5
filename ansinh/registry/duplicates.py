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
``person_commune_dob`` (commune, date of birth): a few dozen rows at most, then ``rapidfuzz`` on them.
"""

import datetime
from dataclasses import dataclass

from rapidfuzz import fuzz

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
    """The same place and the neighbourhood of a commune-level unit (see the module docstring)."""
    new_ids = set(UnitMapping.objects.filter(old_unit_id=commune_id).values_list("new_unit_id", flat=True))
    new_ids |= {commune_id}
    same = {commune_id, *new_ids}
    same |= set(UnitMapping.objects.filter(new_unit_id__in=new_ids).values_list("old_unit_id", flat=True))
    districts = set(AdministrativeUnit.objects.filter(
        pk__in=same, map=MapVersion.OLD, parent__level=Level.DISTRICT).values_list("parent_id", flat=True))
    nearby = set(same)
    if districts:
        old = set(AdministrativeUnit.objects.filter(parent_id__in=districts, level=Level.COMMUNE)
                  .values_list("pk", flat=True))
        nearby |= old
        nearby |= set(UnitMapping.objects.filter(old_unit_id__in=old).values_list("new_unit_id", flat=True))
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
    # the union of two index scans, one query per branch (an OR of two ranges defeats some planners);
    # only the few columns compared, the people themselves fetched for the hits alone
    year = (datetime.date(date_of_birth.year, 1, 1), datetime.date(date_of_birth.year, 12, 31))
    columns = ("pk", "name_folded", "full_name", "date_of_birth", "commune_id")
    rows = [*live.filter(date_of_birth=date_of_birth, commune_id__in=places.nearby).values_list(*columns),
            *live.filter(commune_id__in=places.same, date_of_birth__range=year).exclude(
                date_of_birth=date_of_birth).values_list(*columns)]
    hits: dict[int, tuple[int, list[str]]] = {}
    for pk, name_folded, name, born, commune_id in rows:
        if pk in found:
            continue
        hit = match(folded, date_of_birth, places, other_folded=name_folded or fold(name), other_dob=born,
                    other_commune_id=commune_id)
        if hit is not None:
            hits[pk] = hit
    best = sorted(hits.items(), key=lambda t: (-t[1][0], t[0]))[:limit]
    people = live.in_bulk([pk for pk, _ in best])
    for pk, (score, reasons) in best:
        found[pk] = (people[pk], score, reasons)
    return sorted(found.values(), key=lambda t: (-t[1], t[0].pk))[:limit]
