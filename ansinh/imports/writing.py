"""Writing the accepted rows of a group: new people (with their "created" history), changed people
(history by simple-history's bulk helper), households, memberships, leaders (through the registry's
leadership service), probable duplicates and identity conflicts as review items. A mixin of
``engine.MemberImport``; the group's transaction is opened by the caller."""

from django.db import connections, models, router
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ansinh.core.text import fold
from ansinh.registry.models import Household, HouseholdMember, MemberRole, Membership, Person, Relationship

from .rows import RowData


class BatchWriting:

    def _write(self, good: list[RowData]) -> None:
        st = self.state
        user = self.user if self.user is not None and self.user.is_authenticated else None
        creates = [d for d in good if d.action == "create"]
        new_people = [Person(full_name=d.full_name, date_of_birth=d.date_of_birth, sex=d.sex,
                             citizen_id=d.citizen_id, si_number=d.si_number, phone=d.phone, hamlet=d.hamlet,
                             commune_id=d.commune_id, ethnic_minority=bool(d.ethnic_minority))
                      for d in creates]
        if new_people:
            created = Person.objects.bulk_create(new_people)  # as many rows per INSERT as the database takes
            insert_history(created, user_id=user.pk if user else None, reason=self.change_reason)
            for d, person in zip(creates, created, strict=True):
                d.person = person
                st.set_person(d.row, person.pk)
        updates = [d for d in good if d.action == "update" and d.changes]
        if updates:
            changed_fields = sorted({f for d in updates for f in d.changes})
            if "full_name" in changed_fields:
                changed_fields.append("name_folded")  # bulk_update does not run the field's pre_save
            people = []
            for d in updates:
                for name, value in d.changes.items():
                    setattr(d.person, name, value)
                d.person.name_folded = fold(d.person.full_name)
                people.append(d.person)
            bulk_update_with_history(people, Person, changed_fields, batch_size=500, default_user=user,
                                     default_change_reason=self.change_reason)
        for d in good:
            if d.person is not None:
                st.set_person(d.row, d.person.pk)
        # households: new ones first (their head is on this row), then members
        new_households = [d for d in good if d.household_new]
        if new_households:
            objs = [Household(code=d.household_code, commune_id=d.commune_id, hamlet=d.hamlet) for d in new_households]
            bulk_create_with_history(objs, Household, batch_size=500, default_user=user,
                                     default_change_reason=self.change_reason)
        joins = [d for d in good if d.household]
        if joins:
            ids = dict(Household.objects.filter(code__in={d.household_code for d in joins}).values_list("code", "pk"))
            fast_insert(HouseholdMember, [
                HouseholdMember(household_id=ids[d.household_code], person_id=d.person.pk,
                                relationship=d.relationship or Relationship.OTHER) for d in joins])
        # memberships are written as members; a leader is made by the leadership-change service, so the
        # unit's Leadership periods stay right (the previous period closed, a new one opened from today)
        memberships = [Membership(person_id=d.person.pk, unit_id=unit_id, role=MemberRole.MEMBER)
                       for d in good for unit_id, _role in d.new_memberships]
        if memberships:
            fast_insert(Membership, memberships)
        leaders = [(unit_id, d.person) for d in good for unit_id in d.leader_units]
        if leaders:
            from django.utils import timezone

            from ansinh.registry.models import AssociationUnit
            from ansinh.registry.services import leader_period_open

            units = AssociationUnit.objects.in_bulk([unit_id for unit_id, _ in leaders])
            leading = set(Membership.objects.filter(unit_id__in=units, role=MemberRole.LEADER)
                          .values_list("unit_id", "person_id"))
            for unit_id, person in leaders:
                if (unit_id, person.pk) not in leading:
                    leader_period_open(user=user, unit=units[unit_id], person=person,
                                       starts_on=timezone.localdate())
        # probable duplicates
        from .models import DuplicateCandidate

        candidates = []
        for d in creates:
            for other in d.duplicate_of_persons:
                candidates.append((other, d.person.pk, d.row, "Trùng họ tên, ngày sinh và xã với người đã có", 100))
            for other_row in d.duplicate_of_rows:
                other = st.person_of(other_row)
                if other is not None:
                    candidates.append((other, d.person.pk, d.row,
                                       f"Trùng họ tên, ngày sinh và xã với dòng {other_row}", 100))
            for other, score, reasons in d.probable_persons:
                candidates.append((other, d.person.pk, d.row, "; ".join(reasons), score))
            for other_row, score, reasons in d.probable_rows:
                other = st.person_of(other_row)
                if other is not None:
                    candidates.append((other, d.person.pk, d.row, "; ".join([*reasons, f"dòng {other_row}"]),
                                       score))
        if candidates:
            DuplicateCandidate.objects.bulk_create([
                DuplicateCandidate(person_a_id=min(a, b), person_b_id=max(a, b), batch=self.batch, row=row,
                                   reason=reason[:400], score=score) for a, b, row, reason, score in candidates],
                ignore_conflicts=True)

    def _write_conflicts(self) -> None:
        """One open review item per identity conflict (not again for the same person and version)."""
        from .models import CandidateKind, DuplicateCandidate, DuplicateStatus

        if not self.conflicts:
            return
        open_items = {(c.person_a_id, repr(sorted(c.proposed.items()))) for c in DuplicateCandidate.objects.filter(
            kind=CandidateKind.IDENTITY_CONFLICT, status=DuplicateStatus.OPEN,
            person_a_id__in={c["person_id"] for c in self.conflicts})}
        new = []
        for c in self.conflicts:
            key = (c["person_id"], repr(sorted(c["proposed"].items())))
            if key in open_items:
                continue
            open_items.add(key)
            new.append(DuplicateCandidate(kind=CandidateKind.IDENTITY_CONFLICT, person_a_id=c["person_id"],
                                          batch=self.batch, row=c["row"], reason=c["message"][:400],
                                          proposed=c["proposed"]))
        DuplicateCandidate.objects.bulk_create(new)


def _adapter(field, connection):
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def _executemany(model, columns: list[str], rows: list[list]) -> None:
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            cursor.executemany(sql, rows[start:start + 1000])


def fast_insert(model, objects: list) -> None:
    """INSERT model instances (whose ids are not needed back) with one prepared statement: the rows
    ``bulk_create`` would write, without compiling one placeholder per value."""
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    adapters = [(f.attname, _adapter(f, connection)) for f in fields]
    rows = [[adapt(getattr(o, name)) if adapt else getattr(o, name) for name, adapt in adapters] for o in objects]
    _executemany(model, [f.column for f in fields], rows)


def insert_history(people: list[Person], *, user_id: int | None, reason: str) -> None:
    """The "created" history records of new people, as simple-history would write them."""
    history = Person.history.model
    connection = connections[router.db_for_write(history)]
    when = timezone.now()
    fixed = {"history_date": when, "history_change_reason": reason, "history_type": "+", "history_user_id": user_id}
    fields = [f for f in history._meta.concrete_fields if f.attname != "history_id"]
    adapters = [(f.attname, _adapter(f, connection)) for f in fields]
    rows = []
    for person in people:
        row = []
        for name, adapt in adapters:
            value = fixed[name] if name in fixed else getattr(person, name)
            row.append(adapt(value) if adapt else value)
        rows.append(row)
    _executemany(history, [f.column for f in fields], rows)
