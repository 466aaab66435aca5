from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "ansinh.messaging"
    verbose_name = "Nhắc hạn qua tin nhắn"
