"""Amounts in words following Vietnamese accounting usage (for receipts).

num2words (lang="vi") gives the words for each group of three digits; it drops the "không trăm" that
accounting usage says for an inner group below 100 (4.043.520 đ -> "Bốn triệu không trăm bốn mươi ba
nghìn năm trăm hai mươi đồng"), so groups are joined here, in this one tested place.
"""

from num2words import num2words

_SCALES = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"]


def _group_words(group: int, *, inner: bool) -> str:
    words = num2words(group, lang="vi")
    if inner and group < 100:
        words = "không trăm " + (words if group >= 10 else "lẻ " + words)
    return words


def amount_in_words(amount: int) -> str:
    """4043520 -> "Bốn triệu không trăm bốn mươi ba nghìn năm trăm hai mươi đồng".

    ``amount`` is integer VND, 0 <= amount < 10**18. Raises ValueError outside that range or for
    a non-integer.
    """
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 <= amount < 10**18:
        raise ValueError("amount must be an integer number of đồng between 0 and 10^18")
    if amount == 0:
        return "Không đồng"
    groups = []
    rest = amount
    while rest:
        rest, group = divmod(rest, 1000)
        groups.append(group)
    parts = []
    top = len(groups) - 1
    for index in range(top, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        parts.append(_group_words(group, inner=index < top))
        if _SCALES[index]:
            parts.append(_SCALES[index])
    text = " ".join(parts) + " đồng"
    return text[0].upper() + text[1:]
