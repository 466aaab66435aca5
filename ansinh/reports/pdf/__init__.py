"""PDF documents rendered from HTML templates with WeasyPrint: the receipt (biên lai) and the household
member list (Form 4 of Decree 188/2025/NĐ-CP). Each function checks permission and scope, then returns
the PDF as bytes."""

from .documents import household_form4_pdf, html_to_pdf, receipt_pdf

__all__ = ["household_form4_pdf", "html_to_pdf", "receipt_pdf"]
