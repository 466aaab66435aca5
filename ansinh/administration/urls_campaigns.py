"""/quan-tri/chien-dich/…: campaigns side by side, their period and targets, copying targets."""

from django.urls import path

from . import views_campaigns as views

urlpatterns = [
    path("chien-dich/", views.campaign_list_view, name="admin_campaign_list"),
    path("chien-dich/them/", views.campaign_create_view, name="admin_campaign_create"),
    path("chien-dich/<int:pk>/", views.campaign_edit_view, name="admin_campaign_edit"),
    path("chien-dich/<int:pk>/sao-chep-chi-tieu/", views.campaign_copy_view, name="admin_campaign_copy"),
    path("chien-dich/<int:pk>/chi-tieu/them/", views.target_create_view, name="admin_target_create"),
    path("chi-tieu/<int:pk>/", views.target_edit_view, name="admin_target_edit"),
]
