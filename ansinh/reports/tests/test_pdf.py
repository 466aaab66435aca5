"""The receipt and the household member list (Form 4 of Decree 188/2025) as PDF: the exact Vietnamese
words with their diacritics are in the text, and the fonts embedded are DejaVu (every diacritic drawn).

Text is extracted with ``pdftotext`` and fonts listed with ``pdffonts`` (poppler-utils); without
them these tests are skipped (CI installs poppler-utils)."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone

from ansinh.collection.models import Receipt
from ansinh.core.errors import OutOfScope, PermissionDenied
from ansinh.core.words import amount_in_words
from ansinh.reports.pdf import household_form4_pdf, html_to_pdf, receipt_pdf
from ansinh.rules.parameters import default_parameters

from .paid import paid_once_per_module

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def _paid_module(django_db_setup, django_db_blocker):
    yield from paid_once_per_module(django_db_blocker)


@pytest.fixture
def paid(_paid_module, db):
    return _paid_module


def _text(pdf: bytes) -> str:
    """The PDF's text in reading order, lines joined by spaces (wrapped lines become one)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return " ".join(out.decode("utf-8").split())


def _fonts(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]


@needs_poppler
def test_the_receipt_shows_the_amount_in_figures_and_in_exact_vietnamese_words(paid, tmp_path):
    pdf = receipt_pdf(user=paid.p.users["thu_1"], pk=paid.hi_receipt.pk)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    total = paid.vectors["hi"]["expect"]["total"]
    assert amount_in_words(total) == "Bốn triệu không trăm bốn mươi ba nghìn năm trăm hai mươi đồng"
    assert "Bốn triệu không trăm bốn mươi ba nghìn năm trăm hai mươi đồng" in text
    assert "4.043.520 đ" in text
    for words in ("BIÊN LAI THU TIỀN", paid.hi_receipt.number, "Họ tên người nộp tiền: Nguyễn Văn An",
                  "BƯU ĐIỆN TỈNH HẬU GIANG", "Người nộp tiền", "Người thu tiền", "Lê Thị Thu",
                  "Lê Thị Hường", "Ngày 01 tháng 07 năm 2024", "Tiền mặt", "Mã hộ gia đình: HG-0001"):
        assert words in text, words
    assert all("DejaVu" in font for font in _fonts(pdf, tmp_path))


@needs_poppler
def test_a_cancelled_receipt_says_so(paid):
    receipt = paid.vsi_reversed_payment.receipt
    text = _text(receipt_pdf(user=paid.p.users["thu_1"], pk=receipt.pk))
    cancelled_at = timezone.localtime(Receipt.objects.get(pk=receipt.pk).cancelled_at)
    assert (f"BIÊN LAI ĐÃ HỦY lúc {cancelled_at:%H:%M} ngày {cancelled_at:%d/%m/%Y}, người hủy: thu_1. "
            "Lý do: Nhập nhầm người") in text
    assert f"Bản in lại ngày {timezone.localdate():%d/%m/%Y}" in text


@needs_poppler
def test_a_receipt_says_reprint_unless_it_is_the_first_issue(paid):
    receipt = paid.hi_receipt
    reprint = f"Bản in lại ngày {timezone.localdate():%d/%m/%Y}"
    assert reprint in _text(receipt_pdf(user=paid.p.users["thu_1"], pk=receipt.pk))
    # the PDF linked from the page shown right after the payment is the original, for 15 minutes
    Receipt.objects.filter(pk=receipt.pk).update(created_at=timezone.now())
    assert reprint not in _text(receipt_pdf(user=paid.p.users["thu_1"], pk=receipt.pk, first_issue=True))
    Receipt.objects.filter(pk=receipt.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    assert reprint in _text(receipt_pdf(user=paid.p.users["thu_1"], pk=receipt.pk, first_issue=True))


def test_a_receipt_pdf_is_refused_outside_scope(paid):
    with pytest.raises(OutOfScope):
        receipt_pdf(user=paid.p.users["thu_2"], pk=paid.hi_receipt.pk)
    with pytest.raises(PermissionDenied):
        receipt_pdf(user=paid.p.users["chi_hoi"], pk=paid.hi_receipt.pk)
    assert receipt_pdf(user=paid.p.users["bhxh_tinh"], pk=paid.hi_receipt.pk).startswith(b"%PDF")


@needs_poppler
def test_form_4_lists_the_members_with_base_salary_relationship_and_months(paid, tmp_path):
    pdf = household_form4_pdf(user=paid.p.users["thu_1"], pk=paid.p.household.pk, on=datetime.date(2024, 7, 1))
    text = _text(pdf)
    on = datetime.date.fromisoformat(paid.vectors["hi"]["request"]["on"])
    base_salary = int(default_parameters().get("common.base_salary", on).value)
    assert f"{base_salary:,}".replace(",", ".") in text
    for words in ("DANH SÁCH THÀNH VIÊN HỘ GIA ĐÌNH THAM GIA BẢO HIỂM Y TẾ", "Mẫu số 04",
                  "Nghị định số 188/2025/NĐ-CP", "Họ và tên chủ hộ: Nguyễn Văn An", "Mã hộ gia đình: HG-0001", "Lê Thị Hường", "Cha/Mẹ",
                  "Vợ/Chồng", "Chủ hộ", "093172000002", "05/03/1970", "0930000001",
                  "Ngày 01 tháng 07 năm 2024"):
        assert words in text, words
    assert text.count(" 12 ") >= 5  # months on each of the five rows
    assert all("DejaVu" in font for font in _fonts(pdf, tmp_path))


def test_form_4_is_refused_outside_scope(paid):
    with pytest.raises(OutOfScope):
        household_form4_pdf(user=paid.p.users["thu_2"], pk=paid.p.household.pk)


@needs_poppler
def test_form_4_of_a_household_without_payment_lists_who_would_be_on_it(paid):
    text = _text(household_form4_pdf(user=paid.p.users["thu_2"], pk=paid.p.other_household.pk))
    assert "Phạm Văn Dũng" in text and "Chủ hộ" in text


@needs_poppler
def test_every_vietnamese_letter_survives_the_pdf():
    letters = "ăâđêôơư ĂÂĐÊÔƠƯ àảãáạ ằẳẵắặ ầẩẫấậ èẻẽéẹ ềểễếệ ìỉĩíị òỏõóọ ồổỗốộ ờởỡớợ ùủũúụ ừửữứự ỳỷỹýỵ"
    html = ('<html><head><meta charset="utf-8"><style>html{font-family:"DejaVu Sans"}</style></head>'
            f"<body><p>{letters}</p></body></html>")
    assert letters in _text(html_to_pdf(html))
