"""Building test spreadsheets (made in the test, never shipped): .xlsx with openpyxl, raw .xlsx XML
for cells openpyxl cannot write (cached formula errors, huge strings), CSV in any encoding."""

import csv
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Ấp", "Xã"]


def xlsx(path: Path, rows: list[list], *, header: list | None = HEADER, title: str | None = None,
         date_format: str | None = "DD/MM/YYYY") -> Path:
    """An .xlsx as Excel would save it: optional title row, the header, then the rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    if title:
        ws.append([title])
        ws.append([])
    if header:
        ws.append(header)
    for row in rows:
        ws.append(row)
    if date_format:
        for row in ws.iter_rows():
            for cell in row:
                if cell.is_date:
                    cell.number_format = date_format
    wb.save(path)
    return path


def raw_xlsx(path: Path, rows: list[list], *, shared: bool = True) -> Path:
    """An .xlsx written by hand. A cell may be ("error", "#REF!") for a formula whose cached result is an
    error, ("date", serial) for a date-formatted number, a str, an int/float or None."""
    strings: list[str] = []
    index: dict[str, int] = {}
    body = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{_col(c)}{r}"
            if value is None:
                continue
            if isinstance(value, tuple) and value[0] == "error":
                cells.append(f'<c r="{ref}" t="e"><f>A1/0</f><v>{value[1]}</v></c>')
            elif isinstance(value, tuple) and value[0] == "date":
                cells.append(f'<c r="{ref}" s="1"><v>{value[1]}</v></c>')
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif shared:
                if value not in index:
                    index[value] = len(strings)
                    strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{index[value]}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {ns} xmlns:r="{rel}"><sheets><sheet '
                   'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
                   'Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/styles.xml", f'<?xml version="1.0"?><styleSheet {ns}><cellXfs count="2"><xf numFmtId="0"/>'
                   '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')
        if shared:
            sst = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
            z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst {ns} count="{len(strings)}">{sst}</sst>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet {ns}><sheetData>{"".join(body)}'
                   "</sheetData></worksheet>")
    return path


def _col(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def csv_file(path: Path, rows: list[list], *, header: list | None = HEADER, encoding: str = "utf-8-sig",
             delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def encrypted_xlsx(path: Path, rows: list[list], password: str = "matkhau") -> Path:
    """An .xlsx protected with a password to open (Office agile encryption, via msoffcrypto-tool)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = path.with_suffix(".plain.xlsx")
    xlsx(plain, rows)
    with open(plain, "rb") as src, open(path, "wb") as out:
        OOXMLFile(src).encrypt(password, out)
    plain.unlink()
    return path


def to_cp1258(text: str) -> str:
    """Text as Windows-1258 writes it: letters with their shape (â, ơ...) composed, the tone mark as a
    separate combining character."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in decomposed if c in tones)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        if tone and base + tone != ch and (base + tone).encode("cp1258", errors="ignore") == b"":
            out.append(ch)
        else:
            try:
                ch.encode("cp1258")
                out.append(ch)
            except UnicodeEncodeError:
                out.append(base + tone)
    return "".join(out)
