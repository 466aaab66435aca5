"""Legal parameters: strict loading of the dated YAML files, lookup by date, runtime additions.

Layout: one file per parameter under ``ansinh/rules/parameters/``; the folder tree is the namespace
(``vsi/contribution_rate.yaml`` is ``vsi.contribution_rate``). A file holds::

    label: <short Vietnamese name shown next to the number>
    description: <what it is, in English, for developers>
    description_vi: <what it is, in plain Vietnamese, for the pages>
    value_labels: <optional, unit "code" only: {code: Vietnamese name shown instead of the code}>
    unit: <one of parameter_units.UNITS>
    notes: <optional: open points, how to read it>
    values:
      2024-07-01:                      # the date the value takes effect, in increasing order
        value: 1234000                 # null ends the parameter
        confidence: published          # published | second-hand | reported
        note: <optional>
        reference: {document: Decree 73/2024/NĐ-CP, article: Art 3, link: https://..., note: ...}

A folder may hold ``_family.yaml`` (label, description, unit, family_key, optional notes): its files
are members (``vsi/local_support/<province_code>.yaml``) and a member may be created at runtime by
``with_extra_values``. Anything else (unknown keys, a missing reference or unit, a unit not allowed,
dates out of order or impossible, a value not fitting its unit, an alias to nowhere) raises
ParameterError when the files are loaded.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import parameter_units
from .dates import ISO_DATE_RE, format_date_vi
from .errors import NO_PARAMETER_FOR_DATE, ParameterError, RuleError
from .parameter_checks import MAX_CHANGE_PCT, ZERO_REFUSED_UNITS, check_history, value_change_pct  # noqa: F401 (re-exported)
from .parameter_yaml import read_yaml

PARAMETERS_DIR = Path(__file__).with_name("parameters")
FAMILY_FILE = "_family.yaml"
FAMILY_KEY_LABELS_VI = {"province_code": "mã tỉnh"}
"""How a family member's key is named in its label: «… (mã tỉnh 92)»."""
CONFIDENCES = ("published", "second-hand", "reported")
"""From the most to the least certain."""

FILE_KEYS_REQUIRED = frozenset({"label", "description", "unit", "values"})
FILE_KEYS = FILE_KEYS_REQUIRED | {"notes", "description_vi", "value_labels"}
FAMILY_KEYS_REQUIRED = frozenset({"label", "description", "unit", "family_key"})
FAMILY_KEYS = FAMILY_KEYS_REQUIRED | {"notes", "description_vi"}
VALUE_KEYS_REQUIRED = frozenset({"value", "reference", "confidence"})
VALUE_KEYS = VALUE_KEYS_REQUIRED | {"note", "change_reason"}
REFERENCE_KEYS = frozenset({"document", "article", "link", "note"})


def weakest_confidence(confidences: Iterable[str]) -> str:
    """The least certain of some confidences ('published' when there are none)."""
    return max(confidences, key=CONFIDENCES.index, default=CONFIDENCES[0])


@dataclass(frozen=True)
class Reference:
    """The legal basis of one value: a document, optionally an article, a link and a note."""

    document: str
    article: str | None = None
    link: str | None = None
    note: str | None = None

    def text(self) -> str:
        """As cited in Vietnamese: the article first ("Điều 3 Nghị định 73/2024/NĐ-CP")."""
        return f"{self.article} {self.document}" if self.article else self.document

    def to_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass(frozen=True)
class DatedValue:
    """One value of a parameter from `start` on; `value` None ends the parameter."""

    start: date
    value: Any
    reference: Reference
    confidence: str
    note: str | None = None
    origin: str = "file"
    change_reason: str | None = None
    """Why a change larger than MAX_CHANGE_PCT from the value before is right (the confirmation)."""

    def to_dict(self) -> dict:
        data = {
            "start": self.start.isoformat(),
            "value": parameter_units.json_value(self.value),
            "reference": self.reference.to_dict(),
            "confidence": self.confidence,
            "origin": self.origin,
        }
        if self.note:
            data["note"] = self.note
        if self.change_reason:
            data["change_reason"] = self.change_reason
        return data


