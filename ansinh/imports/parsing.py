"""One row's cells: each checked and normalised (``fields``), the commune and the role read, into a
``RowData`` and its ``RowError`` list. A mixin of ``engine.MemberImport``."""

from ansinh.core.text import bidi_control_find, fold, name_normalise
from ansinh.registry.models import Relationship, Sex

from .columns import FIELDS
from .fields import (
    FieldProblem, check_citizen_id, clean_text, display, is_ethnic_minority, is_head_marker, parse_citizen_id,
    parse_date, parse_name, parse_phone, parse_relationship, parse_role, parse_sex, parse_si_number,
)
from .rows import RowData, RowError, row_message

MEMO_MAX = 100_000  # texts remembered per field; past it the memory of that field starts again


def _fresh(exc: FieldProblem) -> FieldProblem:
    return FieldProblem(exc.code, exc.value, **exc.details)


class RowParsing:
    """``_parse`` of ``engine.MemberImport``. A text cell's value is parsed once per run: the same text
    (a name, a date written as text, a sex, a role, a hamlet...) gives the same result, so the result
    (or the ``FieldProblem``) is remembered per field, in bounded dictionaries."""

    def _memo(self, field: str, fn, value):
        """``fn(value)``, remembered for a text cell (a fresh FieldProblem is raised for each row)."""
        if type(value) is not str:
            return fn(value)
        memos = self.__dict__.setdefault("_memos", {})
        cache = memos.get(field)
        if cache is None:
            cache = memos[field] = {}
        hit = cache.get(value)
        if hit is None:
            try:
                hit = (fn(value), None)
            except FieldProblem as exc:
                hit = (None, exc)
            if len(cache) >= MEMO_MAX:
                cache.clear()
            cache[value] = hit
        if hit[1] is not None:
            raise _fresh(hit[1])
        return hit[0]

    def _date(self, value):
        return self._memo("date", lambda v: parse_date(v, today=self.today), value)

    def _cell(self, values: list, name: str):
        index = self.field_index.get(name)
        if index is not None and index < len(values):
            return values[index]
        return None

    def _label(self, name: str) -> str:
        cols = self.mapping.columns_of(name)
        return self.mapping.labels.get(cols[0], FIELDS[name]) if cols else FIELDS[name]

    def _parse(self, row: int, values: list) -> tuple[RowData, list[RowError]]:
        data = RowData(row=row, values=values)
        problems: list[RowError] = []
        m = self.mapping

        def problem(name: str, exc: FieldProblem, label: str | None = None) -> None:
            label = label or self._label(name)
            problems.append(RowError(row, label, exc.code, row_message(
                exc.code, label=label, value=exc.value, **{k: v for k, v in exc.details.items()})))

        # text hygiene: a bidirectional control character refuses the row, naming the column
        for name, index in self.field_index.items():
            cell = values[index] if index < len(values) else None
            if isinstance(cell, str) and (code := bidi_control_find(cell)):
                label = self._label(name)
                problems.append(RowError(row, label, "bidi_control",
                                         row_message("bidi_control", label=label, other=code)))

        # name
        if m.has("full_name"):
            try:
                data.full_name = self._memo("name", parse_name, self._cell(values, "full_name"))
            except FieldProblem as exc:
                problem("full_name", exc)
        else:
            joined = " ".join(t for t in (clean_text(self._cell(values, "family_name")),
                                          clean_text(self._cell(values, "given_name"))) if t)
            try:
                data.full_name = parse_name(joined)
            except FieldProblem as exc:
                problem("given_name", exc)
        # date of birth and sex
        sex_from_columns = None
        dob_problem = False
        dob_value = self._cell(values, "date_of_birth")
        year_value = self._cell(values, "birth_year")
        dob_label = "date_of_birth"
        if dob_value in (None, "") and year_value not in (None, ""):
            dob_value, dob_label = year_value, "birth_year"
        if dob_value in (None, "") and m.has("dob_male"):
            male, female = self._cell(values, "dob_male"), self._cell(values, "dob_female")
            if male not in (None, "") and female not in (None, ""):
                problems.append(RowError(row, self._label("dob_female"), "sex_invalid", row_message(
                    "sex_invalid", value=f"{display(male)} / {display(female)}")))
                dob_problem = True
            elif male not in (None, ""):
                dob_value, dob_label, sex_from_columns = male, "dob_male", Sex.MALE
            elif female not in (None, ""):
                dob_value, dob_label, sex_from_columns = female, "dob_female", Sex.FEMALE
        if not dob_problem:
            try:
                data.date_of_birth, data.year_only = self._date(dob_value)
            except FieldProblem as exc:
                label = self._label(dob_label) if m.has(dob_label) else FIELDS["date_of_birth"]
                if exc.code == "required":
                    problems.append(RowError(row, label, "required", row_message("required", label="ngày sinh")))
                else:
                    problem(dob_label, exc, label)
                dob_problem = True
        if (not dob_problem and dob_label == "date_of_birth" and year_value not in (None, "")
                and m.has("birth_year")):
            try:
                year_date, _ = self._date(year_value)
                if year_date.year != data.date_of_birth.year:
                    problems.append(RowError(row, self._label("birth_year"), "date_conflict", row_message(
                        "date_conflict", value=display(dob_value), other=display(year_value))))
            except FieldProblem as exc:
                problem("birth_year", exc)
        sex_value = self._cell(values, "sex")
        if sex_value not in (None, "") or sex_from_columns is None:
            try:
                data.sex = self._memo("sex", parse_sex, sex_value)
                if sex_from_columns and data.sex != sex_from_columns:
                    problems.append(RowError(row, self._label("sex"), "sex_invalid", row_message(
                        "sex_invalid", value=display(sex_value))))
            except FieldProblem as exc:
                if exc.code == "required":
                    problems.append(RowError(row, self._label("sex") if m.has("sex") else FIELDS["sex"], "required",
                                             row_message("required", label="giới tính")))
                else:
                    problem("sex", exc)
        else:
            data.sex = sex_from_columns
        # identifiers
        cid_value = self._cell(values, "citizen_id")
        if cid_value not in (None, ""):
            try:
                data.citizen_id = parse_citizen_id(cid_value)
                if data.sex and data.date_of_birth:
                    for exc in check_citizen_id(data.citizen_id, sex=data.sex, born=data.date_of_birth,
                                                year_only=data.year_only, raw=cid_value):
                        problem("citizen_id", exc)
            except FieldProblem as exc:
                problem("citizen_id", exc)
        si_value = self._cell(values, "si_number")
        if si_value not in (None, ""):
            try:
                data.si_number = parse_si_number(si_value)
            except FieldProblem as exc:
                problem("si_number", exc)
        phone_value = self._cell(values, "phone")
        if phone_value not in (None, ""):
            try:
                data.phone = parse_phone(phone_value)
            except FieldProblem as exc:
                problem("phone", exc)
        data.ethnic_minority = self._memo("ethnicity", is_ethnic_minority, self._cell(values, "ethnicity"))
        # place
        hamlet = self._memo("text", clean_text, self._cell(values, "hamlet"))
        district = self._cell(values, "district") if m.has("district") else None
        commune_value = self._cell(values, "commune")
        address_value = self._cell(values, "address")
        try:
            if commune_value not in (None, ""):
                data.commune_id = self._match_commune(commune_value, district)
            elif address_value not in (None, "") and m.has("address"):
                try:
                    data.commune_id, address_hamlet = self.communes.match_address(address_value, district=district)
                    hamlet = hamlet or address_hamlet
                except FieldProblem:
                    if self.default_commune_id is None:
                        raise
                    data.commune_id = self.default_commune_id
            elif self.default_commune_id is not None:
                data.commune_id = self.default_commune_id
            else:
                raise FieldProblem("required")
        except FieldProblem as exc:
            name = "commune" if m.has("commune") else "address" if m.has("address") else "commune"
            if exc.code == "required":
                problems.append(RowError(row, self._label(name), "required", row_message("required", label="xã")))
            else:
                problem(name, exc)
        if data.commune_id is not None:
            data.place = self.communes.canonical(data.commune_id)
            if self.scope is not None and data.commune_id not in self.scope:
                problems.append(RowError(row, self._label("commune" if m.has("commune") else "address"),
                                         "commune_out_of_scope", row_message(
                                             "commune_out_of_scope", value=self.communes.units[data.commune_id].name)))
        if hamlet:
            data.hamlet = self._memo("hamlet", name_normalise, hamlet)
            if len(data.hamlet) > 100:
                problems.append(RowError(row, self._label("hamlet"), "text_too_long", row_message(
                    "text_too_long", label="Tên ấp", other=100)))
        # membership
        data.branch_text = self._memo("text", clean_text, self._cell(values, "branch"))
        data.group_text = self._memo("text", clean_text, self._cell(values, "savings_group"))
        data.role = self._memo("role", parse_role, self._cell(values, "role"))
        if data.role == "branch" and not data.branch_text or data.role == "group" and not data.group_text \
                or data.role == "any" and not (data.branch_text or data.group_text) \
                or data.role == "any" and data.branch_text and data.group_text:
            problems.append(RowError(row, self._label("role"), "role_invalid", row_message(
                "role_invalid", value=display(self._cell(values, "role")))))
        # household
        data.household_code = self._memo("text", clean_text, self._cell(values, "household_code")).upper()
        if len(data.household_code) > 20:
            problems.append(RowError(row, self._label("household_code"), "text_too_long", row_message(
                "text_too_long", label="Mã hộ", other=20)))
        try:
            data.relationship = self._memo("relationship", parse_relationship, self._cell(values, "relationship"))
        except FieldProblem as exc:
            problem("relationship", exc)
        if data.full_name:
            data.is_head = data.relationship == Relationship.HEAD or is_head_marker(
                self._cell(values, "head_name"), full_name=data.full_name)
            if data.is_head:
                data.relationship = Relationship.HEAD
        if not problems:
            data.key = (self._memo("fold", fold, data.full_name), data.date_of_birth, data.place)
        return data, problems

    def _match_commune(self, value, district) -> int:
        cache_key = (value if isinstance(value, str) else repr(value),
                     district if isinstance(district, str) or district is None else repr(district))
        hit = self.commune_cache.get(cache_key)
        if hit is None:
            try:
                hit = (self.communes.match(value, district=district), None)
            except FieldProblem as exc:
                hit = (None, exc)
            self.commune_cache[cache_key] = hit
        if hit[1] is not None:
            raise hit[1]
        return hit[0]
