"""Names on community records, behind the same permission as the people register."""

from __future__ import annotations

from safeward.core.personal import PersonalFields
from safeward.people.personal import PERSON_IDENTITY

# Who signed a household's pledge: a name, like a person's.
PLEDGE_SIGNER = PersonalFields(
    perm=PERSON_IDENTITY, fields=("signed_by",), action="people.view_person_identity"
)

# The leader a list of groups names: a person's name.
GROUP_LEADER_NAME = PersonalFields(
    perm=PERSON_IDENTITY, fields=("leader_name",), action="people.view_person_identity"
)
