"""Who a person or household is and how to reach them: each behind its own permission, audited.

Names go to those whose work is with the people themselves (the police, the Front committee
that runs groups, courses and sessions); years of birth, phones, e-mails and addresses only
to the police, who visit and call. Group leaders and analysts count people; they read neither.
"""

from __future__ import annotations

from safeward.core.personal import PersonalFields

PERSON_IDENTITY = "people.view_person_identity"
PERSON_CONTACT = "people.view_person_contact"

PERSON_NAME = PersonalFields(
    perm=PERSON_IDENTITY, fields=("full_name",), action="people.view_person_identity"
)
PERSON_DETAILS = PersonalFields(
    perm=PERSON_CONTACT,
    fields=("birth_year", "phone", "email"),
    action="people.view_person_contact",
)
# A household is usually named after its head.
HOUSEHOLD_NAME = PersonalFields(
    perm=PERSON_IDENTITY, fields=("label",), action="people.view_person_identity"
)
HOUSEHOLD_DETAILS = PersonalFields(
    perm=PERSON_CONTACT, fields=("address", "phone"), action="people.view_person_contact"
)
# The name of the person a row of another record refers to (a group member, ...).
NAME_OF_PERSON = PersonalFields(
    perm=PERSON_IDENTITY,
    fields=("person_name",),
    action="people.view_person_identity",
    via="person",
)
# Where a person agreed to receive bulletins: the phone, e-mail or Zalo number itself.
CONTACT_ADDRESS = PersonalFields(
    perm=PERSON_CONTACT,
    fields=("value",),
    action="people.view_person_contact",
    via="person",
)
