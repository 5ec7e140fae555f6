"""The catalogue's texts kept in every language (``name_vi``, ``name_en``, ``name_ar``, ...).

Reading ``category.name`` gives the reader's language, Vietnamese when that one is empty.
"""

from modeltranslation.translator import TranslationOptions, register

from safeward.reports.models import CategoryAttribute, ServiceCategory


@register(ServiceCategory)
class ServiceCategoryTranslation(TranslationOptions):
    fields = ("name", "description", "group")


@register(CategoryAttribute)
class CategoryAttributeTranslation(TranslationOptions):
    fields = ("description",)
