"""GraphQL types of a registration's goods and services (issue 13, kind of mark and classes).

`Registration.goodsServices` lists one `GoodsServices` per class: a Nice class (``scheme``
"nice", ``niceClass`` its number) or a class of an office's own scheme (``scheme`` its name,
``niceClass`` null: a national class is never a Nice class), with the texts per language.
"""

from __future__ import annotations

import strawberry

from kg.analysis import model

__all__ = ["GoodsServices", "GoodsServicesText"]


@strawberry.type(description="The goods or services of a class in one language.")
class GoodsServicesText:
    language: str | None = strawberry.field(
        description="the text's language tag (BCP 47, e.g. zh-Hant); null if untagged"
    )
    text: str


@strawberry.type(
    description="The goods or services a registration covers in one class (ST.96 "
    "ClassDescription): a Nice class, or a class of an office's own (pre-Nice) scheme."
)
class GoodsServices:
    scheme: str = strawberry.field(
        description='"nice", or the name of a national scheme (e.g. "tw-national")'
    )
    code: str = strawberry.field(description='the class as the office writes it ("25", "032")')
    nice_class: int | None = strawberry.field(
        description="the Nice class number; null for a national class"
    )
    edition: str | None = strawberry.field(
        description='the classification version (ST.96 ClassificationVersion), e.g. "12-2025"'
    )
    texts: list[GoodsServicesText]

    @classmethod
    def of(cls, entry: model.GoodsServicesEntry) -> GoodsServices:
        return cls(
            scheme=entry.scheme,
            code=entry.code,
            nice_class=entry.nice_class,
            edition=entry.edition,
            texts=[GoodsServicesText(language=lang or None, text=t) for lang, t in entry.texts],
        )
