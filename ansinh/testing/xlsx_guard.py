"""The test suite's guard against live formulas: every workbook saved during a test is scanned; a formula
cell fails the test (An Sinh writes no formulas, see ``ansinh.core.xlsx``). Workbooks that tests
write themselves (input files, which may hold formulas on purpose) are not scanned: only a save called
from An Sinh's own code (under ``ansinh/``, outside ``tests/`` and ``ansinh/testing``)."""

import io
import os
import sys
from pathlib import Path

from ansinh.core.xlsx import workbook_formulas


_PACKAGE = Path(__file__).resolve().parent.parent


def _from_ansinh(filename: str) -> bool:
    path = Path(filename).resolve()
    if not path.is_relative_to(_PACKAGE) or path.is_relative_to(_PACKAGE / "testing"):
        return False
    return "tests" not in path.relative_to(_PACKAGE).parts


class FormulaWritten(AssertionError):
    pass


def _saved_bytes(target, start: int | None) -> bytes | None:
    if isinstance(target, (str, os.PathLike)):
        with open(target, "rb") as f:
            return f.read()
    if isinstance(target, io.BytesIO):
        return target.getvalue()[start or 0:]
    try:  # an open binary file (a temporary file behind a download)
        end = target.tell()
        target.seek(start or 0)
        data = target.read(end - (start or 0))
        target.seek(end)
        return data
    except (AttributeError, OSError, ValueError):
        return None


def guarded_save(original_save):
    def save(self, filename):
        if not _from_ansinh(sys._getframe(1).f_code.co_filename):
            return original_save(self, filename)
        start = None
        if not isinstance(filename, (str, os.PathLike)):
            try:
                start = filename.tell()
            except (AttributeError, OSError, ValueError):
                start = None
        result = original_save(self, filename)
        data = _saved_bytes(filename, start)
        if data:
            sheets = workbook_formulas(data)
            if sheets:
                raise FormulaWritten(f"workbook written with formula cells in {', '.join(sheets)}")
        return result

    return save
