from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "safeward.geo"
    label = "geo"

    def ready(self) -> None:
        from safeward.core.units import register_unit_tree
        from safeward.geo.csv_import import register_kinds
        from safeward.geo.queries import GeoUnitTree

        register_kinds()
        register_unit_tree(GeoUnitTree())
