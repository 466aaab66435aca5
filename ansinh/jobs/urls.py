from django.urls import path

from . import views

urlpatterns = [
    path("viec/", views.job_list, name="job_list"),
    path("viec/<int:pk>/", views.job_detail, name="job_detail"),
    path("viec/<int:pk>/tien-do/", views.job_progress, name="job_progress"),
    path("viec/<int:pk>/ket-qua/", views.job_result, name="job_result"),
    path("viec/<int:pk>/dung/", views.job_cancel, name="job_cancel"),
]