@dataclass(frozen=True)
class Parameter:
    """A legal parameter and its whole dated history."""

    name: str
    label: str
    description: str
    unit: str
    values: tuple[DatedValue, ...]
    notes: str | None = None
    family: str | None = None
    description_vi: str | None = None
    value_labels: Mapping[str, str] | None = None
    _starts: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_starts", tuple(v.start for v in self.values))

    def find(self, on: date) -> DatedValue | None:
        """The dated value in force on `on` (possibly an ending null), None before the first."""
        index = bisect_right(self._starts, on) - 1
        return self.values[index] if index >= 0 else None

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "description": self.description,
            "unit": self.unit,
            "notes": self.notes,
            "family": self.family,
            "description_vi": self.description_vi,
            "value_labels": dict(self.value_labels) if self.value_labels else None,
            "values": [v.to_dict() for v in self.values],
        }


@dataclass(frozen=True)
class Family:
    """A folder of parameters keyed by e.g. a province code; members may be added at runtime."""

    name: str
    label: str
    description: str
    unit: str
    family_key: str
    notes: str | None = None
    description_vi: str | None = None

    def new_member(self, key: str) -> Parameter:
        return Parameter(
            name=f"{self.name}.{key}",
            label=f"{self.label} ({FAMILY_KEY_LABELS_VI.get(self.family_key, self.family_key)} {key})",
            description=self.description,
            unit=self.unit,
            values=(),
            notes=self.notes,
            family=self.name,
            description_vi=self.description_vi,
        )

    def to_dict(self) -> dict:
        return dict(vars(self))


@dataclass(frozen=True)
class Resolved:
    """A parameter value looked up for a date; for an alias, `target` is the parameter it names."""

    parameter: Parameter
    dated: DatedValue
    target: Resolved | None = None

    @property
    def name(self) -> str:
        return self.parameter.name

    @property
    def value(self):
        return self.target.value if self.target else self.dated.value

    @property
    def unit(self) -> str:
        return self.target.unit if self.target else self.parameter.unit

    @property
    def confidence(self) -> str:
        own = self.dated.confidence
        return weakest_confidence([own, self.target.confidence]) if self.target else own

    def references(self) -> list[str]:
        own = [self.dated.reference.text()]
        return own + self.target.references() if self.target else own

    def to_dict(self) -> dict:
        """The 'parameter used' entry of a breakdown line."""
        if self.target:
            data = self.target.to_dict()
            selector = {
                "name": self.name,
                "since": self.dated.start.isoformat(),
                "reference": self.dated.reference.text(),
                "confidence": self.dated.confidence,
            }
            data["selected_by"] = [selector, *data.get("selected_by", [])]
            return data
        return {
            "name": self.name,
            "label": self.parameter.label,
            "value": parameter_units.json_value(self.dated.value),
            "unit": self.parameter.unit,
            "since": self.dated.start.isoformat(),
            "reference": self.dated.reference.text(),
            "confidence": self.dated.confidence,
            "origin": self.dated.origin,
        }


