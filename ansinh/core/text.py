"""Vietnamese text: Unicode normalisation, tone-mark placement, folding for search and matching,
and the shape of a Vietnamese syllable.

- ``nfc``: one Unicode form (composed), whatever the file used (composed or decomposed).
- ``tone_normalise``: one place for the tone mark in the open syllables written two ways
  ("hoà"/"hòa", "thuỷ"/"thủy", "khoẻ"/"khỏe"): the form with the mark on the first vowel.
- ``fold``: the matching key insensitive to diacritics, case and spaces ("Nguyễn  Thị Thuỷ" ->
  "nguyen thi thuy"); đ folds to d.
- ``name_normalise``: a person's name as stored: NFC, single spaces, each word capitalised.
- ``is_vietnamese_word``: whether a word has the shape of a Vietnamese syllable (used to recognise
  text in a legacy encoding).
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")

TONE_MARKS = {
    "\u0300": "huyen", "\u0301": "sac", "\u0303": "nga", "\u0309": "hoi", "\u0323": "nang",
}
# Some files carry the Windows-1258 / "Vietnamese" combining forms of grave and acute.
_COMBINING_ALIASES = {"\u0340": "\u0300", "\u0341": "\u0301"}


def nfc(text: str) -> str:
    """The text in Unicode NFC (composed form)."""
    if text.isascii():
        return text
    for alias, mark in _COMBINING_ALIASES.items():
        text = text.replace(alias, mark)
    return unicodedata.normalize("NFC", text)


def collapse_spaces(text: str) -> str:
    """Trim and replace every run of white space (including non-breaking spaces) by one space."""
    return _SPACES.sub(" ", text.replace("\u00a0", " ").replace("\u200b", "")).strip()


def _split_tone(word: str) -> tuple[list[str], str | None, int]:
    """Letters of ``word`` without their tone mark, the tone mark and the index of the letter that
    carried it (-1 when there is none). ``word`` is NFC."""
    letters: list[str] = []
    tone, index = None, -1
    for ch in word:
        decomposed = unicodedata.normalize("NFD", ch)
        marks = [m for m in decomposed[1:] if m in TONE_MARKS]
        if marks:
            tone, index = marks[0], len(letters)
            decomposed = "".join(c for c in decomposed if c not in TONE_MARKS)
        letters.append(unicodedata.normalize("NFC", decomposed))
    return letters, tone, index


def _with_tone(letter: str, tone: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", letter) + tone)


_OPEN_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


def _tone_word(word: str) -> str:
    letters, tone, index = _split_tone(word)
    n = len(letters)
    if tone is None or n < 2 or index != n - 1:
        return word
    pair = (letters[-2].lower(), letters[-1].lower())
    if pair not in _OPEN_PAIRS:
        return word
    # "qu" + "y" (quý) and "gi" + "a" keep the mark on the last letter: the u of "qu" is a consonant.
    if pair == ("u", "y") and n >= 3 and letters[-3].lower() == "q":
        return word
    # A third vowel before the pair ("ngoao") is not one of these open syllables.
    if n >= 3 and letters[-3].lower() in "aăâeêioôơuưy":
        return word
    letters[-2] = _with_tone(letters[-2], tone)
    return "".join(letters)


# a word ending in o + toned a/e, or u + toned y: the only places where the two styles differ
_TONE_CANDIDATE = re.compile(r"\w*[oO][àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸ](?!\w)|\w*[uU][ỳýỷỹỵỲÝỶỸỴ](?!\w)")


def tone_normalise(text: str) -> str:
    """Put the tone mark of "oa", "oe", "uy" open syllables on the first vowel: "Hoà" -> "Hòa",
    "Thuỷ" -> "Thủy", "khoẻ" -> "khỏe"; "quý", "hoàn", "thuyền" are unchanged. Input and output NFC."""
    text = nfc(text)
    if text.isascii():
        return text
    return _TONE_CANDIDATE.sub(lambda m: _tone_word(m.group(0)), text)


def _strip_table() -> dict[int, str]:
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and base.isascii():
            table[code] = base
    return table


_STRIP = _strip_table()


def strip_diacritics(text: str) -> str:
    """Letters without any diacritic: "Đặng Thị Thuỷ" -> "Dang Thi Thuy"."""
    text = nfc(text).translate(_STRIP)
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Matching key: no diacritics, lower case, single spaces ("  Hoà  BÌNH " -> "hoa binh")."""
    return collapse_spaces(strip_diacritics(text).lower())


