"""What only those who handle a report read: the exact address and the staff's own notes."""

from __future__ import annotations

from safeward.core.personal import PersonalFields

# Handling a report (the police) is what needs the door to knock on and the internal notes;
# group leaders and Front members who follow the reports of their area see the matter,
# the neighbourhood and the public notes.
HANDLING = PersonalFields(
    perm="reports.change_report",
    fields=("address", "internal_note", "extension_reason"),
    action="reports.view_report_private",
)
