"""The shape of every packaged YAML and CSV file, as pydantic models: a broken edit fails with one
line naming the file, the row (CSV) and the field, instead of a KeyError at screening time.

pydantic costs a few hundred milliseconds to import and build these models, more than the
one-row `screen` may spend starting, so the loaders do not import this module on their way:
`threadline data check` and the test over every packaged file run it, and a loader that fails
calls `explain` (see `threadline.data.check`) for the message. Loaders still assert what they
rely on (row counts, cross-references), so a file that passes here and breaks a loader's rule
still fails at load, in one line.

Models are strict for YAML (an unquoted `no` is a boolean, not the word) and lax for CSV, whose
cells are all text: numbers and dates there are read as the loaders read them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    model_validator,
)

from threadline.model import ListEffect, Reliability, Tier
from threadline.model.documents import DocumentKind
from threadline.model.graph import RelationKind

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Words = list[Text]
# The model's vocabularies, read from their values (strict mode wants enum instances).
Effect = Annotated[ListEffect, Strict(False)]
TierName = Annotated[Tier, Strict(False)]
Relation = Annotated[RelationKind, Strict(False)]
DocKind = Annotated[DocumentKind, Strict(False)]


def _iso_date(value: str) -> str:
    dt.date.fromisoformat(value)  # ValueError: pydantic reports it at the field
    return value


def _reliability(value: str) -> str:
    if value.upper() not in Reliability.__members__:
        names = ", ".join(r.name.lower() for r in Reliability)
        raise ValueError(f"'{value}' is not a reliability ({names})")
    return value


def _regex(value: str) -> str:
    re.compile(value)
    return value


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


IsoDate = Annotated[str, AfterValidator(_iso_date)]
# A rule's name in tiers.yaml, as a kind of signal names it (`Signal.RULES`).
RuleName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
ReliabilityName = Annotated[str, AfterValidator(_reliability)]
Pattern = Annotated[str, AfterValidator(_regex)]
# CSV cells: empty means absent.
Cell = str
OptionalDate = Annotated[IsoDate | None, BeforeValidator(_blank_is_none)]
OptionalFloat = Annotated[float | None, BeforeValidator(_blank_is_none)]
OptionalInt = Annotated[int | None, BeforeValidator(_blank_is_none)]


class _Yaml(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Row(BaseModel):
    """A CSV row: every listed column must be in the header; other columns are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- rules/ ---------------------------------------------------------------------------------


class Reason(_Yaml):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$")]
    tier: TierName
    text: Text
    legal_source: Text | None = None


class _Cited(_Yaml):
    url: Text
    title: Text
    publisher: Text


class SourceRef(_Cited):
    date: IsoDate


class LegalSourceRef(_Cited):
    """A law the tier rules cite: its date is shown where given (see `Source.from_mapping`)."""

    date: IsoDate | None = None


class LinkPhrase(_Yaml):
    along: Text
    against: Text


class Links(_Yaml):
    max_hops: Annotated[int, Field(ge=0)]
    max_paths_per_supplier: Annotated[int, Field(ge=1)]
    phrases: dict[Relation, LinkPhrase]


class FacilityRules(_Yaml):
    distance_km: Annotated[float, Field(gt=0)]
    max_reported: Annotated[int, Field(ge=1)]


class LegalBasis(_Yaml):
    name: Text
    effects: Annotated[list[Effect], Field(min_length=1)]
    text: Text


class TierRulesFile(_Yaml):
    tiers: dict[TierName, Text]
    legal_basis: list[LegalBasis]
    # A listing's reason by its effect, or by name (a name no kind of signal gives is refused
    # when the rules load, see `TierRules.check_names`).
    listing_reasons: dict[Effect | RuleName, Reason]
    wro_unconfirmed_status_phrases: Words
    legal_sources: dict[str, LegalSourceRef]
    links: Links
    facilities: FacilityRules
    reasons: dict[RuleName, Reason]

    @model_validator(mode="after")
    def _every_tier_has_a_meaning(self) -> TierRulesFile:
        missing = [t.value for t in Tier if t not in self.tiers]
        if missing:
            raise ValueError(f"tiers: no meaning for {', '.join(missing)}")
        return self

    @model_validator(mode="after")
    def _names_are_unique(self) -> TierRulesFile:
        if twice := sorted(set(self.reasons) & {str(k) for k in self.listing_reasons}):
            raise ValueError(f"reasons.{twice[0]}: also in listing_reasons")
        return self

    @model_validator(mode="after")
    def _legal_sources_exist(self) -> TierRulesFile:
        for reason in [*self.listing_reasons.values(), *self.reasons.values()]:
            if reason.legal_source and reason.legal_source not in self.legal_sources:
                raise ValueError(f"legal_source '{reason.legal_source}' is not in legal_sources")
        return self


