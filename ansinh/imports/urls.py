from django.urls import path

from . import views

urlpatterns = [
    path("nhap/", views.upload, name="import_upload"),
    path("nhap/<int:pk>/", views.batch_detail, name="import_batch"),
    path("nhap/<int:pk>/tien-do/", views.batch_progress, name="import_progress"),
    path("nhap/<int:pk>/ghep-cot/", views.batch_mapping, name="import_mapping"),
    path("nhap/<int:pk>/ghi/", views.batch_commit, name="import_commit"),
    path("nhap/<int:pk>/dung/", views.batch_cancel, name="import_cancel"),
    path("nhap/<int:pk>/dong-bi-loai.xlsx", views.batch_rejected, name="import_rejected"),
    path("nhap/trung/", views.duplicate_list, name="duplicate_list"),
    path("nhap/trung/<int:pk>/", views.duplicate_decide, name="duplicate_decide"),
]
