from django.apps import AppConfig


class ParametersConfig(AppConfig):
    name = "ansinh.parameters"
    verbose_name = "Tham số pháp lý"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from . import selectors

        request_started.connect(selectors.request_started, dispatch_uid="ansinh.parameters.request_started")
        request_finished.connect(selectors.request_finished, dispatch_uid="ansinh.parameters.request_finished")
