"""Text typed in the legacy Vietnamese encodings TCVN3 (ABC, ".Vn" fonts) and VNI (VNI-Windows fonts),
recognised per cell and converted to Unicode.

How such text reaches us: the file was typed with a ".VnTime" or "VNI-Times" font, and the bytes the
keyboard driver produced were stored as Windows-1252 characters; opened without those fonts, a cell
reads "NguyÔn V¨n An" (TCVN3) or "Nguyeãn Vaên An" (VNI) instead of "Nguyễn Văn An".

TCVN3 is one byte per letter (TCVN 5712:1993; the ABC fonts use the lower-case half, the upper-case
"H" fonts show the same bytes as capitals; the capitals of the full table are accepted too). VNI writes
a base letter followed by a mark byte (e.g. "e" + "ã" for "ễ").

A cell is converted only when it is clearly legacy text: every character is one of the Windows-1252
characters those fonts produce, read as Unicode some word is not Vietnamese, and converted every
changed word is a well-formed Vietnamese syllable. Ordinary Unicode text is never touched.

Sources for the tables: TCVN 5712:1993 as carried by GNU libc's ``TCVN5712-1`` converter, and the
VNI-Windows font layout (marks: sắc ù, huyền ø, hỏi û, ngã õ, nặng ï; circumflex â á à å ã ä;
breve ê é è ú ü ë; ơ ô, ư ö, đ ñ; i í ì æ ó ò; ỵ î).
"""

import re

from ansinh.core.text import is_vietnamese_word, nfc

TCVN3 = "tcvn3"
VNI = "vni"


