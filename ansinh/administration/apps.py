from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "ansinh.administration"
    verbose_name = "Quản trị tỉnh"
