"""A strict YAML reader for parameter files: duplicate keys refused, decimals read as Decimal."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from .errors import ParameterError

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_Base):
    """SafeLoader that refuses duplicate keys and never builds a float."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode):
    loader.flatten_mapping(node)
    result = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise ParameterError(f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")
        result[key] = loader.construct_object(value_node, deep=True)
    return result


def _decimal(loader: _StrictLoader, node: yaml.ScalarNode) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ParameterError(f"not a finite decimal: {text!r} at line {node.start_mark.line + 1}")
    return value


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


def read_yaml(path: Path):
    """The document of one YAML file; any YAML or date error becomes a ParameterError naming the file."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except ParameterError as error:
        raise ParameterError(f"{path}: {error}") from None
    except (yaml.YAMLError, ValueError) as error:  # ValueError: an impossible date such as 2024-02-30
        raise ParameterError(f"{path}: unreadable YAML: {error}") from None