class DocumentRulesFile(_Yaml):
    categories: dict[Text, Reason]


class Sector(_Yaml):
    id: Text
    label: Text
    designated: IsoDate
    source: Text
    hs: list[Annotated[str, StringConstraints(pattern=r"^\d{2}(\d{2}(\.\d{2,6})?)?$")]] = []
    words: Words
    excludes: Words = []
    hs_with_words: list[Text] = []


class SectorsFile(_Yaml):
    sources: dict[Text, SourceRef]
    sectors: list[Sector]

    @model_validator(mode="after")
    def _sources_exist(self) -> SectorsFile:
        for sector in self.sectors:
            if sector.source not in self.sources:
                raise ValueError(f"sector {sector.id}: source '{sector.source}' is not in sources")
        return self


class SourceRule(_Yaml):
    kind: Text
    hosts: dict[Text, Text] = {}
    title_phrases: Words = []

    @model_validator(mode="after")
    def _matches_something(self) -> SourceRule:
        if not self.hosts and not self.title_phrases:
            raise ValueError(f"a '{self.kind}' rule has neither hosts nor title_phrases")
        return self


def _date_pattern(value: str) -> str:
    if not {"y", "m", "d"} <= set(re.compile(value).groupindex):
        raise ValueError(f"date pattern {value!r} lacks the groups y, m and d")
    return value


class DatePatterns(_Yaml):
    url: list[Annotated[str, AfterValidator(_date_pattern)]] = []
    title: list[Annotated[str, AfterValidator(_date_pattern)]] = []


class SourcesFile(_Yaml):
    kinds: dict[Text, ReliabilityName]
    rules: list[SourceRule]
    date_patterns: DatePatterns

    @model_validator(mode="after")
    def _kinds_exist(self) -> SourcesFile:
        for rule in self.rules:
            if rule.kind not in self.kinds:
                raise ValueError(f"rule kind '{rule.kind}' is not one of kinds")
        return self


# --- algorithms/ ----------------------------------------------------------------------------


class Thresholds(_Yaml):
    match: float
    review: float


class AlgorithmFile(_Yaml):
    name: Text
    version: Text
    fitted_on: Text
    figures: dict[str, Any]  # reported, never read
    bias: float
    weights: dict[Text, float]
    thresholds: Thresholds
    review_caps: Words = []
    no_match_caps: Words = []
    review_floor: list[Words] = []

    @model_validator(mode="after")
    def _features_known(self) -> AlgorithmFile:
        from threadline.score import FEATURES

        named = [*self.weights, *self.review_caps, *self.no_match_caps]
        unknown = [
            f for f in [*named, *(f for g in self.review_floor for f in g)] if f not in FEATURES
        ]
        if unknown:
            raise ValueError(f"unknown features: {', '.join(dict.fromkeys(unknown))}")
        return self


# --- column vocabularies ----------------------------------------------------------------------


class HeaderField(_Yaml):
    exact: Words
    contains: Words = []
    excludes: Words = []


class ColumnsFile(_Yaml):
    records: dict[Text, HeaderField]
    reference: dict[Text, HeaderField]
    row_keys: Any = None  # read by monitoring.keys, a list of column spellings

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)


class ImportColumnsFile(_Yaml):
    shipments: dict[Text, HeaderField]
    relations: dict[Text, HeaderField]


class EffectRule(_Yaml):
    effect: Effect
    phrases: Words


class ListEffectsFile(_Yaml):
    rules: list[EffectRule]
    default: Effect


# --- lists/ -----------------------------------------------------------------------------------


class OfficialList(_Yaml):
    id: Text
    title: Text
    publisher: Text
    url: Text
    licence: Text
    effect: Effect
    related: Words = []


