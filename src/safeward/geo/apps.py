from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "safeward.geo"
    label = "geo"

    def ready(self) -> None:
        from safeward.geo import csv_import, importer

        csv_import.register_kinds()
        importer.register_kinds()
