from django.urls import path

from . import views, views_handover, views_receipts

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
]
