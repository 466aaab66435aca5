from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ansinh.core"
    verbose_name = "Lõi"

    def ready(self):
        from . import deploy  # noqa: F401  (registers the deploy checks)