class ParameterSet:
    """All parameters, immutable. Obtain the packaged one with `default_parameters()`.

    `get(name, on)` -> Resolved, raising RuleError('no_parameter_for_date') before the first value or
    after an ending null; `with_extra_values(...)` -> a new set with dated values added at runtime;
    `history()` -> every parameter with its full history, for a page listing them.
    """

    def __init__(self, parameters: Mapping[str, Parameter], families: Mapping[str, Family]):
        self._parameters = MappingProxyType(dict(parameters))
        self._families = MappingProxyType(dict(families))
        self._check_aliases()

    def _check_aliases(self) -> None:
        """Every alias names an existing parameter, and no chain of aliases loops."""
        for parameter in self._parameters.values():
            if parameter.unit == "alias":
                self._alias_targets(parameter, seen=(parameter.name,))

    def _alias_targets(self, parameter: Parameter, seen: tuple[str, ...]) -> None:
        for dated in parameter.values:
            if dated.value is None:
                continue
            target = self._parameters.get(dated.value)
            if target is None:
                raise ParameterError(f"{parameter.name} on {dated.start}: alias to unknown {dated.value!r}")
            if target.name in seen:
                raise ParameterError(f"aliases loop: {' -> '.join(seen + (target.name,))}")
            if target.unit == "alias":
                self._alias_targets(target, seen + (target.name,))

    def names(self) -> list[str]:
        return sorted(self._parameters)

    def __contains__(self, name: str) -> bool:
        return name in self._parameters

    def parameter(self, name: str) -> Parameter:
        """The parameter named `name`; an undeclared family member is returned empty."""
        found = self._parameters.get(name)
        if found is not None:
            return found
        prefix, _, key = name.rpartition(".")
        family = self._families.get(prefix)
        if family is not None and parameter_units.CODE_RE.match(key):
            return family.new_member(key)
        raise ParameterError(f"unknown parameter {name!r}")

    def find(self, name: str, on: date) -> Resolved | None:
        """Like get() but None when no value is in force (e.g. no local support for a province)."""
        parameter = self.parameter(name)
        dated = parameter.find(on)
        if dated is None or dated.value is None:
            return None
        if parameter.unit == "alias":
            return Resolved(parameter, dated, self.get(dated.value, on))
        return Resolved(parameter, dated)

    def get(self, name: str, on: date) -> Resolved:
        """The value of `name` in force on `on`; RuleError('no_parameter_for_date') if there is none."""
        resolved = self.find(name, on)
        if resolved is None:
            parameter = self.parameter(name)
            dated = parameter.find(on)
            message = (
                f"Tham số «{parameter.label}» đã hết hiệu lực từ ngày {format_date_vi(dated.start)}."
                if dated is not None
                else f"Chưa có giá trị của tham số «{parameter.label}» áp dụng cho ngày {format_date_vi(on)}."
            )
            raise RuleError(
                NO_PARAMETER_FOR_DATE,
                message,
                parameter=name,
                on=on,
                first_date=parameter.values[0].start if parameter.values else None,
            )
        return resolved

    def value(self, name: str, on: date):
        """Shortcut for get(name, on).value."""
        return self.get(name, on).value

    def with_extra_values(self, extra: Mapping[str, Iterable]) -> ParameterSet:
        """A new ParameterSet with dated values added (e.g. stored in the database by an officer).

        `extra` maps a parameter name (an existing one, or a member of a family such as
        ``vsi.local_support.92``) to dated values, each either a tuple
        ``(start, value, reference, confidence)`` (optionally a 5th item: note) or a mapping with
        those keys. `start` is a date or ISO text; `reference` a document name or a mapping
        {document, article, link, note}; `confidence` published | second-hand | reported. A value on
        the same date as an existing one replaces it; the result is checked as strictly as the files,
        so a bad value raises ParameterError. The values keep origin='runtime' in the history.
        """
        parameters = dict(self._parameters)
        for name, items in extra.items():
            parameter = self.parameter(name)
            where = f"runtime value of {name}"
            added = {}
            for item in items:
                dated = _runtime_dated_value(item, parameter.unit, where)
                if dated.start in added:
                    raise ParameterError(f"{where}: two values dated {dated.start}")
                added[dated.start] = dated
            merged = {v.start: v for v in parameter.values} | added
            values = tuple(merged[start] for start in sorted(merged))
            if values and values[0].value is None:
                raise ParameterError(f"{where}: the first value cannot be null")
            check_history(parameter.unit, values, where)
            parameters[name] = replace(parameter, values=values)
        return ParameterSet(parameters, self._families)

    def history(self) -> list[dict]:
        """Every parameter with description, unit, notes and all dated values (JSON-friendly)."""
        return [self._parameters[name].to_dict() for name in self.names()]

    def families(self) -> list[dict]:
        """The declared families (e.g. local support per province), members listed in history()."""
        return [self._families[name].to_dict() for name in sorted(self._families)]


