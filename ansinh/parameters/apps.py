from django.apps import AppConfig


class ParametersConfig(AppConfig):
    name = "ansinh.parameters"
    verbose_name = "Tham số pháp lý"
