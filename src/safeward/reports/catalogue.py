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


# The seeded catalogue in English and Arabic, by category code: name, description, group,
# then each question (by attribute code) with its answers (by key).
SEED_TRANSLATIONS: dict[str, dict[str, Any]] = {
    "theft": {
        "en": ("Theft of property", "Theft, snatching or robbery of property"),
        "ar": ("سرقة الممتلكات", "سرقة الممتلكات أو خطفها أو السطو عليها"),
        "attributes": {
            "stolen_item": {
                "en": "Property lost",
                "ar": "الممتلكات المفقودة",
                "values": {
                    "motorbike": ("Motorbike", "دراجة نارية"),
                    "phone": ("Phone", "هاتف"),
                    "cash": ("Cash", "نقود"),
                    "other": ("Other", "أخرى"),
                },
            },
            "value_vnd": {"en": "Estimated value (VND)", "ar": "القيمة التقديرية (بالدونغ)"},
        },
    },
    "drugs": {
        "en": ("Drugs", "Illegal use, trade or possession of drugs"),
        "ar": ("المخدرات", "تعاطي المخدرات أو الاتجار بها أو حيازتها بصورة غير مشروعة"),
        "attributes": {
            "activity": {
                "en": "Activity seen",
                "ar": "النشاط الملاحظ",
                "values": {
                    "use": ("Drug use", "تعاطي المخدرات"),
                    "dealing": ("Buying or selling", "بيع أو شراء"),
                    "gathering": ("Gathering", "تجمّع"),
                },
            }
        },
    },
    "gambling": {
        "en": ("Gambling", "Gambling, organising gambling, illegal lotteries"),
        "ar": ("القمار", "لعب القمار أو تنظيمه واليانصيب غير المشروع"),
    },
    "disorder": {
        "en": (
            "Fighting, public disorder",
            "Fighting, causing trouble, gatherings that disturb public order",
        ),
        "ar": ("الشجار والإخلال بالنظام العام", "الشجار وإثارة الشغب والتجمعات المخلّة بالنظام"),
        "attributes": {
            "people_count": {"en": "Number of people involved", "ar": "عدد المشاركين"},
        },
    },
    "suspicious": {
        "en": ("Suspicious person or vehicle", "People or vehicles behaving suspiciously"),
        "ar": ("أشخاص أو مركبات مشبوهة", "أشخاص أو مركبات تبدو عليها علامات مريبة"),
    },
    "social-evils": {
        "en": ("Social evils", "Prostitution, loan sharking and other social evils"),
        "ar": ("الآفات الاجتماعية", "الدعارة والإقراض بالربا الفاحش وغيرها من الآفات الاجتماعية"),
    },
    "traffic-order": {
        "en": (
            "Traffic order and safety",
            "Encroaching on the roadway, street racing, illegal parking",
        ),
        "ar": ("النظام والسلامة المرورية", "التعدي على الطريق وسباقات الشوارع والوقوف المخالف"),
    },
    "noise": {
        "en": ("Noise", "Karaoke or other noise beyond the permitted hours"),
        "ar": ("الضوضاء", "غناء الكاريوكي أو الضوضاء خارج الساعات المسموح بها"),
        "attributes": {
            "recurring": {
                "en": "Has happened more than once",
                "ar": "تكرّر حدوثه",
                "values": {"yes": ("Yes", "نعم"), "no": ("No", "لا")},
            }
        },
    },
    "environment": {
        "en": ("Environmental sanitation", "Illegal dumping of rubbish or waste"),
        "ar": ("النظافة البيئية", "رمي النفايات أو تصريف المخلفات بصورة غير مشروعة"),
    },
    "other": {
        "en": ("Other", "Other feedback and requests about security and order"),
        "ar": ("أخرى", "ملاحظات ومقترحات أخرى بشأن الأمن والنظام"),
    },
}

SEED_GROUPS: dict[str, tuple[str, str]] = {
    "An ninh trật tự": ("Security and order", "الأمن والنظام العام"),
    "Trật tự đô thị": ("Urban order", "النظام الحضري"),
    "Khác": ("Other", "أخرى"),
}


def _fill(row: Any, field: str, **texts: str) -> None:
    """Set ``field_<lang>`` for each language given, keeping what an administrator wrote."""
    for lang, text in texts.items():
        name = f"{field}_{lang}"
        if not getattr(row, name, None):
            setattr(row, name, text)


def translate_seeded(category_model: Any, attribute_model: Any) -> None:
    """Copy each category's Vietnamese texts into ``*_vi`` and write the shipped English and
    Arabic ones where none is written yet (usable from a migration)."""
    for category in category_model.objects.all():
        spec = SEED_TRANSLATIONS.get(category.code, {})
        _fill(category, "name", vi=category.name)
        _fill(category, "description", vi=category.description)
        _fill(category, "group", vi=category.group)
        if spec:
            group_en, group_ar = SEED_GROUPS.get(category.group, ("", ""))
            _fill(category, "name", en=spec["en"][0], ar=spec["ar"][0])
            _fill(category, "description", en=spec["en"][1], ar=spec["ar"][1])
            _fill(category, "group", en=group_en, ar=group_ar)
        category.save()
        questions = spec.get("attributes", {})
        for attr in attribute_model.objects.filter(category=category):
            _translate_question(attr, questions.get(attr.code, {}))


def _translate_question(attr: Any, spec: dict[str, Any]) -> None:
    _fill(attr, "description", vi=attr.description)
    if spec:
        _fill(attr, "description", en=spec["en"], ar=spec["ar"])
    names = spec.get("values", {})
    for option in attr.values:
        en, ar = names.get(str(option.get("key")), ("", ""))
        for lang, text in (("en", en), ("ar", ar)):
            if text and not option.get(f"name_{lang}"):
                option[f"name_{lang}"] = text
    attr.save()
