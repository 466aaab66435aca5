from django.urls import path

from . import views

urlpatterns = [
    path("ho/<int:pk>/thu-bhyt/", views.hi_pay, name="hi_pay"),
    path("ho/<int:pk>/thu-bhxh/", views.vsi_pay, name="vsi_pay"),
    path("ho/<int:pk>/tinh-bhxh/", views.vsi_calculator, name="vsi_calculator"),
    path("bien-lai/<int:pk>/", views.receipt_detail, name="receipt"),
]
