from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "ansinh.collection"
    verbose_name = "Thu tiền và biên lai"
