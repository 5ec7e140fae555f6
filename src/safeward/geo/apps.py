from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "safeward.geo"
    label = "geo"

    def ready(self) -> None:
        from safeward.geo.csv_import import register_kinds

        register_kinds()
