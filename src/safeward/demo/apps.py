from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "safeward.demo"
    label = "demo"
