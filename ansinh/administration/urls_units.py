"""/quan-tri/chi-hoi/…: association units (branches, savings-and-loan groups) and their leaders."""

from django.urls import path

from . import views_units

urlpatterns: list = [
    path("chi-hoi/", views_units.unit_list, name="admin_unit_list"),
    path("chi-hoi/them/", views_units.unit_create, name="admin_unit_create"),
    path("chi-hoi/<int:pk>/", views_units.unit_detail, name="admin_unit_detail"),
    path("chi-hoi/<int:pk>/sua/", views_units.unit_edit, name="admin_unit_edit"),
    path("chi-hoi/<int:pk>/dong/", views_units.unit_close, name="admin_unit_close"),
    path("chi-hoi/<int:pk>/sap-nhap/", views_units.unit_merge, name="admin_unit_merge"),
    path("chi-hoi/<int:pk>/nguoi-dung-dau/", views_units.unit_leader, name="admin_unit_leader"),
]
