from django.urls import path

from . import views, views_cancellation, views_handover, views_receipts

urlpatterns = [
    path("ho/<int:pk>/thu-bhyt/", views.hi_pay, name="hi_pay"),
    path("ho/<int:pk>/thu-bhxh/", views.vsi_pay, name="vsi_pay"),
    path("ho/<int:pk>/tinh-bhxh/", views.vsi_calculator, name="vsi_calculator"),
    path("ho/<int:pk>/bao-gia-bhyt/", views.hi_quote_save, name="hi_quote_save"),
    path("ho/<int:pk>/bao-gia-bhxh/", views.vsi_quote_save, name="vsi_quote_save"),
    path("bao-gia/<str:kind>/<int:pk>/", views.quote_pay, name="quote_pay"),
    path("ban-giao/", views_handover.handover_page, name="handover"),
    path("ban-giao/<int:pk>/xac-nhan/", views_handover.handover_confirm_view, name="handover_confirm"),
    path("bien-lai/", views_receipts.receipt_list, name="receipt_list"),
    path("bien-lai/<int:pk>/", views.receipt_detail, name="receipt"),
    path("bien-lai/<int:pk>/yeu-cau-huy/", views_cancellation.payment_cancel_request, name="payment_cancel_request"),
    path("huy-thu/", views_cancellation.payment_cancel_queue, name="payment_cancel_queue"),
    path("huy-thu/<int:pk>/duyet/", views_cancellation.payment_cancel_approve, name="payment_cancel_approve"),
    path("huy-thu/<int:pk>/tu-choi/", views_cancellation.payment_cancel_refuse, name="payment_cancel_refuse"),
    path("huy-thu/<int:pk>/hoan-tien/", views_cancellation.payment_cancel_refund, name="payment_cancel_refund"),
]
