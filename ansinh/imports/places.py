"""Matching a commune (and district) written in a file to the administrative units of either map, and
a branch or savings-and-loan group name to an association unit of that commune.

Commune names are compared without their division type ("Xã", "Phường", "Thị trấn", "P.", "TT"),
with tone placement ignored ("Hoà"/"Hòa"), then without diacritics; "Phường 1" matches "Phường I".
A name that exists on the old map and, as the same place, on the new map gives the old-map unit; a new
name alone gives the new-map unit; a name that fits several places (without a district to tell them
apart) is an error, as is a name that fits none.
"""

import re
from dataclasses import dataclass, field

from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, UnitMapping
from ansinh.core.text import fold, name_key
from ansinh.registry.models import AssociationUnit, UnitKind

from .fields import FieldProblem, clean_text, display

_PREFIXES = [
    ("thị trấn", "Thị trấn"), ("tt.", "Thị trấn"), ("tt", "Thị trấn"), ("phường", "Phường"), ("p.", "Phường"),
    ("p", "Phường"), ("xã", "Xã"), ("x.", "Xã"), ("đặc khu", "Đặc khu"),
]
_ASCII_PREFIXES = [("thi tran", "Thị trấn"), ("phuong", "Phường"), ("xa", "Xã")]
_DISTRICT_PREFIXES = ("thanh pho", "thi xa", "huyen", "quan", "tp.", "tp", "tx.", "tx", "h.", "q.")
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9",
          "x": "10", "xi": "11", "xii": "12"}


def _split_prefix(text: str, prefixes) -> tuple[str | None, str]:
    lowered = name_key(text)
    if text.isascii():
        prefixes = [*prefixes, *_ASCII_PREFIXES]
    for prefix, label in prefixes:
        if lowered.startswith(prefix) and (len(lowered) == len(prefix) or not lowered[len(prefix)].isalpha()
                                           or prefix.endswith(".")):
            rest = text[len(prefix):].lstrip(" .:")
            if rest:
                return label, rest
    return None, text


def _plain(text: str) -> tuple[str, str]:
    """(key with diacritics, key without) of a name without its division type; numbers unified."""
    key = re.sub(r"[.,;:()]+", " ", name_key(text)).strip()
    key = " ".join(key.split())
    key = _ROMAN.get(key, key.lstrip("0") if key.isdigit() else key)
    return key, fold(key)


def _district_plain(text: str) -> str:
    folded = fold(text)
    for prefix in _DISTRICT_PREFIXES:
        if folded.startswith(prefix + " ") or (prefix.endswith(".") and folded.startswith(prefix)):
            folded = folded[len(prefix):].strip(" .")
            break
    return folded


@dataclass
class Unit:
    id: int
    map: str
    name: str
    division_type: str
    district: str  # folded plain name of the district (old map), "" on the new map
    district_name: str
    key: str
    folded: str
    same_place: set[int] = field(default_factory=set)  # new units that continue this old unit

    def label(self) -> str:
        where = f"{self.district_name}, bản đồ cũ" if self.map == MapVersion.OLD else "bản đồ mới"
        return f"{self.name} ({where})"


class CommuneIndex:
    """All commune-level units loaded in the database, indexed for matching."""

    def __init__(self):
        self.units: dict[int, Unit] = {}
        self.by_key: dict[str, list[Unit]] = {}
        self.by_fold: dict[str, list[Unit]] = {}
        districts = {u.pk: u.name for u in AdministrativeUnit.objects.filter(level=Level.DISTRICT)}
        for u in AdministrativeUnit.objects.filter(level=Level.COMMUNE).only(
                "pk", "map", "name", "division_type", "parent_id"):
            _, plain_text = _split_prefix(u.name, _PREFIXES)
            key, folded = _plain(plain_text)
            district_name = districts.get(u.parent_id, "")
            unit = Unit(u.pk, u.map, u.name, u.division_type, _district_plain(district_name) if district_name else "",
                        district_name, key, folded)
            self.units[u.pk] = unit
            self.by_key.setdefault(key, []).append(unit)
            self.by_fold.setdefault(folded, []).append(unit)
        self.primary_new: dict[int, int] = {}
        self.groups: dict[int, set[int]] = {}
        for old_id, new_id, primary in UnitMapping.objects.values_list("old_unit_id", "new_unit_id", "is_primary"):
            if old_id in self.units:
                self.units[old_id].same_place.add(new_id)
            if primary:
                self.primary_new[old_id] = new_id
        for unit_id in self.units:
            self.groups.setdefault(self.canonical(unit_id), set()).add(unit_id)

    def canonical(self, unit_id: int) -> int:
        """One id per place across the maps: an old unit counts as the new unit it went into."""
        return self.primary_new.get(unit_id, unit_id)

    def group(self, unit_id: int) -> set[int]:
        """Every unit id (old and new map) that counts as the same place as ``unit_id``."""
        return self.groups.get(self.canonical(unit_id), {unit_id})

    def match(self, value, *, district=None) -> int:
        """The unit id for a commune cell. Raises FieldProblem commune_unknown / commune_ambiguous."""
        text = clean_text(value)
        if not text:
            raise FieldProblem("required")
        prefix, plain_text = _split_prefix(text, _PREFIXES)
        key, folded = _plain(plain_text)
        candidates = list(self.by_key.get(key) or self.by_fold.get(folded) or [])
        if not candidates and prefix:
            key, folded = _plain(text)
            candidates = list(self.by_key.get(key) or self.by_fold.get(folded) or [])
            prefix = None
        if not candidates:
            raise FieldProblem("commune_unknown", display(value))
        if prefix:
            typed = [u for u in candidates if name_key(u.name).startswith(name_key(prefix))]
            candidates = typed or candidates
        district_text = clean_text(district) if district is not None else ""
        if district_text and len(candidates) > 1:
            wanted = _district_plain(district_text)
            in_district = [u for u in candidates if u.district and u.district == wanted]
            candidates = in_district or candidates
        if len(candidates) > 1:
            olds = [u for u in candidates if u.map == MapVersion.OLD]
            news = [u for u in candidates if u.map == MapVersion.NEW]
            # a new unit that continues one of the old candidates is the same place: keep the old one
            news = [n for n in news if not any(n.id in o.same_place for o in olds)]
            candidates = olds + news
        if len(candidates) > 1:
            raise FieldProblem("commune_ambiguous", display(value),
                               other="; ".join(u.label() for u in candidates))
        return candidates[0].id

    def match_address(self, value, *, district=None) -> tuple[int, str]:
        """(commune id, hamlet text) from an address such as "Ấp 3, xã Vị Thanh, huyện Vị Thủy"."""
        text = clean_text(value)
        if not text:
            raise FieldProblem("required")
        parts = [p.strip() for p in re.split(r"[,;\-–]", text) if p.strip()]
        hamlet = ""
        district_part = district
        commune_part = None
        for part in parts:
            f = fold(part)
            if f.startswith(("ap ", "khu vuc ", "kv ", "thon ", "khom ", "to ")) and not hamlet:
                hamlet = part
            elif f.startswith(_DISTRICT_PREFIXES) and district_part is None:
                district_part = part
            elif _split_prefix(part, _PREFIXES)[0] and commune_part is None:
                commune_part = part
        if commune_part is None:
            for part in reversed(parts):
                try:
                    return self.match(part, district=district_part), hamlet
                except FieldProblem:
                    continue
            raise FieldProblem("commune_unknown", display(value))
        return self.match(commune_part, district=district_part), hamlet


