"""Adding a dated parameter value at runtime (who and when recorded; append-only)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from ansinh.core.formatting import format_date
from ansinh.rules import ParameterError, default_parameters
from ansinh.rules.breakdown import pct_text
from ansinh.rules.errors import RuleError
from ansinh.rules.labels import GROUP_LABELS_VI
from ansinh.rules.parameters import CONFIDENCES, MAX_CHANGE_PCT, value_change_pct
from ansinh.rules.vsi_support import vsi_state_support_choice

from .errors import (
    ALREADY_ADDED,
    CHANGE_NEEDS_REASON,
    LOCAL_SUPPORT_ABOVE_TOTAL,
    CONFIDENCE_INVALID,
    GROUPS_DIFFER,
    LINK_INVALID,
    REFERENCE_REQUIRED,
    VALUE_ZERO,
    REFUSED_BY_LOADER,
    START_NOT_AFTER_LAST,
    START_REQUIRED,
    START_TOO_FAR,
    ParameterValueRefused,
)
from .models import ParameterValue
from .selectors import active_parameters, active_parameters_refresh, parameter_get, parameter_level_check, runtime_extra, runtime_item
from .values import value_json, value_parse

LAST_YEAR = 2100
"""Sanity bound on a start date typed by a person."""


def _refuse(message: str, code: str, field: str | None) -> ParameterValueRefused:
    return ParameterValueRefused(message, code=code, field=field)


@transaction.atomic
def parameter_value_add(
    *,
    user,
    name: str,
    start: date | None,
    value: str,
    reference_document: str,
    confidence: str,
    reference_article: str = "",
    reference_link: str = "",
    reference_note: str = "",
    note: str = "",
    change_reason: str = "",
) -> ParameterValue:
    """Add a dated value to parameter `name` (e.g. the next base salary), recorded with who and when.

    `value` is the text typed for the parameter's unit (2.530.000 for VND, 4,5 for a percent, JSON for
    mappings and lists; see ``values.value_parse``). The new value must start after the parameter's
    last value (files and earlier additions), and the whole set must pass the rules loader's strict
    checks (``ParameterSet.with_extra_values``). Values are never edited or deleted: a correction is a
    later value. A value that moves the number (or a group) by more than ``MAX_CHANGE_PCT`` % from the
    value in force before it needs ``change_reason``: the page asks the person to confirm, and the
    reason is recorded with the value.

    Raises PermissionDenied (without ``parameters.add_parametervalue``, or a level the parameter does not
    allow: ``selectors.parameter_level_check``), UnknownParameter, ParameterValueRefused (Vietnamese message; ``field`` names the input concerned).
    """
    params = active_parameters()
    parameter = parameter_get(name=name, params=params)
    parameter_level_check(user=user, parameter=parameter)
    if start is None:
        raise _refuse(START_REQUIRED, "start_required", "start")
    if parameter.values and start <= parameter.values[-1].start:
        raise _refuse(START_NOT_AFTER_LAST.format(last=format_date(parameter.values[-1].start)),
                      "start_not_after_last", "start")
    if start.year > LAST_YEAR:
        raise _refuse(START_TOO_FAR.format(year=LAST_YEAR), "start_too_far", "start")
    normalised = value_parse(parameter.unit, value)
    _check_like_last(parameter, normalised)
    change_reason = (change_reason or "").strip()
    _check_change(parameter, normalised, change_reason)
    if parameter.family == "vsi.local_support":
        _check_local_support(params, start, normalised)
    reference_document = (reference_document or "").strip()
    if not reference_document:
        raise _refuse(REFERENCE_REQUIRED, "reference_required", "reference_document")
    reference_link = (reference_link or "").strip()
    if reference_link and not reference_link.startswith(("http://", "https://")):
        raise _refuse(LINK_INVALID, "link_invalid", "reference_link")
    if confidence not in CONFIDENCES:
        raise _refuse(CONFIDENCE_INVALID, "confidence_invalid", "confidence")
    record = ParameterValue(
        name=parameter.name, start=start, value_json=value_json(normalised),
        reference_document=reference_document, reference_article=(reference_article or "").strip(),
        reference_link=reference_link, reference_note=(reference_note or "").strip(),
        confidence=confidence, note=(note or "").strip(), change_reason=change_reason, created_by=user,
    )
    _strict_check(record)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise _refuse(ALREADY_ADDED, "already_added", "start") from None
    active_parameters_refresh()
    return record


def _check_like_last(parameter, value) -> None:
    """A new value has the shape of the one in force before it: the same groups (keys) for a value by
    group, and not zero where the last value was not zero (a zero base salary or income step would
    break every price; a parameter is ended by the law, not by a zero)."""
    last = next((v.value for v in reversed(parameter.values) if v.value is not None), None)
    if last is None:
        return
    if isinstance(last, Mapping) and isinstance(value, Mapping) and set(last) != set(value):
        raise _refuse(GROUPS_DIFFER.format(groups=", ".join(sorted(last))), "groups_differ", "value")
    if isinstance(last, (int, Decimal)) and not isinstance(last, bool) and last != 0 and value == 0:
        raise _refuse(VALUE_ZERO, "value_zero", "value")


def _check_change(parameter, value, reason: str) -> None:
    """A change of more than MAX_CHANGE_PCT % from the last value needs a reason (the confirmation)."""
    last = next((v.value for v in reversed(parameter.values) if v.value is not None), None)
    change = value_change_pct(last, value) if last is not None else None
    if change is None or change <= MAX_CHANGE_PCT or reason:
        return
    raise _refuse(CHANGE_NEEDS_REASON.format(pct=pct_text(change.quantize(Decimal("0.1")).normalize()),
                                             share=pct_text(MAX_CHANGE_PCT),
                                             before=_shown(last), after=_shown(value)),
                  "change_needs_reason", "change_reason")


def _check_local_support(params, start: date, value: Mapping) -> None:
    """Local support by group, with the state support of the same group on ``start``, may not pass 100 %
    (rules.md §1; the quote refuses it too, with invalid_request, should a later state value make it so)."""
    try:
        law = params.value("common.social_insurance_law", start)
    except RuleError:
        return
    for group, local in value.items():
        try:
            state = vsi_state_support_choice(start, law, [group], params).pct
        except RuleError:
            continue  # a group the state table does not know: the quote takes 'other'
        if state + local > 100:
            raise _refuse(LOCAL_SUPPORT_ABOVE_TOTAL.format(group=GROUP_LABELS_VI.get(group, group).lower(),
                                                           local=pct_text(local), start=format_date(start),
                                                           state=pct_text(state)),
                          "local_support_above_total", "value")


def _shown(value) -> str:
    """A value as the message shows it: 2.340.000 for a number, the groups for a mapping."""
    if isinstance(value, Mapping):
        return ", ".join(f"{key}: {_shown(v)}" for key, v in value.items())
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    return str(value)


def _strict_check(record: ParameterValue) -> None:
    """The rules loader's check of the files plus every stored value plus this one."""
    extra = runtime_extra(ParameterValue.objects.order_by("name", "start"))
    extra.setdefault(record.name, []).append(runtime_item(record))
    try:
        default_parameters().with_extra_values(extra)
    except ParameterError as error:
        raise _refuse(REFUSED_BY_LOADER.format(detail=error), "refused_by_loader", "value") from None
