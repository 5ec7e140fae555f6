"""Who keeps a camera and how to reach them: personal data behind its own permission."""

from __future__ import annotations

from safeward.core.personal import PersonalFields

CUSTODIAN_CONTACT = "cameras.view_custodian_contact"
CAMPAIGN_ORGANISER = "cameras.view_campaign_organiser"

# The serializer and page fields naming or reaching the custodian (a household, a shop).
CUSTODIAN = PersonalFields(
    perm=CUSTODIAN_CONTACT,
    fields=("custodian_label", "contact", "preferred_channel"),
    action="cameras.view_custodian_contact",
)
# The same, on a row that carries its camera (footage candidates).
CANDIDATE_CUSTODIAN = PersonalFields(
    perm=CUSTODIAN_CONTACT,
    fields=("custodian",),
    action="cameras.view_custodian_contact",
    via="camera",
)
# Who organises a campaign (a committee, a household, a named resident).
ORGANISER = PersonalFields(
    perm=CAMPAIGN_ORGANISER,
    fields=("organiser_label",),
    action="cameras.view_campaign_organiser",
)
