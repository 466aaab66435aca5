from django.apps import AppConfig


class CalculatorConfig(AppConfig):
    name = "ansinh.calculator"
    verbose_name = "Tra cứu mức đóng và quyền lợi"
