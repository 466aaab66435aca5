from django.urls import path

from . import views

urlpatterns = [
    path("chien-dich/", views.dashboard, name="dashboard"),
    path("chien-dich/chon/", views.working_context_change, name="working_context"),
]