def _capitalise(word: str) -> str:
    """The word's first letter upper case, the rest lower case; characters before the first letter (an
    invisible format character, a quote) are kept as they are and do not take the capital."""
    first = next((i for i, char in enumerate(word) if char.isalpha()), None)
    if first is None:
        return word.lower()
    return word[:first] + word[first].upper() + word[first + 1:].lower()


def name_normalise(text: str) -> str:
    """A person's name as stored: NFC, single spaces, each word capitalised
    ("  NGUYỄN   văn an" -> "Nguyễn Văn An"). Hyphenated parts are capitalised too."""
    words = collapse_spaces(nfc(text)).split(" ")
    return " ".join("-".join(_capitalise(part) for part in word.split("-")) for word in words if word)


def ascii_int(value, *, max_digits: int = 9) -> int | None:
    """``value`` as a whole number when it is written with ASCII digits 0-9 only (at most ``max_digits``),
    else None: "²", "①" or "٣" are digits to ``str.isdigit`` but not a page or an id here."""
    text = str(value) if value is not None else ""
    if not text or len(text) > max_digits or not text.isascii() or not text.isdecimal():
        return None
    return int(text)


def name_key(text: str) -> str:
    """Key for comparing two spellings of a name: tone placement and case ignored, diacritics kept."""
    return collapse_spaces(tone_normalise(nfc(text)).lower())


# --- syllable shape -------------------------------------------------------------------------------

