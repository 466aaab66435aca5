"""URLs of the official lists, working lists and PDF documents (mounted at the site root)."""

from django.urls import path

from . import views_lists as views

urlpatterns = [
    path("danh-sach/", views.lists_home, name="lists"),
    path("danh-sach/<slug:kind>.xlsx", views.list_xlsx, name="list_xlsx"),
    path("danh-sach/<slug:kind>/da-gui/", views.list_mark_sent, name="list_mark_sent"),
    path("so-thu/", views.book_page, name="collection_book"),
    path("so-thu/xlsx/", views.book_xlsx, name="collection_book_xlsx"),
    path("doi-soat/", views.reconciliation_page, name="reconciliation"),
    path("doi-soat/xlsx/", views.reconciliation_xlsx, name="reconciliation_xlsx"),
    path("tai-tuc/", views.renewals_page, name="renewals"),
    path("tai-tuc/xlsx/", views.renewals_xlsx, name="renewals_xlsx"),
    path("bien-lai/<int:pk>/pdf/", views.receipt_pdf_view, name="receipt_pdf"),
    path("ho/<int:pk>/mau-4/pdf/", views.household_form4_pdf_view, name="household_form4_pdf"),
]
