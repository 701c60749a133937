"""The REST API's response models: what each JSON answer holds (the OpenAPI description is made from them)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ParamInfo(BaseModel):
    name: str = Field(description="Parameter name, used as ?name=value")
    type: str = Field(description="string, integer, year, boolean, country, actor, programme, outcome, fragment, "
                                  "concept:<scheme>, ...")
    default: str | None = Field(None, description="Default value; null: optional, no filter")
    doc: str = Field(description="What the parameter does")
    required: bool = Field(False, description="The server refuses the query without it (400 missing_parameter): "
                                              "without it the query lists the whole portfolio")


class QueryInfo(BaseModel):
    name: str
    title: str
    description: str = Field(description="What a researcher learns from the query")
    params: list[ParamInfo]
    href: str = Field(description="Where to run it")


class Table(BaseModel):
    columns: list[str]
    rows: list[dict[str, str | None]]


class TablePage(Table):
    limit: int = Field(description="Page size: at most this many rows")
    offset: int = Field(description="Rows skipped before this page")
    total: int | None = Field(None, description="Rows of the whole answer, when known without another "
                                                "evaluation (on the last page); null otherwise")
    next: str | None = Field(None, description="URL of the next page (also in the Link header); null on the last")
    prev: str | None = Field(None, description="URL of the previous page; null on the first")


class OutcomeSummary(BaseModel):
    id: str = Field(description="FragmentID")
    iri: str
    href: str = Field(description="This API's URL of the outcome")
    programme: str | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code of the outcome's country")
    year: int | None = None
    description: str | None = None


class OutcomePage(BaseModel):
    items: list[OutcomeSummary]
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page; null on the last page")


class ActorSummary(BaseModel):
    iri: str
    slug: str
    href: str
    name: str | None = None
    kind: str | None = None
    changed_in: int = Field(description="Outcomes in which the actor changed")
    contributed_to: int = Field(description="Outcomes the actor contributed to")


class ActorPage(BaseModel):
    items: list[ActorSummary]
    limit: int
    offset: int
    next: str | None = None
