"""Generated Vietnamese personal data: names, dates of birth, citizen IDs, SI numbers, phones.

Everything here is made up from common name parts; no real person's data is used. All functions take
an explicit ``random.Random`` so a seed gives the same people every time.
"""

import bisect
import datetime
import itertools
import random


class Weighted:
    """A fixed weighted choice, fast enough for a hundred thousand draws.

    ``Weighted([("a", 3), ("b", 1)]).pick(rng)`` returns "a" three times as often as "b".
    """

    __slots__ = ("values", "cum", "total")

    def __init__(self, pairs):
        self.values = [v for v, _ in pairs]
        self.cum = list(itertools.accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]


# Family names with rough national frequencies (%), Kinh majority.
FAMILY_NAMES = Weighted([
    ("Nguyễn", 31), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Huỳnh", 5), ("Võ", 4), ("Phan", 4),
    ("Trương", 3), ("Bùi", 2), ("Đặng", 2), ("Đỗ", 1.5), ("Ngô", 1.5), ("Hồ", 1.5), ("Dương", 1.2),
    ("Đinh", 1), ("Lâm", 1), ("Châu", 0.8), ("Lý", 0.8), ("Thái", 0.6), ("Tô", 0.5), ("Mai", 0.5),
    ("Cao", 0.5), ("Đoàn", 0.5), ("La", 0.3), ("Quách", 0.3), ("Lưu", 0.3), ("Tạ", 0.3), ("Diệp", 0.2),
])
# Family names frequent among Khmer families of the Mekong delta.
KHMER_FAMILY_NAMES = Weighted([("Thạch", 5), ("Danh", 4), ("Sơn", 3), ("Lâm", 2), ("Kim", 2), ("Châu", 1), ("Lý", 1)])

MIDDLE_MALE_OLD = Weighted([("Văn", 70), ("Minh", 6), ("Thanh", 6), ("Hữu", 5), ("Công", 3), ("Quốc", 3),
                            ("Hoàng", 3), ("Ngọc", 2), ("Tấn", 2)])
MIDDLE_MALE_YOUNG = Weighted([("Văn", 25), ("Minh", 14), ("Hoàng", 10), ("Quốc", 10), ("Thanh", 7), ("Gia", 8),
                              ("Tấn", 5), ("Hữu", 5), ("Đức", 5), ("Nhật", 5), ("Bảo", 6)])
MIDDLE_FEMALE_OLD = Weighted([("Thị", 75), ("Ngọc", 7), ("Thanh", 4), ("Kim", 5), ("Hồng", 3), ("Mỹ", 3),
                              ("Bích", 3)])
MIDDLE_FEMALE_YOUNG = Weighted([("Thị", 30), ("Ngọc", 14), ("Thanh", 8), ("Kim", 6), ("Mỹ", 8), ("Bảo", 6),
                                ("Như", 6), ("Thu", 5), ("Diễm", 4), ("Khánh", 5), ("Gia", 4)])

GIVEN_MALE = Weighted([(n, 1) for n in (
    "Hùng", "Dũng", "Tuấn", "Sang", "Trung", "Phúc", "Tài", "Lộc", "Thành", "Tâm", "Hải", "Hiếu", "Nghĩa",
    "Khang", "Nam", "Bảo", "Huy", "Khoa", "Long", "Hoàng", "Vinh", "Tín", "Nhân", "Quang", "Thắng", "Toàn",
    "Cường", "Hậu", "Tú", "Phong", "Minh", "Đạt", "Lợi", "Thái", "Bình", "Hòa", "Sơn", "Hưng", "Phước",
    "Thuận", "Kiệt", "Duy", "Trí", "Tiến", "Hiền", "Nhựt", "Em", "Út", "Be", "Mến", "Rạng", "Chiến",
)])
GIVEN_FEMALE = Weighted([(n, 1) for n in (
    "Lan", "Hoa", "Hương", "Mai", "Thảo", "Trang", "Linh", "Nhung", "Hạnh", "Yến", "Diễm", "Tuyết", "Loan",
    "Thủy", "Hằng", "Ngân", "Vy", "Nhi", "Anh", "Châu", "Phượng", "Xuân", "Cúc", "Đào", "Kiều", "Thúy",
    "Ngọc", "Trinh", "Duyên", "Phương", "Huyền", "Nga", "Liên", "Hồng", "Tiên", "Thu", "Dung", "Oanh",
    "Giang", "Quyên", "My", "Hân", "Thơ", "Bé", "Út", "Em", "Lệ", "Nương", "Sen", "Lài",
)])

# Syllables of hamlet names of the Mekong delta ("Ấp Tân Long", "Ấp Long Thạnh A").
HAMLET_SYLLABLES = ("Tân", "Long", "Mỹ", "Phú", "Thạnh", "Hòa", "Bình", "Đông", "Tây", "Vĩnh", "Phước",
                    "Hưng", "Lợi", "An", "Thuận", "Trường", "Nhơn", "Khánh", "Xuân", "Hiệp", "Thới", "Lộc")