def _cp1252_char(byte: int) -> str:
    """The character a Windows-1252 byte is read as (the five undefined bytes keep their C1 code)."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


# TCVN 5712:1993, bytes 0x80-0xFF (0xB0-0xB4, the combining marks of the standard, are left out).
_TCVN3_BYTES = {
    0x80: "À", 0x81: "Ả", 0x82: "Ã", 0x83: "Á", 0x84: "Ạ", 0x85: "Ặ", 0x86: "Ậ", 0x87: "È",
    0x88: "Ẻ", 0x89: "Ẽ", 0x8A: "É", 0x8B: "Ẹ", 0x8C: "Ệ", 0x8D: "Ì", 0x8E: "Ỉ", 0x8F: "Ĩ",
    0x90: "Í", 0x91: "Ị", 0x92: "Ò", 0x93: "Ỏ", 0x94: "Õ", 0x95: "Ó", 0x96: "Ọ", 0x97: "Ộ",
    0x98: "Ờ", 0x99: "Ở", 0x9A: "Ỡ", 0x9B: "Ớ", 0x9C: "Ợ", 0x9D: "Ù", 0x9E: "Ủ", 0x9F: "Ũ",
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ", 0xA8: "ă",
    0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ", 0xAF: "Ằ", 0xB5: "à",
    0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ", 0xBA: "Ẳ", 0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ",
    0xBE: "ắ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ", 0xC5: "Ề",
    0xC6: "ặ", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ", 0xCC: "è", 0xCD: "Ể",
    0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ", 0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế",
    0xD6: "ệ", 0xD7: "ì", 0xD8: "ỉ", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xDC: "ĩ", 0xDD: "í",
    0xDE: "ị", 0xDF: "ò", 0xE0: "Ổ", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ", 0xE5: "ồ",
    0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ", 0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ",
    0xEE: "ợ", 0xEF: "ù", 0xF0: "Ỗ", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ", 0xF5: "ừ",
    0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự", 0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý",
    0xFE: "ỵ", 0xFF: "Ố",
}
TCVN3_TO_UNICODE: dict[str, str] = {_cp1252_char(b): u for b, u in _TCVN3_BYTES.items()}
_TCVN3_TABLE = str.maketrans(TCVN3_TO_UNICODE)
UNICODE_TO_TCVN3: dict[str, str] = {u: c for c, u in TCVN3_TO_UNICODE.items()}

# VNI-Windows: (base letters lower/upper, marks lower/upper per tone: none, sắc, huyền, hỏi, ngã, nặng)
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_PLAIN_MARKS = ("", "ù", "ø", "û", "õ", "ï"), ("", "Ù", "Ø", "Û", "Õ", "Ï")
_CIRCUMFLEX_MARKS = ("â", "á", "à", "å", "ã", "ä"), ("Â", "Á", "À", "Å", "Ã", "Ä")
_BREVE_MARKS = ("ê", "é", "è", "ú", "ü", "ë"), ("Ê", "É", "È", "Ú", "Ü", "Ë")


def _build_vni() -> dict[str, str]:
    import unicodedata

    def toned(base: str, tone: str) -> str:
        return unicodedata.normalize("NFC", base + tone)

    table: dict[str, str] = {}
    for lower in (True, False):
        case = 0 if lower else 1

        def put(seq: str, letter: str) -> None:
            table[seq] = letter if lower else letter.upper()

        for vni_base, uni_base in (("a", "a"), ("e", "e"), ("o", "o"), ("u", "u"), ("y", "y"),
                                   ("ô", "ơ"), ("ö", "ư")):
            base = vni_base if lower else vni_base.upper()
            for mark, tone in zip(_PLAIN_MARKS[case], _TONES, strict=True):
                put(base + mark, toned(uni_base, tone))
        for vni_base, uni_base in (("a", "â"), ("e", "ê"), ("o", "ô")):
            base = vni_base if lower else vni_base.upper()
            for mark, tone in zip(_CIRCUMFLEX_MARKS[case], _TONES, strict=True):
                put(base + mark, toned(uni_base, tone))
        base = "a" if lower else "A"
        for mark, tone in zip(_BREVE_MARKS[case], _TONES, strict=True):
            put(base + mark, toned("ă", tone))
        for single, tone in zip(("í", "ì", "æ", "ó", "ò"), _TONES[1:], strict=True):
            put(single if lower else single.upper(), toned("i", tone))
        put("î" if lower else "Î", "ỵ")
        put("ñ" if lower else "Ñ", "đ")
    del table["a"], table["A"], table["e"], table["E"], table["o"], table["O"]
    del table["u"], table["U"], table["y"], table["Y"]
    return table


VNI_TO_UNICODE: dict[str, str] = _build_vni()
UNICODE_TO_VNI: dict[str, str] = {u: v for v, u in VNI_TO_UNICODE.items()}
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(VNI_TO_UNICODE, key=len, reverse=True)))

# Characters a legacy cell can contain: ASCII and what Windows-1252 makes of bytes 0x80-0xFF.
_REPERTOIRE = frozenset(chr(c) for c in range(0x80)) | frozenset(_cp1252_char(b) for b in range(0x80, 0x100))
_TOKEN = re.compile(r"[^\s0-9!-/:-@\[-`{-~]+")


def tcvn3_decode(text: str) -> str:
    """Convert TCVN3 text (as Windows-1252 characters) to Unicode, letter by letter."""
    return text.translate(_TCVN3_TABLE)


def vni_decode(text: str) -> str:
    """Convert VNI text (as Windows-1252 characters) to Unicode."""
    return _VNI_PATTERN.sub(lambda m: VNI_TO_UNICODE[m.group(0)], text)


def tcvn3_encode(text: str) -> str:
    """Unicode -> TCVN3 (as Windows-1252 characters); letters without a TCVN3 code are kept."""
    return "".join(UNICODE_TO_TCVN3.get(ch, ch) for ch in nfc(text))


def vni_encode(text: str) -> str:
    """Unicode -> VNI (as Windows-1252 characters)."""
    return "".join(UNICODE_TO_VNI.get(ch, ch) for ch in nfc(text))


def _word_ok(word: str) -> bool:
    return word.isascii() or is_vietnamese_word(word)


def _upper_if_capitals(original: str, converted: str) -> str:
    """A word typed in an upper-case ".VnTimeH" font holds lower-case codes shown as capitals."""
    ascii_letters = [c for c in original if c.isascii() and c.isalpha()]
    if len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters):
        return converted.upper()
    return converted


def _try(text: str, tokens: list[str], encoding: str) -> tuple[str, int] | None:
    decode = tcvn3_decode if encoding == TCVN3 else vni_decode
    changed = 0
    pieces: list[tuple[str, str]] = []
    for token in tokens:
        converted = decode(token)
        if converted != token:
            if encoding == TCVN3:
                converted = _upper_if_capitals(token, converted)
            if not is_vietnamese_word(converted):
                return None
            changed += 1
        pieces.append((token, converted))
    if not changed:
        return None
    out, pos = [], 0
    for match, (token, converted) in zip(_TOKEN.finditer(text), pieces, strict=True):
        out.append(text[pos:match.start()])
        out.append(converted)
        pos = match.end()
    out.append(text[pos:])
    return "".join(out), changed


def detect_and_convert(text: str) -> tuple[str, str | None]:
    """``(unicode_text, encoding)``: the cell converted from TCVN3 or VNI when it is clearly written
    in one of them (``encoding`` is ``"tcvn3"`` or ``"vni"``), else the text unchanged and None.
    The result is not yet NFC-normalised."""
    if text.isascii() or not _REPERTOIRE.issuperset(text):
        return text, None
    tokens = _TOKEN.findall(text)
    if all(_word_ok(nfc(token)) for token in tokens):
        return text, None  # already reads as Vietnamese (e.g. "Hà Lê" in Unicode)
    results = {enc: r for enc in (TCVN3, VNI) if (r := _try(text, tokens, enc)) is not None}
    if len(results) == 1:
        (encoding, (converted, _)), = results.items()
        return converted, encoding
    if len(results) == 2:
        (enc_a, (conv_a, n_a)), (enc_b, (conv_b, n_b)) = results.items()
        if n_a != n_b:
            return (conv_a, enc_a) if n_a > n_b else (conv_b, enc_b)
    return text, None
