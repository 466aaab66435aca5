"""The rejected rows of an import as an .xlsx, ready to fix and import again."""

import datetime
import os
import tempfile

from .fields import clean_text
from .rows import RowError


class RejectedRowsFile:
    """The rejected rows as an .xlsx, written as the import goes (memory stays flat): the original
    header and cells, the row number in the original file and the reasons, ready to fix and import
    again (the "Dòng gốc" and "Lỗi" columns are ignored when it is imported)."""

    def __init__(self, header_values: list, id_columns: set[int]):
        self.header_values = header_values
        self.id_columns = id_columns
        self.wb = None
        self.ws = None
        self.count = 0

    def _open(self, width: int) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        from ansinh.core.xlsx import text_cell

        self.wb = Workbook(write_only=True)
        self.ws = self.wb.create_sheet("Dòng bị từ chối")
        self.width = max(width, len(self.header_values))
        bold = Font(bold=True)
        header = []
        for i in range(self.width):
            text = clean_text(self.header_values[i]) if i < len(self.header_values) else ""
            header.append(text)
        header += ["Dòng gốc", "Lỗi"]
        cells = []
        for text in header:
            cell = text_cell(self.ws, text)
            cell.font = bold
            cells.append(cell)
        self.ws.append(cells)

    def add(self, row: int, values: list, problems: list[RowError]) -> None:
        from openpyxl.cell import WriteOnlyCell

        from ansinh.core.xlsx import safe_value, text_cell

        if self.ws is None:
            self._open(len(values))
        self.count += 1
        out = []
        for i in range(self.width):
            v = values[i] if i < len(values) else None
            if isinstance(v, str):
                v = clean_text(v)
            elif i in self.id_columns and isinstance(v, (int, float)) and not isinstance(v, bool):
                v = str(int(v))
            if isinstance(v, (datetime.date, datetime.datetime)):
                cell = WriteOnlyCell(self.ws, value=v)
                cell.number_format = "DD/MM/YYYY"
                out.append(cell)
            else:
                out.append(safe_value(self.ws, v))  # a cell "=HYPERLINK(…)" comes back as text, not a formula
        out.append(row)
        out.append(text_cell(self.ws, "; ".join(f"{p.column}: {p.message}" if p.column else p.message
                                                for p in problems)))
        self.ws.append(out)

    def finish(self) -> bytes | None:
        if self.wb is None:
            return None
        fd, tmp = tempfile.mkstemp(suffix=".xlsx")
        os.close(fd)
        try:
            self.wb.save(tmp)
            with open(tmp, "rb") as f:
                return f.read()
        finally:
            os.unlink(tmp)
            self.wb = None


def write_rejected_file(importer) -> bytes | None:
    """The rejected rows file of a finished run (None when no row was rejected)."""
    if importer.rejected_file is None:
        return None
    if importer._rejected_bytes is None:
        importer._rejected_bytes = importer.rejected_file.finish()
    return importer._rejected_bytes