HAMLET_PLACES = ("Xẻo Chồi", "Cái Sơn", "Kinh Xáng", "Rạch Gòi", "Cầu Xáng", "Vàm Xáng", "Bào Môn",
                 "Mương Lộ", "Kinh Mới", "Láng Sen", "Cây Sộp", "Cái Nai", "Nàng Chăn", "Xẻo Trâm")

# Current 10-digit mobile prefixes (after the 2018 renumbering).
MOBILE_PREFIXES = ("032", "033", "034", "035", "036", "037", "038", "039", "056", "058", "070", "076",
                   "077", "078", "079", "081", "082", "083", "084", "085", "086", "088", "089", "090",
                   "091", "093", "094", "096", "097", "098", "099")

# Province code of birth registration (first three digits of the citizen ID): mostly Hậu Giang (093),
# some born in neighbouring provinces or Hồ Chí Minh City.
BIRTH_PROVINCES = Weighted([("093", 90), ("092", 4), ("094", 2), ("091", 1.5), ("086", 1), ("079", 1.5)])


def person_name(rng: random.Random, *, sex: str, birth_year: int, family: str | None = None,
                khmer: bool = False) -> str:
    """A full name "Family Middle Given" for ``sex`` ("male"/"female"); middle names follow the
    fashion of the birth year ("Văn"/"Thị" for older people). ``family`` forces the family name."""
    if family is None:
        family = (KHMER_FAMILY_NAMES if khmer else FAMILY_NAMES).pick(rng)
    old = birth_year < 1985
    if sex == "male":
        middle = (MIDDLE_MALE_OLD if old else MIDDLE_MALE_YOUNG).pick(rng)
        given = GIVEN_MALE.pick(rng)
    else:
        middle = (MIDDLE_FEMALE_OLD if old else MIDDLE_FEMALE_YOUNG).pick(rng)
        given = GIVEN_FEMALE.pick(rng)
    if given == middle:
        given = (GIVEN_MALE if sex == "male" else GIVEN_FEMALE).pick(rng)
    return f"{family} {middle} {given}"


def family_of(full_name: str) -> str:
    """The family name (first word) of a full name."""
    return full_name.split(" ", 1)[0]


def date_of_birth(rng: random.Random, *, age: int, on: datetime.date) -> datetime.date:
    """A date of birth giving exactly ``age`` full years on ``on``."""
    latest = _years_before(on, age)
    earliest = _years_before(on, age + 1) + datetime.timedelta(days=1)
    return earliest + datetime.timedelta(days=rng.randrange((latest - earliest).days + 1))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def century_sex_digit(*, birth_year: int, sex: str) -> int:
    """The 4th digit of a citizen ID: 20th century male 0 / female 1, 21st century 2 / 3
    (then 4/5, 6/7, 8/9 for the following centuries)."""
    century = (birth_year - 1900) // 100
    return century * 2 + (0 if sex == "male" else 1)


def citizen_id(rng: random.Random, *, birth_year: int, sex: str, used: set[str]) -> str:
    """A 12-digit citizen ID: 3-digit province of birth registration, century/sex digit, two digits of
    the birth year, six random digits; unique among ``used`` (which it updates)."""
    head = f"{BIRTH_PROVINCES.pick(rng)}{century_sex_digit(birth_year=birth_year, sex=sex)}{birth_year % 100:02d}"
    while True:
        value = f"{head}{rng.randrange(1_000_000):06d}"
        if value not in used:
            used.add(value)
            return value


def si_number(rng: random.Random, *, used: set[str]) -> str:
    """A 10-digit social insurance number starting with the issuing province (93, some 92); unique."""
    while True:
        value = f"{'93' if rng.random() < 0.95 else '92'}{rng.randrange(100_000_000):08d}"
        if value not in used:
            used.add(value)
            return value


def phone(rng: random.Random) -> str:
    """A 10-digit mobile number with a current prefix."""
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10_000_000):07d}"


def hamlet_names(rng: random.Random, *, count: int, urban: bool) -> list[str]:
    """``count`` distinct hamlet names for one commune: "Khu vực 1".. for a ward, otherwise a mix of
    numbered hamlets ("Ấp 1"), two-syllable names ("Ấp Tân Long") and place names ("Ấp Xẻo Chồi"),
    with A/B suffixes when a name repeats."""
    if urban:
        return [f"Khu vực {i}" for i in range(1, count + 1)]
    if rng.random() < 0.25:
        return [f"Ấp {i}" for i in range(1, count + 1)]
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        if rng.random() < 0.15:
            base = rng.choice(HAMLET_PLACES)
        else:
            first, second = rng.sample(HAMLET_SYLLABLES, 2)
            base = f"{first} {second}"
        name = f"Ấp {base}"
        if name in seen:
            for suffix in ("A", "B", "C"):
                if f"{name} {suffix}" not in seen:
                    name = f"{name} {suffix}"
                    break
            else:
                continue
        seen.add(name)
        names.append(name)
    return names
