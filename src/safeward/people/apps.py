from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safeward.people"
    label = "people"

    def ready(self) -> None:
        from safeward.accounts.roles import FRONT_MEMBER, GROUP_LEADER, OFFICERS, crud, grant

        grant([*OFFICERS, FRONT_MEMBER], [*crud("people.household"), *crud("people.person")])
        grant([GROUP_LEADER], [*crud("people.person", ("view", "add")), "people.view_household"])

        from safeward.people.imports import register_kinds

        register_kinds()