def _check_keys(data, required: frozenset, allowed: frozenset, where: str) -> None:
    if not isinstance(data, Mapping):
        raise ParameterError(f"{where}: expected a mapping, got {type(data).__name__}")
    unknown = set(data) - allowed
    if unknown:
        raise ParameterError(f"{where}: unknown keys {sorted(map(str, unknown))}")
    missing = required - set(data)
    if missing:
        raise ParameterError(f"{where}: missing keys {sorted(missing)}")


def _text(raw, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ParameterError(f"{where}: expected non-empty text, got {raw!r}")
    return raw.strip()


def _reference(raw, where: str) -> Reference:
    if isinstance(raw, str):
        raw = {"document": raw}
    _check_keys(raw, frozenset({"document"}), REFERENCE_KEYS, f"{where} reference")
    return Reference(**{k: _text(v, f"{where} reference.{k}") for k, v in raw.items() if v is not None})


def _start(raw, where: str) -> date:
    if isinstance(raw, datetime) or not isinstance(raw, (date, str)):
        raise ParameterError(f"{where}: a value must be keyed by a date YYYY-MM-DD, got {raw!r}")
    if isinstance(raw, str):
        if not ISO_DATE_RE.match(raw):
            raise ParameterError(f"{where}: a value must be keyed by a date YYYY-MM-DD, got {raw!r}")
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ParameterError(f"{where}: impossible date {raw!r}") from None
    return raw


def _dated_value(start, raw, unit: str, where: str, origin: str) -> DatedValue:
    where = f"{where} {start}"
    _check_keys(raw, VALUE_KEYS_REQUIRED, VALUE_KEYS, where)
    confidence = raw["confidence"]
    if confidence not in CONFIDENCES:
        raise ParameterError(f"{where}: confidence must be one of {CONFIDENCES}, got {confidence!r}")
    value = raw["value"]
    if value is not None:
        try:
            value = parameter_units.check_value(unit, value)
        except ValueError as error:
            raise ParameterError(f"{where}: {error}") from None
    note = _text(raw["note"], f"{where} note") if raw.get("note") is not None else None
    reason = raw.get("change_reason")
    reason = _text(reason, f"{where} change_reason") if reason is not None and reason != "" else None
    return DatedValue(start, value, _reference(raw["reference"], where), confidence, note, origin, reason)


def _runtime_dated_value(item, unit: str, where: str) -> DatedValue:
    if isinstance(item, Mapping):
        raw = dict(item)
        start = raw.pop("start", None)
    elif isinstance(item, (tuple, list)) and len(item) in (4, 5):
        start, raw = item[0], dict(zip(("value", "reference", "confidence", "note"), item[1:]))
    else:
        raise ParameterError(f"{where}: expected (start, value, reference, confidence[, note]), got {item!r}")
    return _dated_value(_start(start, where), raw, unit, where, origin="runtime")


def _parameter_from_file(name: str, data, where: str, family: Family | None) -> Parameter:
    _check_keys(data, FILE_KEYS_REQUIRED, FILE_KEYS, where)
    unit = data["unit"]
    if unit not in parameter_units.UNITS:
        raise ParameterError(f"{where}: unit {unit!r} is not one of {sorted(parameter_units.UNITS)}")
    if family is not None and unit != family.unit:
        raise ParameterError(f"{where}: unit {unit!r} differs from its family's {family.unit!r}")
    raw_values = data["values"]
    if not isinstance(raw_values, Mapping) or not raw_values:
        raise ParameterError(f"{where}: 'values' must be a non-empty mapping of dates")
    values = []
    for raw_start, raw in raw_values.items():
        start = _start(raw_start, where)
        if values and start <= values[-1].start:
            raise ParameterError(f"{where}: date {start} is not after {values[-1].start} (keep dates in order)")
        values.append(_dated_value(start, raw, unit, where, origin="file"))
    if values[0].value is None:
        raise ParameterError(f"{where}: the first value cannot be null")
    check_history(unit, tuple(values), where)
    notes = _text(data["notes"], f"{where} notes") if data.get("notes") is not None else None
    return Parameter(
        description_vi=_optional_text(data, "description_vi", where),
        value_labels=_value_labels(data.get("value_labels"), unit, where),
        name=name,
        label=_text(data["label"], f"{where} label"),
        description=_text(data["description"], f"{where} description"),
        unit=unit,
        values=tuple(values),
        notes=notes,
        family=family.name if family else None,
    )


def _family_from_file(name: str, data, where: str) -> Family:
    _check_keys(data, FAMILY_KEYS_REQUIRED, FAMILY_KEYS, where)
    if data["unit"] not in parameter_units.UNITS or data["unit"] == "alias":
        raise ParameterError(f"{where}: unit {data['unit']!r} is not allowed for a family")
    return Family(
        name=name,
        label=_text(data["label"], f"{where} label"),
        description=_text(data["description"], f"{where} description"),
        unit=data["unit"],
        family_key=parameter_units.code(data["family_key"]),
        notes=_text(data["notes"], f"{where} notes") if data.get("notes") is not None else None,
        description_vi=_optional_text(data, "description_vi", where),
    )


def _optional_text(data, key: str, where: str) -> str | None:
    return _text(data[key], f"{where} {key}") if data.get(key) is not None else None


def _value_labels(raw, unit: str, where: str) -> Mapping[str, str] | None:
    """The Vietnamese names of a code parameter's values; refused on other units."""
    if raw is None:
        return None
    if unit != "code" or not isinstance(raw, Mapping):
        raise ParameterError(f"{where}: value_labels is a mapping, and only for the unit 'code'")
    return MappingProxyType({str(k): _text(v, f"{where} value_labels {k}") for k, v in raw.items()})


def _dotted(relative: Path) -> str:
    parts = list(relative.parent.parts) + ([] if relative.name == FAMILY_FILE else [relative.stem])
    for part in parts:
        if not parameter_units.CODE_RE.match(part):
            raise ParameterError(f"{relative}: {part!r} is not a valid name (lower-case letters, digits, _)")
    if len(parts) < 2:
        raise ParameterError(f"{relative}: a parameter must live in a folder (its namespace)")
    return ".".join(parts)


def load_parameters(root: Path = PARAMETERS_DIR) -> ParameterSet:
    """Load and check every parameter file under `root`; raise ParameterError on the first defect."""
    root = Path(root)
    if not root.is_dir():
        raise ParameterError(f"{root}: the parameter folder does not exist")
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
    for path in files:
        if path.suffix == ".yml":
            raise ParameterError(f"{path}: parameter files end in .yaml")
        if path.suffix == ".yaml" and path.name.startswith("_") and path.name != FAMILY_FILE:
            raise ParameterError(f"{path}: unknown special file (only {FAMILY_FILE} is allowed)")
    families = {}
    for path in (p for p in files if p.name == FAMILY_FILE):
        name = _dotted(path.relative_to(root))
        families[name] = _family_from_file(name, read_yaml(path), str(path))
    parameters = {}
    for path in (p for p in files if p.suffix == ".yaml" and p.name != FAMILY_FILE):
        name = _dotted(path.relative_to(root))
        if name in families:
            raise ParameterError(f"{path}: {name} is both a family and a parameter")
        family = families.get(name.rpartition(".")[0])
        parameters[name] = _parameter_from_file(name, read_yaml(path), str(path), family)
    return ParameterSet(parameters, families)


@functools.cache
def default_parameters() -> ParameterSet:
    """The packaged parameters, loaded once per process (then cached)."""
    return load_parameters(PARAMETERS_DIR)