_INITIALS = ("ngh", "ng", "gh", "gi", "kh", "ch", "nh", "ph", "th", "tr", "qu",
             "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_CHECKED_FINALS = ("c", "ch", "p", "t")
_RHYMES_BY_NUCLEUS = {
    "a": ["", "i", "o", "u", "y", "c", "ch", "m", "n", "ng", "nh", "p", "t"],
    "ă": ["c", "m", "n", "ng", "p", "t"],
    "â": ["c", "m", "n", "ng", "p", "t", "u", "y"],
    "e": ["", "o", "c", "m", "n", "ng", "p", "t"],
    "ê": ["", "u", "ch", "m", "n", "nh", "p", "t"],
    "i": ["", "a", "u", "c", "ch", "m", "n", "nh", "p", "t"],
    "iê": ["c", "m", "n", "ng", "p", "t", "u"],
    "o": ["", "i", "c", "m", "n", "ng", "p", "t"],
    "oo": ["c", "ng"],
    "ô": ["", "i", "c", "m", "n", "ng", "p", "t"],
    "ơ": ["", "i", "c", "m", "n", "p", "t"],
    "u": ["", "a", "i", "c", "m", "n", "ng", "p", "t"],
    "uô": ["c", "i", "m", "n", "ng", "t"],
    "ư": ["", "a", "i", "u", "c", "m", "n", "ng", "t"],
    "ươ": ["c", "i", "m", "n", "ng", "p", "t", "u"],
    "y": [""],
    "yê": ["m", "n", "ng", "t", "u"],
    "oa": ["", "i", "y", "o", "c", "ch", "m", "n", "ng", "nh", "p", "t"],
    "oă": ["c", "m", "n", "ng", "t"],
    "oe": ["", "o", "c", "m", "n", "t"],
    "uâ": ["n", "ng", "t", "y"],
    "uê": ["", "ch", "n", "nh", "t"],
    "uơ": [""],
    "uy": ["", "a", "u", "ch", "n", "nh", "p", "t"],
    "uyê": ["n", "t"],
}
RHYMES = frozenset(nucleus + final for nucleus, finals in _RHYMES_BY_NUCLEUS.items() for final in finals)


_VOWELS = frozenset("aăâeêioôơuưy")
_SHAPED = frozenset("ăâêôơư")


def _tone_places(nucleus: str, has_final: bool) -> set[int]:
    """Where the tone mark may sit in a vowel group (old and new styles both accepted)."""
    n = len(nucleus)
    if n == 1:
        return {0}
    if has_final:
        return {n - 1}
    if n == 3:
        return {1}
    if nucleus in ("oa", "oe", "uy"):
        return {0, 1}
    if nucleus[1] in _SHAPED:
        return {1}
    return {0}


def _syllable_ok(letters: str, tone: str | None, tone_index: int = -1) -> bool:
    for initial in _INITIALS:
        if not letters.startswith(initial):
            continue
        rhyme = letters[len(initial):]
        offset = len(initial)
        if not rhyme and initial == "gi":
            rhyme, offset = "i", 1  # "gì": g + i
        if rhyme not in RHYMES:
            continue
        if rhyme.endswith(_CHECKED_FINALS) and tone not in ("\u0301", "\u0323"):
            continue  # a syllable ending in c, ch, p, t takes only the acute or the dot below
        if initial in ("gh", "ngh", "k") and rhyme[:1] not in ("i", "e", "ê", "y"):
            continue
        if tone is not None:
            vowels = len(rhyme) - len(rhyme.lstrip("aăâeêioôơuưy"))
            if tone_index - offset not in _tone_places(rhyme[:vowels], vowels < len(rhyme)):
                continue
        return True
    return False


def is_vietnamese_word(word: str) -> bool:
    """Whether ``word`` (NFC) is one Vietnamese syllable written in lower case, Capitalised or in
    CAPITALS, with at most one tone mark: "Nguyễn", "HOÀ", "quý" yes; "NguyÔn", "Vaên", "xyz" no."""
    if not word:
        return False
    if not (len(word) == 1 or word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    letters, tone, tone_index = _split_tone(word.lower())
    if sum(1 for ch in unicodedata.normalize("NFD", word) if ch in TONE_MARKS) > 1:
        return False
    joined = "".join(letters)
    if not all(ch in "abcdđeghiklmnopqrstuvxyăâêôơư" for ch in joined):
        return False
    return _syllable_ok(joined, tone, tone_index)


# --- hygiene of typed and imported text ---------------------------------------------------------------

BIDI_CONTROLS_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Bidirectional embedding/override/isolate characters: they make stored text display in another order
than it is read (a hamlet name shown reversed, a file name disguised); never needed in Vietnamese."""
CONTROL_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters other than tab, line feed and carriage return (NUL included)."""
BIDI_MESSAGE = "Có ký tự điều khiển hướng chữ (U+{code}) không được phép; hãy gõ lại nội dung này."


def control_chars_strip(text: str) -> str:
    """``text`` without NUL and other control characters (tab and line breaks kept)."""
    return CONTROL_CHARS_RE.sub("", text)


FORMAT_CHAR_MESSAGE = "Có ký tự vô hình (U+{code}) không được phép; hãy gõ lại nội dung này."


def format_char_find(text: str) -> str | None:
    """The first invisible format character (Unicode category Cf: U+200B–U+200F, U+2060, U+FEFF, U+00AD,
    the bidirectional controls…) of ``text`` as a code ("200E"), None when there is none."""
    if text.isascii():
        return None
    for char in text:
        if unicodedata.category(char) == "Cf":
            return f"{ord(char):04X}"
    return None


def bidi_control_find(text: str) -> str | None:
    """The first bidirectional control character of ``text`` as a code ("202E"), None when there is none."""
    match = BIDI_CONTROLS_RE.search(text)
    return f"{ord(match.group()):04X}" if match else None
