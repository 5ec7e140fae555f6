"""In-app help: one section per role, each a few tasks told as numbered steps.

Steps name what the screen shows through references rather than copies: ``menu`` is a
place in the menu (an entry's url name or a group's key, read from
:mod:`safeward.web.navigation`), ``link`` a public link of the portal
(:mod:`safeward.web.public`), ``ui`` a label, button or heading the pages show (its
message id, translated from the catalogue of the app that shows it). The help therefore
says what the user sees in their language, and ``tests/web/test_help.py`` fails when a
menu entry, link or label it quotes no longer exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi, gettext, pgettext
from django.utils.translation import gettext_lazy as _

from safeward.accounts.roles import (
    ANALYST,
    CITY_OFFICER,
    FRONT_MEMBER,
    GROUP_LEADER,
    MENTOR,
    PROVINCE_ADMIN,
    RESIDENT,
    STAFF,
    WARD_POLICE,
)
from safeward.web.navigation import menu_path
from safeward.web.public import public_label


@dataclass(frozen=True)
class Ref:
    """A name the interface shows: ``kind`` is ``menu``, ``link`` or ``ui``."""

    kind: str
    key: str
    context: str = ""

    def text(self) -> str:
        if self.kind == "menu":
            # The menu is read from its section to its entry, in the reading direction.
            arrow = " ‹ " if get_language_bidi() else " › "
            return arrow.join(str(label) for label in menu_path(self.key))
        if self.kind == "link":
            return str(public_label(self.key))
        return pgettext(self.context, self.key) if self.context else gettext(self.key)


def menu(key: str) -> Ref:
    return Ref("menu", key)


def link(url_name: str) -> Ref:
    return Ref("link", url_name)


def ui(msgid: str, context: str = "") -> Ref:
    return Ref("ui", msgid, context)


@dataclass(frozen=True)
class Step:
    text: Promise
    refs: tuple[tuple[str, Ref], ...] = ()

    def render(self) -> SafeString:
        names = {
            name: format_html('<strong class="ui">{}</strong>', ref.text())
            for name, ref in self.refs
        }
        return mark_safe(conditional_escape(str(self.text)).format(**names))  # noqa: S308


def step(text: Promise, **refs: Ref) -> Step:
    return Step(text, tuple(refs.items()))


@dataclass(frozen=True)
class Task:
    anchor: str
    title: Promise
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Section:
    anchor: str
    title: Promise
    roles: tuple[str, ...]
    intro: Promise
    tasks: tuple[Task, ...] = field(default=())

    def refs(self) -> list[Ref]:
        return [ref for task in self.tasks for s in task.steps for _name, ref in s.refs]


SECTIONS: tuple[Section, ...] = (
    Section(
        "resident",
        _("Residents"),
        (RESIDENT,),
        _(
            "Anyone may report what they see, with no account, and follow what the ward "
            "police do about it."
        ),
        (
            Task(
                "report",
                _("Send a report"),
                (
                    step(_("On the start page press {link}."), link=link("reports:submit")),
                    step(
                        _("In {field} choose what it is about; answer any questions that appear."),
                        field=ui("What is it about?"),
                    ),
                    step(
                        _(
                            "In {field} write who, what, where and when. Do not put yourself in danger."
                        ),
                        field=ui("What happened?"),
                    ),
                    step(
                        _(
                            "Under {where} press {locate} or tap the map; without your location, "
                            "choose the {ward} and write an {address}."
                        ),
                        where=ui("Where?"),
                        locate=ui("Use my location"),
                        ward=ui("Ward"),
                        address=ui("Address or landmark"),
                    ),
                    step(
                        _(
                            "Fill in {when} if it is not happening now, and add {photos} if you have any."
                        ),
                        when=ui("When did it happen?"),
                        photos=ui("Photos or videos"),
                    ),
                    step(
                        _("Under {about} choose whether you stay anonymous (see below)."),
                        about=ui("About you"),
                    ),
                    step(_("Press {send}."), send=ui("Send report")),
                    step(
                        _(
                            "Write down the {code} and the {secret} shown next: the secret is "
                            "shown only once."
                        ),
                        code=ui("Tracking code"),
                        secret=ui("Secret"),
                    ),
                ),
            ),
            Task(
                "anonymous",
                _("Anonymous or named"),
                (
                    step(
                        _(
                            "{anonymous} is ticked at first: the police do not learn who you are, "
                            "and you follow the report with its code and secret."
                        ),
                        anonymous=ui("Stay anonymous"),
                    ),
                    step(
                        _(
                            "Untick it and give {name} and a {phone} or {email} if you want an "
                            "officer to contact you."
                        ),
                        name=ui("Your name"),
                        phone=ui("Phone"),
                        email=ui("Email"),
                    ),
                    step(
                        _(
                            "Only officers with a special permission can see who made a named "
                            "report, and every look is recorded."
                        )
                    ),
                ),
            ),
            Task(
                "track",
                _("Follow a report and answer the police"),
                (
                    step(_("On the start page press {link}."), link=link("reports:track")),
                    step(
                        _(
                            "Enter the {code}; add the {secret} to read messages and reply. "
                            "Press {show}."
                        ),
                        code=ui("Tracking code"),
                        secret=ui("Secret"),
                        show=ui("Show"),
                    ),
                    step(
                        _("{status} and {history} show where the report stands."),
                        status=ui("Status"),
                        history=ui("History"),
                    ),
                    step(
                        _(
                            "Under {messages} read the police's questions, write your answer and press {send}."
                        ),
                        messages=ui("Messages"),
                        send=ui("Send message"),
                    ),
                    step(
                        _(
                            "If the ward is wrong, choose the right one under {wrong} and press {fix}."
                        ),
                        wrong=ui("Wrong place?"),
                        fix=ui("Correct the ward"),
                    ),
                ),
            ),
        ),
    ),
    Section(
        "custodian",
        _("Camera custodians"),
        (),
        _(
            "Residents and businesses who keep a community camera decide each time whether "
            "to share footage the police ask for."
        ),
        (
            Task(
                "footage-answer",
                _("Answer a footage request"),
                (
                    step(
                        _("Open the one-time link the ward police sent you; it shows {request}."),
                        request=ui("A request for footage from your camera"),
                    ),
                    step(
                        _("To share, choose the clip and press {send}."),
                        send=ui("Send the clip"),
                    ),
                    step(
                        _(
                            "To decline or explain, write your answer and press {answer}. "
                            "Declining changes nothing for you."
                        ),
                        answer=ui("Send this answer"),
                    ),
                    step(
                        _(
                            "Signed in, {mine} lists every access to footage from your cameras; "
                            "{withdraw} stops the sharing."
                        ),
                        mine=ui("Requests to my cameras"),
                        withdraw=ui("Withdraw my consent"),
                    ),
                ),
            ),
        ),
    ),
    Section(
        "staff",
        _("Staff: signing in"),
        tuple(STAFF),
        _("Every staff account signs in with a password and a code from an authenticator app."),
        (
            Task(
                "sign-in",
                _("Sign in"),
                (
                    step(_("Press {signin} in the top bar."), signin=ui("Staff sign-in")),
                    step(_("Enter your user name and password.")),
                    step(
                        _(
                            "Enter the six-digit code your authenticator app shows for SafeWard "
                            "(the first time, scan the code the page shows)."
                        )
                    ),
                    step(
                        _("{home} shows what is {waiting}, and the roles you hold in each unit."),
                        home=menu("web:home"),
                        waiting=ui("Waiting for you"),
                    ),
                ),
            ),
        ),
    ),
    Section(
        "group-leader",
        _("Self-managed group leaders"),
        (GROUP_LEADER,),
        _("Leaders keep their group's members, duty roster and patrol log."),
        (
            Task(
                "group",
                _("Your group"),
                (
                    step(_("Open {menu} and choose your group."), menu=menu("community:groups")),
                    step(
                        _("{edit} changes its details; {status} records a change of status."),
                        edit=ui("Edit"),
                        status=ui("Change status"),
                    ),
                ),
            ),
            Task(
                "members",
                _("Members"),
                (
                    step(_("On the group's page press {add}."), add=ui("Add member")),
                    step(
                        _("Choose the person and their role, then press {save}."), save=ui("Save")
                    ),
                    step(
                        _("When a member leaves, press {leave} on their row."),
                        leave=ui("Record leaving"),
                    ),
                ),
            ),
            Task(
                "patrol",
                _("Log a patrol"),
                (
                    step(_("On the group's page press {log}."), log=ui("Log a patrol")),
                    step(
                        _("Fill in {kind}, {date}, {start}, {end} and {area}."),
                        kind=ui("Kind"),
                        date=ui("Date"),
                        start=ui("Start"),
                        end=ui("End"),
                        area=ui("Route or area"),
                    ),
                    step(
                        _(
                            "Tick the {present}, write {observed} and, if you reported something, "
                            "its {reference}."
                        ),
                        present=ui("Members present"),
                        observed=ui("What was observed"),
                        reference=ui("Report raised (tracking code)"),
                    ),
                    step(
                        _("Press {save}; the patrol is listed under {list}."),
                        save=ui("Save"),
                        list=ui("Patrols and activities"),
                    ),
                ),
            ),
            Task(
                "roster",
                _("Plan the duty roster"),
                (
                    step(_("On the group's page press {roster}."), roster=ui("Duty roster")),
                    step(
                        _("Add who is on duty each day of the week; the page prints on one sheet.")
                    ),
                ),
            ),
        ),
    ),
    Section(
        "ward-police",
        _("Ward police officers"),
        (WARD_POLICE, CITY_OFFICER),
        _(
            "Officers handle the reports of their units: triage, assignment, messages with the "
            "reporter, footage from community cameras, evidence and outcomes."
        ),
        (
            Task(
                "work-queue",
                _("Your work queue"),
                (
                    step(
                        _("{home} lists what is {waiting}:"),
                        home=menu("web:home"),
                        waiting=ui("Waiting for you"),
                    ),
                    step(
                        _("{new}, {assigned}, {overdue}, {due} and {messages}."),
                        new=ui("New reports in your units"),
                        assigned=ui("Assigned to you"),
                        overdue=ui("Overdue"),
                        due=ui("Due soon"),
                        messages=ui("Messages awaiting a reply"),
                    ),
                    step(
                        _(
                            "{list} shows every report of your units, with filters; tick several "
                            "to assign or merge them at once."
                        ),
                        list=menu("reports:list"),
                    ),
                ),
            ),
            Task(
                "triage",
                _("Triage a report"),
                (
                    step(
                        _("Open the report and read it, its place, its photos and {dups}."),
                        dups=ui("Possible duplicates"),
                    ),
                    step(_("Press {triaged}."), triaged=ui("Mark triaged")),
                    step(
                        _("Choose the {priority} and press {set}."),
                        priority=ui("Priority"),
                        set=ui("Set priority"),
                    ),
                    step(
                        _("If the facts must be checked on the ground, press {verify}."),
                        verify=ui("Start verifying"),
                    ),
                    step(
                        _("A duplicate of another report: use {merge} on the one you keep."),
                        merge=ui("Merge into this one"),
                    ),
                ),
            ),
            Task(
                "assign",
                _("Assign a report"),
                (
                    step(
                        _("Under {actions} choose the {officer} or write a {team}."),
                        actions=ui("Actions"),
                        officer=ui("Officer"),
                        team=ui("Team"),
                    ),
                    step(
                        _("Press {assign}; the officer finds it under {assigned}."),
                        assign=ui("Assign"),
                        assigned=ui("Assigned to you"),
                    ),
                ),
            ),
            Task(
                "messages",
                _("Messages to the reporter"),
                (
                    step(
                        _(
                            "Under {messages} write your question and press {send}; the reporter "
                            "reads it with their tracking code, even when anonymous."
                        ),
                        messages=ui("Messages with the reporter"),
                        send=ui("Send to reporter"),
                    ),
                    step(
                        _("For colleagues only, write an {note} and press {add}."),
                        note=ui("Internal note"),
                        add=ui("Add note"),
                    ),
                ),
            ),
            Task(
                "footage",
                _("Ask community cameras for footage"),
                (
                    step(_("On the report press {ask}."), ask=ui("Ask community cameras")),
                    step(
                        _("Tick the {cameras}, then fill in {request}: why, and the time window."),
                        cameras=ui("Cameras that may help"),
                        request=ui("The request"),
                    ),
                    step(
                        _(
                            "Press {send}; once the Front committee or the city police approve, "
                            "each custodian receives a one-time link."
                        ),
                        send=ui("Send for approval"),
                    ),
                    step(
                        _(
                            "Follow it under {menu}: {show} for a custodian without a phone, "
                            "{upload} when you copied the clip on site, {close} when done."
                        ),
                        menu=menu("evidence:requests"),
                        show=ui("Show the link"),
                        upload=ui("Upload a clip extracted on site"),
                        close=ui("Close the request"),
                    ),
                ),
            ),
            Task(
                "evidence",
                _("Evidence"),
                (
                    step(
                        _("Each clip received is listed under {received}; open it."),
                        received=ui("Evidence received"),
                    ),
                    step(
                        _("{download} and {minutes} give the file and its minutes."),
                        download=ui("Download clip"),
                        minutes=ui("Extraction minutes (PDF)"),
                    ),
                    step(
                        _("{chain} lists every access; {retention} changes how long it is kept."),
                        chain=ui("Chain of custody"),
                        retention=ui("Change retention"),
                    ),
                ),
            ),
            Task(
                "outcome",
                _("Record the outcome"),
                (
                    step(
                        _(
                            "Press {resolve}, choose the {outcome}, write a {public} the reporter "
                            "will read and, if needed, an {internal}."
                        ),
                        resolve=ui("Resolve"),
                        outcome=ui("Outcome"),
                        public=ui("Public note"),
                        internal=ui("Internal note"),
                    ),
                    step(_("Confirm on the next page.")),
                    step(
                        _(
                            "{close} ends a report without an outcome; {reopen} takes it up again "
                            "with a reason; {extend} moves the deadline once, up to two months."
                        ),
                        close=ui("Close"),
                        reopen=ui("Reopen"),
                        extend=ui("Extend"),
                    ),
                ),
            ),
        ),
    ),
    Section(
        "front-member",
        _("Fatherland Front committee members"),
        (FRONT_MEMBER,),
        _(
            "Front members approve footage requests, follow residents' reports with the police "
            "and run the community and outreach work of their ward."
        ),
        (
            Task(
                "verification",
                _("Approve or reject footage requests"),
                (
                    step(
                        _("{home} lists the {awaiting}."),
                        home=menu("web:home"),
                        awaiting=ui("Footage requests awaiting your approval"),
                    ),
                    step(
                        _("Open one and read its {purpose}, {window} and {cameras}."),
                        purpose=ui("Purpose"),
                        window=ui("Window"),
                        cameras=ui("Cameras asked"),
                    ),
                    step(
                        _("Press {approve} or {reject}."),
                        approve=ui("Approve"),
                        reject=ui("Reject"),
                    ),
                    step(
                        _("{list} shows the reports of your ward and what was done."),
                        list=menu("reports:list"),
                    ),
                ),
            ),
            Task(
                "community",
                _("Community work"),
                (
                    step(
                        _("{menu}: self-managed groups, their members and patrols."),
                        menu=menu("community:groups"),
                    ),
                    step(
                        _("{menu}: movement models; {new} adds one."),
                        menu=menu("community:models"),
                        new=ui("New model"),
                    ),
                    step(
                        _(
                            "{menu}: {new} scores a neighbourhood; {pledge} records a family's pledge."
                        ),
                        menu=menu("community:assessments"),
                        new=ui("New assessment"),
                        pledge=ui("Record a family pledge"),
                    ),
                ),
            ),
            Task(
                "outreach",
                _("Outreach"),
                (
                    step(
                        _("{menu}: {record} after each session, with its attendance."),
                        menu=menu("outreach:sessions"),
                        record=ui("Record a session"),
                    ),
                    step(
                        _("{menu}: {new}, then {add} for each participant."),
                        menu=menu("outreach:courses"),
                        new=ui("New course"),
                        add=ui("Add participant"),
                    ),
                    step(
                        _("{menu}: campaigns that fund community cameras."),
                        menu=menu("cameras:campaigns"),
                    ),
                ),
            ),
        ),
    ),
    Section(
        "mentor",
        _("Mentors"),
        (MENTOR,),
        _("Mentors see the figures of the units they work in."),
        (
            Task(
                "mentor-start",
                _("Where to start"),
                (
                    step(_("{home} shows your roles and units."), home=menu("web:home")),
                    step(
                        _("{dashboard} shows the figures of your units."),
                        dashboard=menu("analytics:dashboard"),
                    ),
                ),
            ),
        ),
    ),
    Section(
        "leadership",
        _("City and province staff"),
        (CITY_OFFICER, ANALYST, PROVINCE_ADMIN),
        _(
            "Leadership follows every figure rolled up from neighbourhood to province, across "
            "the July 2025 reorganisation of units."
        ),
        (
            Task(
                "dashboard",
                _("Read the dashboard"),
                (
                    step(_("Open {menu}."), menu=menu("analytics:dashboard")),
                    step(
                        _(
                            "Choose the {indicator}, the {year} and {breakdown}, then press "
                            "{show}; a unit's name below opens its own figures."
                        ),
                        indicator=ui("Indicator"),
                        year=ui("Year"),
                        breakdown=ui("Break down by"),
                        show=ui("Show"),
                    ),
                    step(
                        _("Each figure stands beside the {same}."),
                        same=ui("Same period last year"),
                    ),
                    step(_("{csv} exports what the page shows."), csv=ui("Download CSV")),
                ),
            ),
            Task(
                "periodic",
                _("Periodic reports"),
                (
                    step(_("On the dashboard open {reports}."), reports=ui("Periodic reports")),
                    step(
                        _("Choose the unit, the {period} and the {format}, then press {generate}."),
                        period=ui("Period"),
                        format=ui("Format"),
                        generate=ui("Generate"),
                    ),
                    step(_("When it is ready, press {download}."), download=ui("Download")),
                ),
            ),
            Task(
                "units",
                _("Units and the July 2025 reorganisation"),
                (
                    step(_("Open {menu}."), menu=menu("web:units")),
                    step(
                        _("{current} lists today's units; {before} those that existed before."),
                        current=ui("Current units"),
                        before=ui("Before July 2025"),
                    ),
                    step(
                        _(
                            "A ward formed by the merger shows {formed} its former wards; their "
                            "figures count in it."
                        ),
                        formed=ui("Formed on 1 July 2025 from"),
                    ),
                ),
            ),
        ),
    ),
    Section(
        "admin",
        _("Administrators"),
        (PROVINCE_ADMIN,),
        _("Province administrators keep the units, the report categories and the audit."),
        (
            Task(
                "admin-units",
                _("Neighbourhoods"),
                (
                    step(_("Open {menu} and choose a ward."), menu=menu("web:units")),
                    step(
                        _("Press {add} to add a neighbourhood or village."),
                        add=ui("Add neighbourhood"),
                    ),
                ),
            ),
            Task(
                "categories",
                _("Report categories"),
                (
                    step(_("Open {menu}."), menu=menu("reports:catalogue")),
                    step(_("Choose a category and change its wording in the three languages.")),
                    step(_("Press {save}; every change is recorded."), save=ui("Save")),
                ),
            ),
            Task(
                "audit",
                _("Audit log and API access"),
                (
                    step(
                        _("{menu} shows every change: who, what and when."), menu=menu("web:audit")
                    ),
                    step(
                        _("{tokens} on the home page gives other systems access to the API."),
                        tokens=ui("API tokens"),
                    ),
                ),
            ),
        ),
    ),
)


def anchors() -> set[str]:
    return {s.anchor for s in SECTIONS} | {t.anchor for s in SECTIONS for t in s.tasks}


def sections_for(user: Any) -> list[dict[str, Any]]:
    """Every section, rendered; the user's own roles' first and open, the others after.

    A visitor who is not signed in reads the residents' and custodians' sections open."""
    signed_in = user.is_authenticated
    held = {a.role.code for a in user.active_assignments()} if signed_in else {RESIDENT}
    own = [s for s in SECTIONS if held & set(s.roles) or (not signed_in and not s.roles)]
    others = [s for s in SECTIONS if s not in own]
    return [
        {
            "anchor": s.anchor,
            "title": s.title,
            "intro": s.intro,
            "own": s in own,
            "tasks": [
                {"anchor": t.anchor, "title": t.title, "steps": [x.render() for x in t.steps]}
                for t in s.tasks
            ],
        }
        for s in [*own, *others]
    ]
