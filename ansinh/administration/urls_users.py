"""/quan-tri/nguoi-dung/…: users; /quan-tri/lich-su/<kind>/<pk>/: the history of any structure record."""

from django.urls import path

from . import views_users as views

urlpatterns = [
    path("nguoi-dung/", views.user_list_view, name="admin_user_list"),
    path("nguoi-dung/them/", views.user_create_view, name="admin_user_create"),
    path("nguoi-dung/<int:pk>/", views.user_edit_view, name="admin_user_edit"),
    path("nguoi-dung/<int:pk>/khoa/", views.user_deactivate_view, name="admin_user_deactivate"),
    path("nguoi-dung/<int:pk>/mo-khoa/", views.user_reactivate_view, name="admin_user_reactivate"),
    path("nguoi-dung/<int:pk>/mat-khau/", views.user_password_view, name="admin_user_password"),
    path("lich-su/<str:kind>/<int:pk>/", views.history_view, name="admin_history"),
]