class OfficialListsFile(_Yaml):
    lists: list[OfficialList]
    downloads: dict[Text, Text]
    licence_notices: dict[Text, Text] = {}
    opensanctions: dict[Text, Text]

    @model_validator(mode="after")
    def _targets_exist(self) -> OfficialListsFile:
        ids = {lst.id for lst in self.lists}
        unknown = sorted(set(self.opensanctions.values()) - ids)
        if unknown:
            raise ValueError(f"opensanctions maps to unknown lists: {', '.join(unknown)}")
        return self


class ListMetadataFile(_Yaml):
    id: Text
    title: Text
    publisher: Text
    url: Text = ""
    as_of: IsoDate
    licence: Text
    attribution: str = ""
    coverage: str = ""
    effect: Effect | Literal["by_program"]
    reliability: ReliabilityName
    expected_rows: Annotated[int, Field(ge=1)]
    columns: dict[Text, Text]

    @model_validator(mode="after")
    def _id_and_name_columns(self) -> ListMetadataFile:
        missing = [c for c in ("id", "name") if c not in self.columns]
        if missing:
            raise ValueError(f"columns must map {' and '.join(missing)}")
        return self


class ListEntryRow(BaseModel):
    """One row of lists/<id>/entries.csv, under the names metadata.yaml `columns` gives."""

    model_config = ConfigDict(extra="allow", frozen=True)
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    name: Text
    date_listed: OptionalDate = None
    date_removed: OptionalDate = None


class SameAsRow(_Row):
    id: Text
    other_id: Text
    why: Text
    source: Text


# --- geo/ and countries -----------------------------------------------------------------------


class CountryRow(_Row):
    alpha2: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    alpha3: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    name: Text
    other_names: Cell
    names_zh: Cell


Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class PlaceRow(_Row):
    id: Text
    level: Literal["region", "province", "prefecture", "xpcc_city", "county"]
    name_zh: Text
    name_pinyin: Cell  # a few XPCC cities are known by other names only
    name_uyghur_latin: Cell = ""
    other_names: Cell
    parent_id: Cell
    adcode: Annotated[str, StringConstraints(pattern=r"^(\d{6})?$")]
    lat: Annotated[Latitude | None, BeforeValidator(_blank_is_none)]
    lon: Annotated[Longitude | None, BeforeValidator(_blank_is_none)]
    sources: Cell
    notes: Cell = ""


class FacilityRow(_Row):
    id: Text
    name: Cell  # OpenStreetMap features without a name have none
    name_zh: Cell
    kind: Text
    lat: Latitude
    lon: Longitude
    county: Cell
    prefecture: Cell
    region: Text
    first_seen: OptionalDate
    source_dataset: Text
    source_url: Text
    source_record_id: Cell
    county_adcode: Annotated[str, StringConstraints(pattern=r"^(\d{6})?$")]
    aspi_tier: Annotated[OptionalInt, AfterValidator(lambda v: _between(v, 1, 4))]
    aspi_factories_in_complex: OptionalInt
    aspi_factories_adjacent: OptionalInt
    aspi_dist_industrial_park_km: OptionalFloat
    notes: Cell


def _between(value: int | None, low: int, high: int) -> int | None:
    if value is not None and not low <= value <= high:
        raise ValueError(f"must be between {low} and {high}")
    return value


class PlaceRulesFile(_Yaml):
    zh_admin_suffixes: Words
    zh_ethnic_designations: Words
    extra_names: dict[Text, Words]
    region_markers: dict[Text, Words]
    zh_street_words: Words
    zh_street_directions: Words
    latin_street_words: Words
    latin_street_directions: Words
    latin_admin_words: Words
    latin_ethnic_words: Words
    blocking_phrases: Words
    short_name_letters: Annotated[int, Field(ge=1)]
    caution: dict[Text, Words]
    not_country_words: Words


class FacilitySource(_Yaml):
    id_prefix: Text
    name: Text
    publisher: Text


class FacilitySourcesFile(_Yaml):
    sources: Annotated[list[FacilitySource], Field(min_length=1)]


class GazetteerCitationFile(_Yaml):
    as_of: dt.date  # YAML reads an unquoted YYYY-MM-DD as a date
    publisher: Text
    files: dict[Text, Text]