_UNIT_PREFIXES = {
    UnitKind.BRANCH: ("chi hoi nong dan", "chi hoi nd", "chi hoi", "ch."),
    UnitKind.SAVINGS_GROUP: ("to tiet kiem va vay von", "to tiet kiem vay von", "to tk va vv", "to tk vv",
                             "to tkvv", "to tk&vv", "to tk-vv", "to vay von", "to"),
}


def unit_key(kind: str, name: str) -> str:
    """A unit name without its kind ("Chi hội ấp 1" -> "ap 1", "Tổ TK&VV số 2" -> "so 2")."""
    folded = fold(name).replace("&", " va ").replace("-", " ")
    folded = " ".join(folded.split())
    for prefix in _UNIT_PREFIXES[kind]:
        p = " ".join(prefix.replace("&", " va ").replace("-", " ").split())
        if folded.startswith(p + " "):
            return folded[len(p) + 1:].strip()
    return folded


class UnitIndex:
    """Association units by (kind, commune, name key), loaded for the places of a batch as needed. A
    unit is looked for in the row's own commune, then in the same place on the other map."""

    def __init__(self, communes: CommuneIndex):
        self.communes = communes
        self.loaded: set[int] = set()
        self.units: dict[tuple[str, int, str], tuple[int, str]] = {}
        self.leaders: dict[int, int] = {}  # unit id -> person id of its leader
        self.matched: dict[tuple, tuple[int, str]] = {}  # (kind, commune id, cell text) -> unit found

    def load(self, places: set[int]) -> None:
        missing = places - self.loaded
        if not missing:
            return
        unit_ids = set().union(*(self.communes.group(p) for p in missing)) if missing else set()
        for pk, kind, name, commune_id in AssociationUnit.objects.filter(commune_id__in=unit_ids).values_list(
                "pk", "kind", "name", "commune_id"):
            self.units.setdefault((kind, commune_id, unit_key(kind, name)), (pk, name))
            self.units.setdefault((kind, commune_id, fold(name)), (pk, name))
        from ansinh.registry.models import Membership

        for unit_id, person_id in Membership.objects.filter(unit__commune_id__in=unit_ids, role="leader").values_list(
                "unit_id", "person_id"):
            self.leaders[unit_id] = person_id
        self.loaded |= missing

    def _related(self, commune_id: int) -> list[int]:
        unit = self.communes.units.get(commune_id)
        if unit is None:
            return []
        if unit.map == MapVersion.OLD:
            return sorted(unit.same_place)
        return sorted(u.id for u in self.communes.units.values() if commune_id in u.same_place)

    def match(self, kind: str, commune_id: int, value) -> tuple[int, str] | None:
        """The unit a cell names in a commune (loaded), or None. A unit of the commune itself is remembered
        (units are only ever added to the index, so such a hit stays right)."""
        memo = (kind, commune_id, value) if type(value) is str else None
        if memo is not None and (hit := self.matched.get(memo)):
            return hit
        text = clean_text(value)
        keys = (unit_key(kind, text), fold(text))
        for key in keys:
            if hit := self.units.get((kind, commune_id, key)):
                if memo is not None and len(self.matched) < 100_000:
                    self.matched[memo] = hit
                return hit
        # the same place on the other map: not remembered (a place loaded later may add a second match)
        found = {hit for other in self._related(commune_id) for key in keys
                 if (hit := self.units.get((kind, other, key)))}
        return found.pop() if len(found) == 1 else None
