"""Reading spreadsheet rows lazily from .xlsx, .xls, .ods and .csv files.

- The format is recognised from the content, not the name: a ".xlsx" that is really text is refused.
- .xlsx is read by a streaming parser (``zipfile`` + expat): memory stays flat for a million rows, and
  formula error cells (#REF!, #VALUE!, ...) are seen, which python-calamine reports as empty.
- .xls and .ods (small by nature: .xls stops at 65,536 rows) are read with python-calamine.
- .csv: UTF-16 (with or without BOM), UTF-8 (with or without BOM), else Windows-1258 or Windows-1252;
  delimiter , ; or tab; a stray NUL byte does not make it binary.

Rows are ``(row_number, values)`` with spreadsheet row numbers (1 = first row) and values of type
``str``, ``int``, ``float``, ``bool``, ``datetime.date``/``datetime.datetime`` or ``None``.
File-level problems raise the ``ImportFileError`` subclasses of ``errors``.
"""

import codecs
import csv
import datetime
import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.parsers import expat

from . import errors

CELL_MAX_CHARS = 32_767  # Excel's own limit for one cell; anything longer cannot come from Excel
CHUNK = 1 << 20

Value = str | int | float | bool | datetime.date | None


def column_letter(index: int) -> str:
    """0 -> "A", 27 -> "AB"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _column_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            n = n * 26 + ord(ch) - 96
        else:
            break
    return n - 1


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _too_large(row: int, col: int, length: int) -> errors.CellTooLarge:
    return errors.CellTooLarge(
        f"Ô {column_letter(col)}{row} dài {_number(length)} ký tự, quá giới hạn {_number(CELL_MAX_CHARS)} ký tự của "
        "một ô Excel. Hãy kiểm tra lại tệp.", cell=f"{column_letter(col)}{row}")


def _formula_error(row: int, col: int, value: str) -> errors.FormulaErrorCell:
    return errors.FormulaErrorCell(
        f"Ô {column_letter(col)}{row} có lỗi công thức {value}. Hãy sửa công thức (hoặc dán giá trị) rồi "
        "nhập lại.", cell=f"{column_letter(col)}{row}", value=value)


# --- .xlsx ----------------------------------------------------------------------------------------

_BUILTIN_DATE_FORMATS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def _is_date_format(code: str) -> bool:
    code = _FORMAT_NOISE.sub("", code).lower()
    if code in ("general", "@", ""):
        return False
    return any(ch in code for ch in "dmyhs")


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _parse_xml(stream, start=None, end=None, text=None, on_chunk=None) -> None:
    """Feed a (zip) stream to expat in chunks, calling handlers; ``on_chunk`` after each chunk."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    while True:
        chunk = stream.read(CHUNK)
        try:
            parser.Parse(chunk, not chunk)
        except expat.ExpatError as exc:
            raise errors.CorruptFile() from exc
        if on_chunk:
            yield from on_chunk()
        if not chunk:
            break


class PendingFormula:
    """A formula cell saved without its result (the file was written by a program and never opened in
    Excel): its value cannot be known."""

    def __init__(self, formula: str):
        self.formula = formula

    def __repr__(self):
        return f"PendingFormula({self.formula!r})"


class _TooLargeString:
    """A shared string longer than a cell may be (kept as its length only)."""

    def __init__(self, length: int):
        self.length = length


class SharedStrings:
    """The workbook's shared strings packed in one UTF-8 buffer with offsets: a million rows of
    distinct names, IDs and phone numbers stay in tens of megabytes instead of hundreds."""

    def __init__(self):
        from array import array

        self.buffer = bytearray()
        self.offsets = array("Q", [0])
        self.too_large: dict[int, int] = {}

    def append(self, text: str) -> None:
        self.buffer += text.encode("utf-8")
        self.offsets.append(len(self.buffer))

    def append_too_large(self, length: int) -> None:
        self.too_large[len(self.offsets) - 1] = length
        self.offsets.append(len(self.buffer))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index: int):
        if index < 0 or index >= len(self.offsets) - 1:
            raise IndexError(index)
        if index in self.too_large:
            return _TooLargeString(self.too_large[index])
        return self.buffer[self.offsets[index]:self.offsets[index + 1]].decode("utf-8")


