"""Links the public portal shows; apps register theirs (report, track, statistics, ...)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class PublicLink:
    label: Promise
    url_name: str
    order: int = 100


_links: list[PublicLink] = []


def register_public(*links: PublicLink) -> None:
    for link in links:
        if link not in _links:
            _links.append(link)


def public_links() -> list[dict[str, object]]:
    result = []
    for link in sorted(_links, key=lambda x: x.order):
        try:
            result.append({"label": link.label, "url": reverse(link.url_name)})
        except NoReverseMatch:
            continue
    return result


@dataclass(frozen=True)
class HomePanel:
    template: str
    permission: str | None = None
    order: int = 100


_panels: list[HomePanel] = []


def register_home_panel(panel: HomePanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def home_panels() -> list[HomePanel]:
    return sorted(_panels, key=lambda p: p.order)


def public_label(url_name: str) -> Promise:
    """The label of the public link to ``url_name``; ``KeyError`` if the portal has none."""
    for link in _links:
        if link.url_name == url_name:
            return link.label
    raise KeyError(url_name)
