from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "safeward.geo"
    label = "geo"
