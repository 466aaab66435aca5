from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ansinh.accounts"
    verbose_name = "Người dùng và phân quyền"
