from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safeward.people"
    label = "people"

    def ready(self) -> None:
        from safeward.accounts.roles import FRONT_MEMBER, GROUP_LEADER, OFFICERS, crud, grant
        from safeward.people.personal import PERSON_CONTACT, PERSON_IDENTITY

        grant([*OFFICERS, FRONT_MEMBER], [*crud("people.household"), *crud("people.person")])
        grant([GROUP_LEADER], [*crud("people.person", ("view", "add")), "people.view_household"])
        # Names for those who work with the people; years of birth and contact details only
        # for the police, who visit and call (safeward.people.personal).
        grant([*OFFICERS, FRONT_MEMBER], [PERSON_IDENTITY])
        grant(OFFICERS, [PERSON_CONTACT])

        from safeward.people.imports import register_kinds

        register_kinds()
