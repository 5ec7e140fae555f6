from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District / city")
    WARD = "ward", _("Ward / commune")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood / village")


LEVEL_DEPTH = {
    UnitLevel.PROVINCE: 0,
    UnitLevel.DISTRICT: 1,
    UnitLevel.WARD: 2,
    UnitLevel.NEIGHBOURHOOD: 3,
}

# The day the two-level local government took effect.
REORGANISATION_DATE = "2025-07-01"
LEGACY_VALID_TO = "2025-06-30"
