"""Pages link only to pages the reader may open: units above or across from their own are
named without a link, and sections a role cannot open are left out of a page's menu."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def test_a_ward_officer_sees_the_units_above_named_but_not_linked(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cua_ong"]
    html = client_for("ward_officer").get(f"/units/{ward.pk}/").content.decode()
    crumbs = re.search(r'<nav class="crumbs"[^>]*>(.*?)</nav>', html, re.S)
    assert crumbs is not None
    linked = re.findall(r'href="/units/(\d+)/"', crumbs.group(1))
    province = demo_units["province"]
    assert province.name in crumbs.group(1)
    assert str(province.pk) not in linked
    for pk in re.findall(r'href="/units/(\d+)/"', html):
        assert client_for("ward_officer").get(f"/units/{pk}/").status_code == 200, pk


def test_the_province_admin_gets_every_unit_above_as_a_link(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cua_ong"]
    html = client_for("province_admin").get(f"/units/{ward.pk}/").content.decode()
    assert f'href="/units/{demo_units["province"].pk}/"' in html


def _may_open(user: Any, name: str) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load pages %}{% may_open name as ok %}{{ ok }}")
    return template.render(Context({"request": request, "name": name}))


def test_may_open_asks_the_page_itself(personas: dict[str, Any]) -> None:
    assert _may_open(personas["ward_officer"], "outreach:posts") == "True"
    assert _may_open(personas["group_leader"], "outreach:posts") == "False"
    assert _may_open(personas["group_leader"], "outreach:sessions") == "True"
    assert _may_open(personas["group_leader"], "no:such-page") == "False"


def test_the_outreach_menu_leaves_out_what_a_group_leader_cannot_open(client_for: Any) -> None:
    leader = client_for("group_leader")
    html = leader.get("/outreach/sessions/").content.decode()
    menu = re.search(r'<nav class="crumbs">(.*?)</nav>', html, re.S)
    assert menu is not None
    for href in re.findall(r'href="([^"]+)"', menu.group(1)):
        assert leader.get(href).status_code == 200, href
    assert "/outreach/posts/" not in menu.group(1)
