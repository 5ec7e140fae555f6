"""How a report's photos and videos are shown on its page: numbered tiles with a caption."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from safeward.core.thumbnails import cached_video_duration
from safeward.reports.models import ReportAttachment

# Shown in place of a thumbnail that could not be made; they show nothing of the file.
PLAIN_TILES = {"photo": "web/tile-photo.svg", "video": "web/tile-video.svg"}


def attachment_kind(attachment: ReportAttachment) -> str:
    return "video" if attachment.content_type.startswith("video/") else "photo"


def clock(seconds: float) -> str:
    """A video's length as a player shows it: 0:07, 12:30, 1:02:03."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


@dataclass
class AttachmentTile:
    attachment: ReportAttachment
    kind: str
    title: str
    duration: str

    @property
    def caption(self) -> str:
        size = str(filesizeformat(self.attachment.size))
        return " · ".join(part for part in (self.title, self.duration, size) if part)


def attachment_tile(attachment: ReportAttachment, number: int) -> AttachmentTile:
    kind = attachment_kind(attachment)
    duration = ""
    if kind == "video":
        seconds = cached_video_duration(attachment.file, attachment.sha256)
        duration = clock(seconds) if seconds is not None else ""
    title = (_("Video {n}") if kind == "video" else _("Photo {n}")).format(n=number)
    return AttachmentTile(attachment, kind, title, duration)


def attachment_tiles(attachments: Iterable[ReportAttachment]) -> list[AttachmentTile]:
    return [attachment_tile(a, n) for n, a in enumerate(attachments, start=1)]
