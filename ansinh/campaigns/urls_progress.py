"""Pages of campaign progress, targets and reminders (mounted at the site root by config/urls.py)."""

from django.urls import path

from . import views_progress as views

urlpatterns = [
    path("tien-do/", views.progress, name="progress"),
    path("tien-do/theo-ngay/", views.progress_daily, name="progress_daily"),
    path("tien-do/can-bo/", views.progress_leaders, name="progress_leaders"),
    path("tien-do/ra-quan/", views.progress_live, name="progress_live"),
    path("tien-do/ra-quan/bang/", views.progress_live_board, name="progress_live_board"),
    path("chi-tieu/", views.targets, name="targets"),
    path("chi-tieu/them/", views.target_new, name="target_new"),
    path("chi-tieu/<int:pk>/sua/", views.target_edit, name="target_edit"),
    path("chi-tieu/<int:pk>/xoa/", views.target_remove, name="target_remove"),
    path("viec-can-lam/", views.reminders, name="reminders"),
]
