from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "safeward.geo"
    label = "geo"

    def ready(self) -> None:
        from safeward.core.units import register_unit_tree
        from safeward.geo import csv_import, importer
        from safeward.geo.queries import GeoUnitTree

        csv_import.register_kinds()
        importer.register_kinds()
        register_unit_tree(GeoUnitTree())
