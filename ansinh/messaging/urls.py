from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("tin-nhan/", views.outbox, name="outbox"),
    path("tin-nhan/xep-hang/", views.queue_now, name="queue_now"),
    path("tin-nhan/mau/", views.templates, name="templates"),
    path("tin-nhan/mau/<str:kind>/", views.template_edit, name="template_edit"),
    path("tin-nhan/dong-y/<int:person_id>/", views.consent, name="consent"),
    path("tu-choi/<str:token>/", views.opt_out, name="opt_out"),
    path("tin-nhan/webhook/bao-cao/", views.delivery_webhook, name="delivery_webhook"),
    path("tin-nhan/webhook/tra-loi/", views.inbound_webhook, name="inbound_webhook"),
]
