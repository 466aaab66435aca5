"""One row against the rows before it in the file and the registry: the same person (citizen ID, SI
number, or name, date of birth and place), identity conflicts, households, association units and their
leaders, probable duplicates (``registry.duplicates`` rules). A mixin of ``engine.MemberImport``."""

from ansinh.core.text import fold, name_key
from ansinh.registry import duplicates as dup
from ansinh.registry.models import (
    Household, HouseholdMember, MemberRole, Membership, Person, Relationship, Sex, UnitKind,
)

from .fields import name_reconcile
from .rows import RowData, RowError, row_message

PERSON_FIELDS = ("full_name", "date_of_birth", "sex", "citizen_id", "si_number", "phone", "hamlet", "commune_id",
                 "ethnic_minority")


class RowIdentity:

    def _load_places(self, places: set) -> None:
        """Index the people of these places (both maps) by name key, date of birth and place, as the
        registry was before this import touched the place."""
        missing = places - self.key_index_loaded
        if not missing:
            return
        commune_ids = set().union(*(self.communes.group(p) for p in missing))
        canonical = self.communes.canonical
        index = self.key_index
        years = self.year_index
        for pk, name, stored, born, commune_id in Person.objects.filter(
                commune_id__in=commune_ids, merged_into__isnull=True).values_list(
                "pk", "full_name", "name_folded", "date_of_birth", "commune_id").iterator(chunk_size=5000):
            folded = stored or fold(name)  # the stored key (fold of the name); folded here only if a writer left it empty
            place = canonical(commune_id)
            index.setdefault((folded, born, place), []).append(pk)
            entry = (pk, folded, born, commune_id)
            years.setdefault((place, born.year), []).append(entry)
            self.dob_index.setdefault((place, born), []).append(entry)
        self.key_index_loaded |= missing

    def _prefetch(self, rows: list[RowData]) -> dict:
        cids = {r.citizen_id for r in rows if r.citizen_id}
        sis = {r.si_number for r in rows if r.si_number}
        by_cid: dict[str, Person] = {}
        by_si: dict[str, Person] = {}
        people: dict[int, Person] = {}
        only = ("id", *PERSON_FIELDS)
        if cids:
            for p in Person.objects.filter(citizen_id__in=cids).only(*only):
                by_cid[p.citizen_id] = people.setdefault(p.pk, p)
        if sis:
            for p in Person.objects.filter(si_number__in=sis).only(*only):
                by_si[p.si_number] = people.setdefault(p.pk, p)
        places = {r.place for r in rows}
        self._load_places(places)
        key_ids = {pk for r in rows for pk in self.key_index.get(r.key, ())}
        if key_ids - set(people):
            for p in Person.objects.filter(pk__in=key_ids - set(people)).only(*only):
                people[p.pk] = p
        by_key: dict[tuple, list[Person]] = {}
        for r in rows:
            if r.key in self.key_index and r.key not in by_key:
                by_key[r.key] = [people[pk] for pk in self.key_index[r.key] if pk in people]
        memberships: dict[int, dict[int, tuple[int, str]]] = {}
        households: dict[int, tuple[str, str]] = {}
        if people:
            for pk, person_id, unit_id, role in Membership.objects.filter(person_id__in=people).values_list(
                    "pk", "person_id", "unit_id", "role"):
                memberships.setdefault(person_id, {})[unit_id] = (pk, role)
            for person_id, code, relationship in HouseholdMember.objects.filter(person_id__in=people).values_list(
                    "person_id", "household__code", "relationship"):
                households[person_id] = (code, relationship)
        codes = {r.household_code for r in rows if r.household_code}
        household_info: dict[str, dict] = {}
        if codes:
            for pk, code, commune_id in Household.objects.filter(code__in=codes).values_list("pk", "code", "commune_id"):
                household_info[code] = {"pk": pk, "place": self.communes.canonical(commune_id), "head": None}
            for code in [c for c in household_info if c in self.state.households]:
                del household_info[code]  # made by this run: known from the file, as in a dry run
            for code, person_id, name in HouseholdMember.objects.filter(
                    household__code__in=codes, relationship=Relationship.HEAD).values_list(
                    "household__code", "person_id", "person__full_name"):
                if code in household_info:
                    household_info[code]["head"] = (person_id, name)
        self.units.load(places)
        if self.probable_duplicates:  # the neighbouring places too, read once as they were before this import
            self._load_places(set().union(*(self._places(p)[2] for p in places)))
        scope_people = set()
        if self.scope is not None and people:
            scope_people = {pk for pk, p in people.items() if p.commune_id in self.scope}
        return {"by_cid": by_cid, "by_si": by_si, "by_key": by_key, "memberships": memberships,
                "households": households, "household_info": household_info, "scope_people": scope_people,
                }

    def _places(self, place: int) -> tuple[dup.Places, set[int], set[int]]:
        """The place's ``registry.duplicates`` neighbourhood, and the canonical places of its same place
        and of its neighbourhood (keys of ``year_index`` and ``dob_index``)."""
        found = self.places_cache.get(place)
        if found is None:
            places = dup.places_of(place)
            canonical = self.communes.canonical
            found = self.places_cache[place] = (places, {canonical(c) for c in places.same},
                                                {canonical(c) for c in places.nearby})
        return found

    def _probable(self, d: RowData, lookup: dict) -> None:
        """Alike people (``registry.duplicates`` rules) in the registry and earlier in the file."""
        places, same, nearby = self._places(d.place)
        folded = d.key[0]
        seen = set(d.duplicate_of_persons)
        candidates = [c for p in same for c in self.year_index.get((p, d.date_of_birth.year), ())]
        if not d.year_only:
            candidates += [c for p in nearby - same for c in self.dob_index.get((p, d.date_of_birth), ())]
        candidates = _alike(folded, candidates)
        registry = []
        for pk, other, born, commune_id in candidates:
            if pk in seen:
                continue
            seen.add(pk)
            hit = dup.match(folded, d.date_of_birth, places, other_folded=other, other_dob=born,
                            other_commune_id=commune_id)
            if hit is not None:
                registry.append((pk, *hit))
        d.probable_persons = sorted(registry, key=lambda t: -t[1])[:5]
        exact_rows = set(d.duplicate_of_rows)
        in_file = []
        for row, other, born, commune_id in _alike(folded, self.state.born_rows.get(
                (d.place, d.date_of_birth.year), ())):
            if row in exact_rows:
                continue
            hit = dup.match(folded, d.date_of_birth, places, other_folded=other, other_dob=born,
                            other_commune_id=commune_id)
            if hit is not None:
                in_file.append((row, *hit))
        d.probable_rows = sorted(in_file, key=lambda t: -t[1])[:5]

    def _identity_conflict(self, person: Person, d: RowData, matched_by: str) -> RowError | None:
        """A row of a known person that changes who they are (name beyond diacritics and case, date of
        birth, sex) is not applied: a row error, and a review item of a real run."""
        fields = []
        _, name_conflict = name_reconcile(person.full_name, d.full_name)
        if name_conflict:
            fields.append("full_name")
        if (person.date_of_birth.year != d.date_of_birth.year if d.year_only
                else person.date_of_birth != d.date_of_birth):
            fields.append("date_of_birth")
        if person.sex != d.sex:
            fields.append("sex")
        if not fields:
            return None
        sexes = dict(Sex.choices)

        def side(name, born, sex, year_only=False):
            parts = []
            if "full_name" in fields:
                parts.append(f"họ tên «{name}»")
            if "date_of_birth" in fields:
                parts.append(f"năm sinh {born.year}" if year_only else f"ngày sinh {born:%d/%m/%Y}")
            if "sex" in fields:
                parts.append(f"giới tính {sexes.get(sex, sex)}")
            return ", ".join(parts)

        value = {"citizen_id": f"Số CCCD {d.citizen_id}", "si_number": f"Mã số BHXH {d.si_number}"}.get(
            matched_by, "Người cùng họ tên, ngày sinh và xã")
        message = row_message("identity_conflict", value=value,
                              registry=side(person.full_name, person.date_of_birth, person.sex),
                              other=side(d.full_name, d.date_of_birth, d.sex, d.year_only))
        self.conflicts.append({"person_id": person.pk, "row": d.row, "fields": fields, "message": message,
                               "proposed": {"full_name": d.full_name, "date_of_birth": d.date_of_birth.isoformat(),
                                            "year_only": d.year_only, "sex": str(d.sex)}})
        name_label = self._label("full_name" if self.mapping.has("full_name") else "given_name")
        column = {"full_name": name_label, "date_of_birth": self._label("date_of_birth"),
                  "sex": self._label("sex")}[fields[0]]
        return RowError(d.row, column, "identity_conflict", message)

    def _identify(self, d: RowData, lookup: dict) -> list[RowError]:
        problems: list[RowError] = []
        st = self.state
        name_label = self._label("full_name" if self.mapping.has("full_name") else "given_name")

        def err(column: str, code: str, **details) -> list[RowError]:
            problems.append(RowError(d.row, column, code, row_message(code, **details)))
            return problems

        # the same person earlier in this file
        if d.citizen_id and int(d.citizen_id) in st.cid_rows:
            return err(self._label("citizen_id"), "duplicate_in_file", other=st.cid_rows[int(d.citizen_id)],
                       value=f"số CCCD {d.citizen_id}")
        if d.si_number and int(d.si_number) in st.si_rows:
            return err(self._label("si_number"), "duplicate_in_file", other=st.si_rows[int(d.si_number)],
                       value=f"mã số BHXH {d.si_number}")
        has_ids = bool(d.citizen_id or d.si_number)
        earlier = st.earlier(d.key)
        if earlier and (not has_ids or any(not ids for _, ids in earlier)):
            return err(name_label, "duplicate_in_file", other=earlier[0][0],
                       value="cùng họ tên, ngày sinh và xã")
        # the registry
        by_cid = lookup["by_cid"].get(d.citizen_id) if d.citizen_id else None
        by_si = lookup["by_si"].get(d.si_number) if d.si_number else None
        if by_cid and by_si and by_cid.pk != by_si.pk:
            return err(self._label("si_number"), "id_conflict", value=f"Mã số BHXH {d.si_number}",
                       other=by_si.full_name)
        person = by_cid or by_si
        if person and d.citizen_id and person.citizen_id and person.citizen_id != d.citizen_id:
            return err(self._label("citizen_id"), "id_conflict", value=f"Mã số BHXH {d.si_number}",
                       other=f"{person.full_name}, CCCD {person.citizen_id}")
        if person and d.si_number and person.si_number and person.si_number != d.si_number:
            return err(self._label("si_number"), "id_conflict", value=f"Số CCCD {d.citizen_id}",
                       other=f"{person.full_name}, mã số BHXH {person.si_number}")
        same_key = [p for p in lookup["by_key"].get(d.key, [])
                    if p.pk not in st.person_rows]
        if person is None and not has_ids:
            if len(same_key) > 1:
                return err(name_label, "ambiguous_person", other=len(same_key))
            if same_key:
                person = same_key[0]
        if person is not None and person.pk in st.person_rows:
            return err(name_label, "duplicate_in_file", other=st.person_rows[person.pk],
                       value=f"cùng người {person.full_name}")
        if person is not None and self.scope is not None and person.pk not in lookup["scope_people"]:
            return err(name_label, "out_of_scope")
        if person is not None:
            conflict = self._identity_conflict(
                person, d, "citizen_id" if by_cid else "si_number" if by_si else "key")
            if conflict is not None:
                problems.append(conflict)
                return problems
        d.person = person
        # household
        if d.household_code:
            self._check_household(d, lookup, err)
            if problems:
                return problems
        # membership
        self._check_units(d, lookup, err)
        if problems:
            return problems
        # what the row does
        if person is None:
            d.action = "create"
            d.duplicate_of_persons = [p.pk for p in same_key
                                      if (p.citizen_id or None) != d.citizen_id or (p.si_number or None) != d.si_number]
            d.duplicate_of_rows = [r for r, ids in earlier if ids]
            if self.probable_duplicates:
                self._probable(d, lookup)
        else:
            d.changes = self._changes(person, d)
            d.action = "update" if (d.changes or d.new_memberships or d.promote or d.household) else "unchanged"
        return problems

    def _check_household(self, d: RowData, lookup: dict, err) -> None:
        st = self.state
        code = d.household_code
        label = self._label("household_code")
        info = lookup["household_info"].get(code)
        current = lookup["households"].get(d.person.pk) if d.person else None
        if current and current[0] != code:
            err(label, "household_moved", other=current[0])
            return
        if info is not None:
            if info["place"] != d.place:
                err(label, "household_other_commune", value=code, other=self.communes.units.get(
                    info["place"]).name if info["place"] in self.communes.units else "")
                return
            if current:  # already in this household
                if d.is_head and current[1] != Relationship.HEAD:
                    head = info["head"]
                    err(label, "household_has_head", value=code, other=head[1] if head else "")
                return
            if d.is_head:
                head = info["head"]
                if head or code in st.household_heads:
                    err(label, "household_has_head", value=code,
                        other=head[1] if head else f"dòng {st.household_heads[code]}")
                    return
            d.household = code
            return
        if code in st.households:
            if d.is_head:
                err(label, "household_has_head", value=code, other=f"dòng {st.households[code]}")
                return
            d.household = code
            return
        if not d.is_head:
            err(label, "household_unknown", value=code)
            return
        d.household = code
        d.household_new = True

    def _check_units(self, d: RowData, lookup: dict, err) -> None:
        st = self.state
        current = lookup["memberships"].get(d.person.pk, {}) if d.person else {}
        commune_name = self.communes.units[d.commune_id].name
        for kind, text, name, label_text in ((UnitKind.BRANCH, d.branch_text, "branch", "chi hội"),
                                             (UnitKind.SAVINGS_GROUP, d.group_text, "savings_group", "tổ")):
            if not text:
                continue
            unit = self.units.match(kind, d.commune_id, text)
            if unit is None:
                err(self._label(name), "unit_unknown", label=label_text, value=text, other=commune_name)
                return
            unit_id, unit_name = unit
            leader = d.role == ("branch" if kind == UnitKind.BRANCH else "group") or d.role == "any"
            if leader:
                holder = self.units.leaders.get(unit_id)
                if (holder is not None and (d.person is None or holder != d.person.pk)) or unit_id in st.unit_leaders:
                    who = f"dòng {st.unit_leaders[unit_id]}" if unit_id in st.unit_leaders else "người khác"
                    if holder is not None:
                        who = Person.objects.filter(pk=holder).values_list("full_name", flat=True).first() or who
                    err(self._label("role"), "unit_has_leader", label=label_text.capitalize(), value=unit_name,
                        other=who)
                    return
            role = MemberRole.LEADER if leader else MemberRole.MEMBER
            if leader:
                d.leader_units.append(unit_id)
            if unit_id in current:
                membership_id, current_role = current[unit_id]
                if leader and current_role != MemberRole.LEADER:
                    d.promote.append(membership_id)
            else:
                d.new_memberships.append((unit_id, role))

    def _changes(self, person: Person, d: RowData) -> dict:
        changes = {}
        # identity: a conflict never gets here (``_identity_conflict``); diacritics only improve a name
        name, _ = name_reconcile(person.full_name, d.full_name)
        if name != person.full_name:
            changes["full_name"] = name
        if d.citizen_id and not person.citizen_id:
            changes["citizen_id"] = d.citizen_id
        if d.si_number and not person.si_number:
            changes["si_number"] = d.si_number
        if d.phone and person.phone != d.phone:
            changes["phone"] = d.phone
        if d.hamlet and name_key(person.hamlet) != name_key(d.hamlet):
            changes["hamlet"] = d.hamlet
        if self.communes.canonical(person.commune_id) != d.place:
            changes["commune_id"] = d.commune_id
        if d.ethnic_minority is not None and person.ethnic_minority != d.ethnic_minority:
            changes["ethnic_minority"] = d.ethnic_minority
        return changes

    def _register(self, d: RowData) -> None:
        st = self.state
        if d.citizen_id:
            st.cid_rows[int(d.citizen_id)] = d.row
        if d.si_number:
            st.si_rows[int(d.si_number)] = d.row
        st.add_key(d.key, d.row, bool(d.citizen_id or d.si_number))
        if d.person is not None:
            st.person_rows[d.person.pk] = d.row
        elif d.action == "create":
            st.born_rows.setdefault((d.place, d.date_of_birth.year), []).append(
                (d.row, d.key[0], d.date_of_birth, d.commune_id))
        if d.household_new:
            st.households[d.household_code] = d.row
        elif d.household and d.is_head:
            st.household_heads[d.household_code] = d.row
        for unit_id in d.leader_units:
            st.unit_leaders[unit_id] = d.row

    def _reject(self, row: int, values: list, problems: list[RowError]) -> None:
        self.summary.rejected += 1
        self.summary.errors.extend(problems)
        self._batch_rejected.append((row, values, problems))


def _alike(folded: str, candidates) -> list:
    """The candidates (tuples whose second item is a folded name) whose names may pass
    ``registry.duplicates.name_similarity``: one C loop of ``rapidfuzz`` per measure, so the few left are
    compared in full."""
    if len(candidates) < 8:
        return list(candidates)
    from rapidfuzz import fuzz, process

    names = [c[1] for c in candidates]
    keep = {i for _, _, i in process.extract(folded, names, scorer=fuzz.ratio, score_cutoff=dup.NAME_THRESHOLD,
                                             limit=None)}
    keep |= {i for _, _, i in process.extract(folded, names, scorer=fuzz.token_sort_ratio,
                                              score_cutoff=dup.NAME_THRESHOLD, limit=None)}
    return [candidates[i] for i in sorted(keep)]