@dataclass
class SheetInfo:
    name: str
    visible: bool


class XlsxBook:
    """A streaming reader of an .xlsx workbook."""

    def __init__(self, path):
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise errors.CorruptFile() from exc
        self.names = set(self.zip.namelist())
        workbook_path = self._office_document()
        self.base = workbook_path.rpartition("/")[0]
        self.date1904 = False
        self.sheets: list[tuple[SheetInfo, str]] = []
        self._read_workbook(workbook_path)
        self._shared: SharedStrings | None = None
        self._date_styles: list[bool] | None = None

    def _read_part(self, name: str) -> bytes:
        try:
            return self.zip.read(name)
        except (KeyError, zipfile.BadZipFile, OSError, EOFError) as exc:
            raise errors.CorruptFile() from exc

    def _office_document(self) -> str:
        target = "xl/workbook.xml"
        if "_rels/.rels" in self.names:
            for rel in _relationships(self._read_part("_rels/.rels")).values():
                if rel[0].endswith("/officeDocument"):
                    target = rel[1].lstrip("/")
        if target not in self.names:
            raise errors.CorruptFile()
        return target

    def _resolve(self, target: str) -> str:
        if target.startswith("/"):
            return target.lstrip("/")
        parts = (self.base + "/" + target).split("/") if self.base else target.split("/")
        out: list[str] = []
        for part in parts:
            if part == "..":
                if out:
                    out.pop()
            elif part and part != ".":
                out.append(part)
        return "/".join(out)

    def _read_workbook(self, workbook_path: str) -> None:
        rels_path = f"{self.base}/_rels/{workbook_path.rpartition('/')[2]}.rels"
        rels = _relationships(self._read_part(rels_path)) if rels_path in self.names else {}
        sheets: list[tuple[str, str, str]] = []
        rel_types = {rid: rel[0] for rid, rel in rels.items()}

        def start(name, attrs):
            local = _local(name)
            if local == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
                sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), rid))
            elif local == "workbookPr":
                self.date1904 = attrs.get("date1904", "0") in ("1", "true")

        list(_parse_xml(io.BytesIO(self._read_part(workbook_path)), start=start))
        for name, state, rid in sheets:
            if rid in rels and rel_types[rid].endswith("/worksheet"):
                path = self._resolve(rels[rid][1])
                if path in self.names:
                    self.sheets.append((SheetInfo(name=name, visible=state == "visible"), path))

    def _shared_strings(self) -> SharedStrings:
        if self._shared is not None:
            return self._shared
        shared = SharedStrings()
        path = next((n for n in self.names if n.lower() == f"{self.base}/sharedstrings.xml".lower()), None)
        if path:
            state = {"depth_rph": 0, "in_t": False, "parts": [], "length": 0}

            def start(name, attrs):
                local = _local(name)
                if local == "si":
                    state["parts"], state["length"] = [], 0
                elif local == "rPh":
                    state["depth_rph"] += 1
                elif local == "t" and not state["depth_rph"]:
                    state["in_t"] = True

            def end(name):
                local = _local(name)
                if local == "si":
                    if state["length"] > CELL_MAX_CHARS:
                        shared.append_too_large(state["length"])
                    else:
                        shared.append("".join(state["parts"]))
                elif local == "rPh":
                    state["depth_rph"] -= 1
                elif local == "t":
                    state["in_t"] = False

            def text(data):
                if state["in_t"]:
                    state["length"] += len(data)
                    if state["length"] <= CELL_MAX_CHARS:
                        state["parts"].append(data)

            with self.zip.open(path) as stream:
                list(_parse_xml(stream, start=start, end=end, text=text))
        self._shared = shared
        return shared

    def _styles(self) -> list[bool]:
        if self._date_styles is not None:
            return self._date_styles
        formats: dict[int, str] = {}
        xfs: list[int] = []
        path = next((n for n in self.names if n.lower() == f"{self.base}/styles.xml".lower()), None)
        if path:
            depth = {"cellXfs": 0}

            def start(name, attrs):
                local = _local(name)
                if local == "numFmt":
                    try:
                        formats[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
                    except ValueError:
                        pass
                elif local == "cellXfs":
                    depth["cellXfs"] += 1
                elif local == "xf" and depth["cellXfs"]:
                    try:
                        xfs.append(int(attrs.get("numFmtId", "0")))
                    except ValueError:
                        xfs.append(0)

            def end(name):
                if _local(name) == "cellXfs":
                    depth["cellXfs"] -= 1

            list(_parse_xml(io.BytesIO(self._read_part(path)), start=start, end=end))
        self._date_styles = [
            fid in _BUILTIN_DATE_FORMATS or (fid in formats and _is_date_format(formats[fid])) for fid in xfs
        ]
        return self._date_styles

    def rows(self, sheet_path: str) -> Iterator[tuple[int, list[Value]]]:
        """Stream the rows of one worksheet."""
        shared = self._shared_strings()
        date_styles = self._styles()
        epoch = datetime.datetime(1904, 1, 1) if self.date1904 else datetime.datetime(1899, 12, 30)
        ready: list[tuple[int, list[Value]]] = []
        convert = self._cell
        local_names: dict[str, str] = {}
        row = 0
        cells: list[Value] = []
        col = -1
        kind = "n"
        style = 0
        in_value = False
        in_is = False
        in_formula = False
        formula: list[str] | None = None
        rph = 0
        parts: list[str] = []
        length = 0
        next_col = 0

        def start(name, attrs):
            nonlocal row, cells, col, kind, style, in_value, in_is, rph, parts, length, next_col, formula, in_formula
            local = local_names.get(name)
            if local is None:
                local = local_names[name] = _local(name)
            if local == "c":
                ref = attrs.get("r")
                col = _column_index(ref) if ref else next_col
                kind = attrs.get("t", "n")
                s = attrs.get("s")
                style = int(s) if s else 0
                parts = []
                length = 0
                formula = None
            elif local == "f":
                formula = []
                in_formula = True
            elif local == "v":
                in_value = True
            elif local == "t":
                in_value = in_is and not rph
            elif local == "is":
                in_is = True
            elif local == "rPh":
                rph += 1
            elif local == "row":
                r = attrs.get("r")
                row = int(r) if r else row + 1
                cells = []
                next_col = 0

        def end(name):
            nonlocal in_value, in_is, rph, next_col, in_formula
            local = local_names[name]
            if local == "c":
                next_col = col + 1
                if length > CELL_MAX_CHARS:
                    raise _too_large(row, col, length)
                if formula is not None and not parts:
                    if col >= len(cells):
                        cells.extend([None] * (col - len(cells) + 1))
                    cells[col] = PendingFormula("".join(formula))
                elif parts:
                    value = convert(parts[0] if len(parts) == 1 else "".join(parts), kind, style, row, col,
                                    shared, date_styles, epoch)
                    if value is not None and value != "":
                        if col >= len(cells):
                            cells.extend([None] * (col - len(cells) + 1))
                        cells[col] = value
            elif local == "v" or local == "t":
                in_value = False
            elif local == "f":
                in_formula = False
            elif local == "row":
                ready.append((row, cells))
            elif local == "is":
                in_is = False
            elif local == "rPh":
                rph -= 1

        def text(data):
            nonlocal length
            if in_value:
                length += len(data)
                if length <= CELL_MAX_CHARS:
                    parts.append(data)
            elif in_formula and formula is not None and len(formula) < 100:
                formula.append(data)

        def flush():
            out = list(ready)
            ready.clear()
            return out

        with self.zip.open(sheet_path) as stream:
            yield from _parse_xml(stream, start=start, end=end, text=text, on_chunk=flush)

    def _cell(self, raw, kind, style, row, col, shared, date_styles, epoch) -> Value:
        if raw is None:
            return None
        if kind == "s":
            try:
                value = shared[int(raw)]
            except (ValueError, IndexError) as exc:
                raise errors.CorruptFile() from exc
            if isinstance(value, _TooLargeString):
                raise _too_large(row, col, value.length)
            return value
        if kind in ("str", "inlineStr"):
            return raw
        if kind == "e":
            raise _formula_error(row, col, raw.strip())
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            try:
                return datetime.datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        try:
            number = float(raw)
        except ValueError:
            return raw
        if style < len(date_styles) and date_styles[style] and 0 <= number < 2958466:
            moment = epoch + datetime.timedelta(days=number)
            if epoch.year == 1899 and number < 61:
                moment += datetime.timedelta(days=1)  # Excel's 1900 leap-year bug
            return moment.date() if moment.time() == datetime.time() else moment
        return int(number) if number.is_integer() and abs(number) < 2**53 else number

    def close(self) -> None:
        self.zip.close()


def _relationships(data: bytes) -> dict[str, tuple[str, str]]:
    rels: dict[str, tuple[str, str]] = {}

    def start(name, attrs):
        if _local(name) == "Relationship":
            rels[attrs.get("Id", "")] = (attrs.get("Type", ""), attrs.get("Target", ""))

    list(_parse_xml(io.BytesIO(data), start=start))
    return rels


# --- .xls / .ods (python-calamine) ---------------------------------------------------------------

class CalamineBook:
    def __init__(self, path):
        import python_calamine

        try:
            self.book = python_calamine.CalamineWorkbook.from_path(str(path))
        except python_calamine.PasswordError as exc:
            raise errors.EncryptedFile() from exc
        except Exception as exc:  # calamine raises several error classes for unreadable files
            raise errors.CorruptFile() from exc
        self.sheets = [
            (SheetInfo(name=m.name, visible=str(m.visible).endswith("Visible")), m.name)
            for m in self.book.sheets_metadata if str(m.typ).endswith("WorkSheet")
        ]

    def rows(self, sheet_name: str) -> Iterator[tuple[int, list[Value]]]:
        try:
            sheet = self.book.get_sheet_by_name(sheet_name)
        except Exception as exc:
            raise errors.CorruptFile() from exc
        start_row = sheet.start[0] if sheet.start else 0
        start_col = sheet.start[1] if sheet.start else 0
        for offset, values in enumerate(sheet.iter_rows()):
            row = start_row + offset + 1
            cells: list[Value] = [None] * start_col
            for col, value in enumerate(values, start=start_col):
                if isinstance(value, str):
                    if len(value) > CELL_MAX_CHARS:
                        raise _too_large(row, col, len(value))
                    value = value or None
                elif isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
                    value = int(value)
                elif isinstance(value, (datetime.time, datetime.timedelta)):
                    value = str(value)
                cells.append(value)
            yield row, cells

    def close(self) -> None:
        self.book.close()


# --- .csv -----------------------------------------------------------------------------------------

_CP1258_TONE_BYTES = frozenset(b"\xcc\xd2\xde\xec\xf2")


def _utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" for text whose every other byte is mostly NUL (UTF-16 of Latin text)."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


def _text_encoding(sample: bytes) -> str | None:
    """The encoding a byte order mark or a UTF-16 byte pattern names, None otherwise."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return _utf16_without_bom(sample[:4096])


def _too_many_nul(sample: bytes) -> bool:
    """A binary file, not text: more than 1 byte in 100 is NUL (a few stray NULs in cells are fine)."""
    return sample.count(0) > max(len(sample) // 100, 16)


def _csv_encoding(path) -> str:
    """UTF-16 (with or without byte order mark), UTF-8 (with or without BOM), Windows-1258, else
    Windows-1252 (TCVN3/VNI text, converted cell by cell later). Read in chunks: memory stays flat."""
    with open(path, "rb") as f:
        head = f.read(CHUNK)
    named = _text_encoding(head)
    if named:
        return named
    if _too_many_nul(head):
        raise errors.NotSpreadsheet()
    decoder = codecs.getincrementaldecoder("utf-8")()
    tone_bytes = False
    with open(path, "rb") as f:
        ok = True
        while chunk := f.read(CHUNK):
            if ok:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    ok = False
            tone_bytes = tone_bytes or bool(_CP1258_TONE_BYTES.intersection(chunk))
            if not ok and tone_bytes:
                break
        if ok:
            try:
                decoder.decode(b"", final=True)
                return "utf-8-sig"
            except UnicodeDecodeError:
                pass
    # Windows-1258 writes tone marks as combining characters after the letter; TCVN3/VNI text is
    # read as Windows-1252 and converted cell by cell later.
    return "cp1258" if tone_bytes and _looks_cp1258(path) else "cp1252"


def _looks_cp1258(path) -> bool:
    """Whether a non-UTF-8 file reads better as Windows-1258 (tone marks as combining characters) than
    as Windows-1252 holding TCVN3/VNI text: the reading with more Vietnamese words wins."""
    from ansinh.core.text import is_vietnamese_word, nfc
    from ansinh.imports.legacy_text import detect_and_convert

    with open(path, "rb") as f:
        sample = f.read(CHUNK)
    words = re.compile(r"[^\W\d_]+")
    as_1258 = sum(1 for w in words.findall(nfc(sample.decode("cp1258", errors="replace")))
                  if not w.isascii() and is_vietnamese_word(w))
    as_legacy = 0
    for cell in re.split(r"[,;\t|\r\n]+", sample.decode("cp1252", errors="replace"))[:20000]:
        converted, encoding = detect_and_convert(cell)
        if encoding:
            as_legacy += sum(1 for w in words.findall(nfc(converted)) if not w.isascii())
    return as_1258 > as_legacy


class CsvBook:
    def __init__(self, path):
        self.path = path
        self.encoding = _csv_encoding(path)
        with open(path, encoding=self.encoding, errors="replace", newline="") as f:
            sample = f.read(64 * 1024)
        if not sample.strip():
            raise errors.EmptyFile()
        if sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t") > max(len(sample) // 100, 16):
            raise errors.NotSpreadsheet()  # a stray NUL or control character in a cell is dropped per cell
        first_lines = sample.splitlines()[:30]
        counts = {d: sum(line.count(d) for line in first_lines) for d in (",", ";", "\t", "|")}
        self.delimiter = max(counts, key=counts.get) if max(counts.values()) else ","
        self.sheets = [(SheetInfo(name=os.path.basename(str(path)), visible=True), "")]

    def rows(self, _sheet) -> Iterator[tuple[int, list[Value]]]:
        limit = max(csv.field_size_limit(), CELL_MAX_CHARS * 8)
        csv.field_size_limit(limit)
        with open(self.path, encoding=self.encoding, errors="replace", newline="") as f:
            reader = csv.reader(f, delimiter=self.delimiter)
            row = 0
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise errors.CellTooLarge(
                        f"Dòng {reader.line_num} có ô dài quá giới hạn {_number(CELL_MAX_CHARS)} ký tự.") from exc
                row += 1
                cells: list[Value] = []
                for col, value in enumerate(values):
                    if len(value) > CELL_MAX_CHARS:
                        raise _too_large(row, col, len(value))
                    cells.append(value if value != "" else None)
                yield row, cells

    def close(self) -> None:
        pass


# --- recognising the format -------------------------------------------------------------------------

SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt", ".tsv")


def _sniff_zip(path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "mimetype" in names:
                mimetype = z.read("mimetype").decode("ascii", errors="replace").strip()
                if mimetype == "application/vnd.oasis.opendocument.spreadsheet":
                    return "ods"
                raise errors.WrongFormat(
                    "Tệp là tài liệu OpenDocument nhưng không phải bảng tính. Chỉ nhận bảng tính.")
    except zipfile.BadZipFile as exc:
        raise errors.CorruptFile() from exc
    if any(n.endswith("workbook.xml") for n in names):
        return "xlsx"
    if any(n.endswith("workbook.bin") for n in names):
        raise errors.WrongFormat("Tệp Excel nhị phân (.xlsb) chưa được hỗ trợ: hãy lưu lại thành .xlsx.")
    if any(n.startswith("word/") for n in names):
        raise errors.WrongFormat("Tệp là văn bản Word, không phải bảng tính. Hãy chọn tệp Excel.")
    if any(n.startswith("ppt/") for n in names):
        raise errors.WrongFormat("Tệp là bản trình chiếu, không phải bảng tính. Hãy chọn tệp Excel.")
    raise errors.WrongFormat("Tệp nén .zip không phải bảng tính. Hãy giải nén và chọn tệp Excel.")


def _sniff_ole(path) -> str:
    import msoffcrypto
    import olefile

    try:
        ole = olefile.OleFileIO(str(path))
    except Exception as exc:  # olefile raises OSError, ValueError, struct.error... on a damaged file
        raise errors.CorruptFile() from exc
    try:
        streams = {"/".join(s) for s in ole.listdir()}
    finally:
        ole.close()
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise errors.EncryptedFile()
    if "Workbook" in streams or "Book" in streams:
        with open(path, "rb") as f:
            try:
                if msoffcrypto.OfficeFile(f).is_encrypted():
                    raise errors.EncryptedFile()
            except errors.EncryptedFile:
                raise
            except Exception:  # msoffcrypto cannot parse it: let calamine say whether it is readable
                pass
        return "xls"
    if "WordDocument" in streams:
        raise errors.WrongFormat("Tệp là văn bản Word (.doc), không phải bảng tính. Hãy chọn tệp Excel.")
    raise errors.WrongFormat()


_OTHER_MAGIC = {
    b"%PDF": "Tệp PDF không nhập được: hãy dùng tệp Excel (.xlsx, .xls) hoặc .csv.",
    b"\x89PNG": "Tệp ảnh không nhập được: hãy dùng tệp Excel (.xlsx, .xls) hoặc .csv.",
    b"\xff\xd8\xff": "Tệp ảnh không nhập được: hãy dùng tệp Excel (.xlsx, .xls) hoặc .csv.",
    b"GIF8": "Tệp ảnh không nhập được: hãy dùng tệp Excel (.xlsx, .xls) hoặc .csv.",
    b"{\\rtf": "Tệp văn bản RTF không nhập được: hãy dùng tệp Excel (.xlsx, .xls) hoặc .csv.",
    b"Rar!": "Tệp nén không nhập được: hãy giải nén và chọn tệp Excel.",
    b"\x1f\x8b": "Tệp nén không nhập được: hãy giải nén và chọn tệp Excel.",
    b"7z\xbc\xaf": "Tệp nén không nhập được: hãy giải nén và chọn tệp Excel.",
}


def detect_format(path, filename: str = "") -> str:
    """"xlsx", "xls", "ods" or "csv" from the content (``filename`` only decides whether text may be
    read as CSV). Raises EmptyFile, EncryptedFile, WrongFormat, NotSpreadsheet, CorruptFile."""
    size = os.path.getsize(path)
    if size == 0:
        raise errors.EmptyFile()
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if head.startswith(b"PK\x05\x06"):
            raise errors.EmptyFile()
        return _sniff_zip(path)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _sniff_ole(path)
    for magic, message in _OTHER_MAGIC.items():
        if head.startswith(magic):
            raise errors.WrongFormat(message)
    ext = os.path.splitext(filename or str(path))[1].lower()
    if ext in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise errors.NotSpreadsheet(
            f"Tệp có đuôi {ext} nhưng nội dung không phải bảng tính (có thể là tệp khác bị đổi tên).")
    if ext not in ("", ".csv", ".txt", ".tsv"):
        raise errors.WrongFormat()
    with open(path, "rb") as f:
        sample = f.read(64 * 1024)
    if _text_encoding(sample):  # UTF-8 with BOM, UTF-16: text whatever its NUL bytes
        return "csv"
    if _too_many_nul(sample) or head.lstrip().lower().startswith((b"<!doc", b"<html", b"<?xml")):
        raise errors.NotSpreadsheet()
    return "csv"


def open_book(path, filename: str = ""):
    """Open a workbook of any supported format; the object has ``sheets`` [(SheetInfo, key)],
    ``rows(key)`` and ``close()``."""
    kind = detect_format(path, filename)
    if kind == "xlsx":
        return XlsxBook(path)
    if kind == "csv":
        return CsvBook(path)
    return CalamineBook(path)
