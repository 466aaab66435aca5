from django.urls import path

from . import views

urlpatterns = [
    path("tinh-muc-dong/", views.contribution, name="calculator_contribution"),
    path("tinh-luong-huu/", views.benefits, name="calculator_benefits"),
]
