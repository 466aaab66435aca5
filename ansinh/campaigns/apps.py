from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "ansinh.campaigns"
    verbose_name = "Chiến dịch và chỉ tiêu"