# --- vocab/ -----------------------------------------------------------------------------------


class AbbreviationsFile(_Yaml):
    abbreviations: dict[Text, Text]


class Brand(_Yaml):
    en: Words
    zh: Words


class BrandsFile(_Yaml):
    brands: list[Brand]


class Scheme(_Yaml):
    scheme: Text
    spellings: Words


class CertificationsFile(_Yaml):
    schemes: list[Scheme]


class Organisations(_Yaml):
    zh_forms: Words
    zh_not_before: Words
    zh_boundaries: Words
    zh_and: Text
    zh_and_places: Words
    zh_min_chars: Annotated[int, Field(ge=1)]
    zh_generic: Words
    zh_generic_endings: Words
    en_forms: Words
    en_leading: Words
    en_connectors: Words
    en_generic: Words


class FacilityWords(_Yaml):
    kind: Text
    zh: Words
    en: Words


class Cue(_Yaml):
    kind: Relation | Literal["awarded_contract"]
    direction: Literal["forward", "reverse"]
    gap: Pattern
    after: Pattern | None = None


class Relations(_Yaml):
    max_gap: Annotated[int, Field(ge=1)]
    cues: list[Cue]
    buyer_labels: Words
    winner_labels: Words


class PublisherKind(_Yaml):
    kind: DocKind
    words: Words


class DocumentPatternsFile(_Yaml):
    organisations: Organisations
    facilities: list[FacilityWords]
    publisher_pronouns: dict[Literal["zh", "en"], Words]
    relations: Relations
    publisher_kinds: list[PublisherKind]


class Concept(_Yaml):
    zh: Words = []
    en: Words = []
    weak: bool = False


class GlossaryFile(_Yaml):
    concepts: dict[Text, Concept]


class Indicator(_Yaml):
    id: Text
    category: Text
    strength: Literal["strong", "moderate", "weak"]
    rationale: Text
    terms: list[Text | Words]


class IndicatorsFile(_Yaml):
    indicators: list[Indicator]


class LegalForm(_Yaml):
    id: Text
    family: Text
    en: Words
    zh: Words = []


class LegalFormsFile(_Yaml):
    forms: list[LegalForm]


class StopwordsFile(_Yaml):
    stopwords: dict[Literal["keep_as_words", "noise"], Words]


# Each packaged YAML file's model, by path under data/ (`*` for one folder level).
YAML_SCHEMAS: dict[str, type[BaseModel]] = {
    "algorithms/*.yaml": AlgorithmFile,
    "columns.yaml": ColumnsFile,
    "geo/facility_sources.yaml": FacilitySourcesFile,
    "geo/gazetteer_citation.yaml": GazetteerCitationFile,
    "geo/place_rules.yaml": PlaceRulesFile,
    "import_columns.yaml": ImportColumnsFile,
    "list_effects.yaml": ListEffectsFile,
    "official_lists.yaml": OfficialListsFile,
    "lists/*/metadata.yaml": ListMetadataFile,
    "rules/documents.yaml": DocumentRulesFile,
    "rules/sectors.yaml": SectorsFile,
    "rules/sources.yaml": SourcesFile,
    "rules/tiers.yaml": TierRulesFile,
    "vocab/abbreviations.yaml": AbbreviationsFile,
    "vocab/brands.yaml": BrandsFile,
    "vocab/certifications.yaml": CertificationsFile,
    "vocab/document_patterns.yaml": DocumentPatternsFile,
    "vocab/glossary.yaml": GlossaryFile,
    "vocab/indicators.yaml": IndicatorsFile,
    "vocab/legal_forms.yaml": LegalFormsFile,
    "vocab/stopwords.yaml": StopwordsFile,
}
# Each packaged CSV file's row model; lists/*/entries.csv rows are read through their
# metadata.yaml `columns` into `ListEntryRow`.
CSV_SCHEMAS: dict[str, type[BaseModel]] = {
    "countries.csv": CountryRow,
    "geo/china_admin.csv": PlaceRow,
    "geo/gazetteer.csv": PlaceRow,
    "geo/facilities.csv": FacilityRow,
    "lists/same_as.csv": SameAsRow,
    "lists/*/entries.csv": ListEntryRow,
}
