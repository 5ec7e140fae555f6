"""What only the organisers of outreach read: the session's own notes."""

from __future__ import annotations

from safeward.core.personal import PersonalFields

# Free text the organisers write about a session (who came, who is to be visited, ...).
SESSION_NOTE = PersonalFields(
    perm="outreach.change_session", fields=("note",), action="outreach.view_session_note"
)
