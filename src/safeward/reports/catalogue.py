"""The seeded national catalogue of report categories (Vietnamese names; codes are stable)."""

from __future__ import annotations

from typing import Any

# code, name, description, group, default track, attributes
SEED_CATEGORIES: list[dict[str, Any]] = [
    {
        "code": "theft",
        "name": "Trộm cắp tài sản",
        "description": "Trộm cắp, cướp giật tài sản",
        "group": "An ninh trật tự",
        "track": "crime_tip",
        "attributes": [
            {
                "code": "stolen_item",
                "description": "Tài sản bị mất",
                "datatype": "singlevaluelist",
                "required": False,
                "values": [
                    {"key": "motorbike", "name": "Xe máy"},
                    {"key": "phone", "name": "Điện thoại"},
                    {"key": "cash", "name": "Tiền mặt"},
                    {"key": "other", "name": "Khác"},
                ],
            },
            {
                "code": "value_vnd",
                "description": "Giá trị ước tính (đồng)",
                "datatype": "number",
                "required": False,
            },
        ],
    },
    {
        "code": "drugs",
        "name": "Ma túy",
        "description": "Sử dụng, mua bán, tàng trữ trái phép chất ma túy",
        "group": "An ninh trật tự",
        "track": "crime_tip",
        "attributes": [
            {
                "code": "activity",
                "description": "Hành vi",
                "datatype": "singlevaluelist",
                "required": True,
                "values": [
                    {"key": "use", "name": "Sử dụng"},
                    {"key": "dealing", "name": "Mua bán"},
                    {"key": "gathering", "name": "Tụ tập"},
                ],
            }
        ],
    },
    {
        "code": "gambling",
        "name": "Cờ bạc",
        "description": "Đánh bạc, tổ chức đánh bạc, lô đề",
        "group": "An ninh trật tự",
        "track": "administrative",
        "attributes": [],
    },
    {
        "code": "disorder",
        "name": "Đánh nhau, gây rối trật tự công cộng",
        "description": "Đánh nhau, gây rối, tụ tập gây mất trật tự",
        "group": "An ninh trật tự",
        "track": "administrative",
        "attributes": [
            {
                "code": "people_count",
                "description": "Số người tham gia",
                "datatype": "number",
                "required": False,
            }
        ],
    },
    {
        "code": "suspicious",
        "name": "Đối tượng khả nghi",
        "description": "Người, phương tiện có biểu hiện nghi vấn",
        "group": "An ninh trật tự",
        "track": "crime_tip",
        "attributes": [],
    },
    {
        "code": "social-evils",
        "name": "Tệ nạn xã hội",
        "description": "Mại dâm, tín dụng đen và các tệ nạn khác",
        "group": "An ninh trật tự",
        "track": "administrative",
        "attributes": [],
    },
    {
        "code": "traffic-order",
        "name": "Trật tự an toàn giao thông",
        "description": "Lấn chiếm lòng đường, đua xe, đỗ xe sai quy định",
        "group": "Trật tự đô thị",
        "track": "administrative",
        "attributes": [],
    },
    {
        "code": "noise",
        "name": "Gây ồn ào",
        "description": "Hát karaoke, gây tiếng ồn quá giờ quy định",
        "group": "Trật tự đô thị",
        "track": "mediation",
        "attributes": [
            {
                "code": "recurring",
                "description": "Xảy ra nhiều lần",
                "datatype": "singlevaluelist",
                "required": False,
                "values": [{"key": "yes", "name": "Có"}, {"key": "no", "name": "Không"}],
            }
        ],
    },
    {
        "code": "environment",
        "name": "Vệ sinh môi trường",
        "description": "Đổ rác, xả thải trái phép",
        "group": "Trật tự đô thị",
        "track": "administrative",
        "attributes": [],
    },
    {
        "code": "other",
        "name": "Khác",
        "description": "Phản ánh, kiến nghị khác về an ninh trật tự",
        "group": "Khác",
        "track": "civic",
        "attributes": [],
    },
]


def seed_catalogue(category_model: Any, attribute_model: Any) -> None:
    """Create the seeded categories that do not exist yet (usable from a migration)."""
    for order, spec in enumerate(SEED_CATEGORIES, start=1):
        category, created = category_model.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "group": spec["group"],
                "default_track": spec["track"],
                "order": order * 10,
            },
        )
        if not created:
            continue
        for n, attr in enumerate(spec["attributes"], start=1):
            attribute_model.objects.create(
                category=category,
                code=attr["code"],
                description=attr["description"],
                datatype=attr["datatype"],
                required=attr["required"],
                values=attr.get("values", []),
                order=n,
            )
