from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo province generator (``ansinh demo``): generated data only, no models."""

    name = "ansinh.demo"
    verbose_name = "Dữ liệu mẫu"
