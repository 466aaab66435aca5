from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "ansinh.imports"
    label = "imports"
    verbose_name = "Nhập danh sách"
