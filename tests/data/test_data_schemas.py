"""Every packaged YAML and CSV file has a pydantic model (data/schemas.py), every one passes it,
and a broken file is named in one line with its field (and row, for CSV)."""

from __future__ import annotations

from importlib import resources

import pytest

from threadline.data import check, parse_yaml
from threadline.data.check import check_all, check_text, invalid, schema_pattern
from threadline.data.lists import manifest_files
from threadline.errors import DataError


def _packaged(name: str) -> str:
    return resources.files("threadline.data").joinpath(name).read_text(encoding="utf-8")


def _columns(name: str) -> dict[str, str] | None:
    if not name.endswith("entries.csv"):
        return None
    metadata = parse_yaml(_packaged(name.replace("entries.csv", "metadata.yaml")))
    return {str(k): str(v) for k, v in metadata["columns"].items()}


def test_every_packaged_yaml_and_csv_file_has_a_model_and_passes_it() -> None:
    data_files = [n for n in manifest_files() if n.endswith((".yaml", ".csv"))]
    assert len(data_files) >= 30
    assert [n for n in data_files if schema_pattern(n) is None] == []
    assert check_all(manifest_files()) == []


# (file, what to replace, with what, what the message must name)
BROKEN = [
    ("algorithms/threadline-match-3.yaml", "  match: 0.3742", "  match: high", "thresholds.match:"),
    (
        "algorithms/threadline-match-2.yaml",
        "weights:\n",
        "weights:\n  no_such_feature: 1.0\n",
        "unknown features: no_such_feature",
    ),
    (
        "columns.yaml",
        "    exact: [lat, latitude",
        "    exakt: [lat, latitude",
        "records.latitude.exakt: not a known field (a typo?) (and 1 more)",
    ),
    ("geo/facility_sources.yaml", "id_prefix: osm-", "id_prefix: ''", "sources.1.id_prefix:"),
    ("geo/gazetteer_citation.yaml", "as_of: 2025-12-31", "as_of: end of 2025", "as_of:"),
    ("import_columns.yaml", "\nrelations:", "\nrelation:", "relation: not a known field"),
    (
        "geo/place_rules.yaml",
        "short_name_letters: 4",
        "short_name_letters: four",
        "short_name_letters:",
    ),
    (
        "list_effects.yaml",
        "default: other_sanction",
        "default: other",
        "default: Input should be 'uflpa'",
    ),
    ("official_lists.yaml", "effect: uflpa", "effect: ufl", "lists.0.effect:"),
    ("lists/bis_xinjiang/metadata.yaml", 'as_of: "2023-03-02"', 'as_of: "2023-13-02"', "as_of:"),
    (
        "lists/uflpa/metadata.yaml",
        "reliability: official_list",
        "reliability: official",
        "reliability: 'official' is not a reliability",
    ),
    ("rules/documents.yaml", "tier: high", "tier: severe", "categories.camp_labour.tier:"),
    (
        "rules/sectors.yaml",
        'designated: "2022-06-17"',
        'designated: "17 June 2022"',
        "sectors.0.designated:",
    ),
    (
        "rules/sources.yaml",
        "official publication: official_list",
        "official publication: officiel",
        "kinds.official publication:",
    ),
    (
        "rules/tiers.yaml",
        "    code: LISTED_UFLPA",
        "    cod: LISTED_UFLPA",
        "listing_reasons.uflpa.cod: not a known field",
    ),
    # Every tier has its meaning in the reports, and only tiers have one.
    (
        "rules/tiers.yaml",
        "  high: >-\n    Owned",
        "  hgh: >-\n    Owned",
        "tiers.hgh.(the key): Input should be 'prohibited'",
    ),
    (
        "rules/tiers.yaml",
        "  no signal found: >-\n    None of the above in the data available to this run.\n",
        "",
        "tiers: no meaning for no signal found",
    ),
    ("rules/tiers.yaml", "    effects: [wro]", "    effects: [wr0]", "legal_basis.1.effects.0:"),
    # Other reasons are named as a kind of signal names them (lower case, underscores).
    (
        "rules/tiers.yaml",
        "  xuar_name:\n    code: XUAR_IN_NAME",
        "  XUAR name:\n    code: XUAR_IN_NAME",
        "reasons.XUAR name.(the key): String should match pattern",
    ),
    ("vocab/abbreviations.yaml", "  ltd: limited", "  ltd: [limited]", "abbreviations.ltd:"),
    ("vocab/brands.yaml", "{en: [COFCO], zh: [中粮]}", "{en: COFCO, zh: [中粮]}", "brands.0.en:"),
    (
        "vocab/certifications.yaml",
        "scheme: WRAP",
        "schema: WRAP",
        "schemes.0.schema: not a known field",
    ),
    (
        "vocab/document_patterns.yaml",
        "zh_min_chars: 2",
        "zh_min_chars: two",
        "organisations.zh_min_chars:",
    ),
    ("vocab/glossary.yaml", "    weak: true", "    weak: 'yes please'", "concepts.industry.weak:"),
    ("vocab/indicators.yaml", "strength: strong", "strength: mighty", "indicators.0.strength:"),
    (
        "vocab/legal_forms.yaml",
        "family: limited",
        "famly: limited",
        "forms.0.famly: not a known field",
    ),
    # YAML reads an unquoted `no` as false, not the word: strict models refuse it.
    (
        "vocab/stopwords.yaml",
        "noise: [and,",
        "noise: [no,",
        "stopwords.noise.0: Input should be a valid string",
    ),
    ("countries.csv", "AD,AND,Andorra", "Ad,AND,Andorra", "row 5: alpha2:"),
    ("geo/china_admin.csv", "cn-110000,province", "cn-110000,provinse", "row 2: level:"),
    ("geo/gazetteer.csv", "43.793026", "north", "row 2: lat:"),
    (
        "geo/facilities.csv",
        "41.79631457",
        "141.79631457",
        "row 2: lat: Input should be less than or equal to 90",
    ),
    ("lists/same_as.csv", "\nuflpa-aksu-huafu-color-spinning,", "\n,", "row 2: id:"),
    # An entries.csv field is named by the file's own column (`date_added`, not `date_listed`).
    ("lists/bis_xinjiang/entries.csv", ",2019-10-09,", ",2019-10-32,", "row 2: date_added:"),
    (
        "lists/uflpa/entries.csv",
        "uflpa-baoding-lyszd-trade-and-business,",
        "Baoding!,",
        "row 2: id:",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "named"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_file_is_named_with_its_field(name: str, old: str, new: str, named: str) -> None:
    text = _packaged(name)
    assert old in text, "the fixture no longer matches the packaged file"
    found = check_text(name, text.replace(old, new, 1), _columns(name))
    assert found is not None and found.startswith(f"packaged {name}")
    assert named in found and "\n" not in found


def test_every_kind_of_file_is_broken_above() -> None:
    patterns = {schema_pattern(n) for n in manifest_files() if n.endswith((".yaml", ".csv"))}
    assert patterns <= {schema_pattern(name) for name, *_ in BROKEN}


def test_a_file_that_is_not_yaml_says_so() -> None:
    found = check_text("rules/tiers.yaml", "listing_reasons: [unclosed\n")
    assert found is not None and found.startswith("packaged rules/tiers.yaml is not valid YAML:")


def test_a_loader_that_fails_reports_the_models_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loaders keep pydantic off the start-up path; when one fails, the models explain."""
    from threadline.data import input_vocab

    broken = _packaged("list_effects.yaml").replace("phrases: [uflpa,", "phrase: [uflpa,")
    monkeypatch.setattr(check, "_read", lambda name: broken)
    monkeypatch.setattr(input_vocab, "_load", lambda name: parse_yaml(broken))
    input_vocab.load_effect_rules.cache_clear()
    try:
        with pytest.raises(DataError) as raised:
            input_vocab.load_effect_rules()
    finally:
        input_vocab.load_effect_rules.cache_clear()
    assert str(raised.value).startswith("packaged list_effects.yaml: rules.0.phrase")


def test_without_a_fault_the_models_see_the_loaders_words_stand() -> None:
    error = invalid("list_effects.yaml", KeyError("rules"))
    assert str(error) == "packaged list_effects.yaml is malformed: 'rules'"


def test_data_check_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from threadline.cli.app import main

    def run() -> int:
        monkeypatch.setattr(sys, "argv", ["threadline", "data", "check"])
        with pytest.raises(SystemExit) as stopped:
            main()
        return int(stopped.value.code or 0)

    assert run() == 0
    assert capsys.readouterr().err.endswith(" packaged data files are sound.\n")
    sound = check._read
    monkeypatch.setattr(
        check,
        "_read",
        lambda name: (
            sound(name).replace("tier: high", "tier: severe", 1)
            if name == "rules/documents.yaml"
            else sound(name)
        ),
    )
    assert run() == 2
    err = capsys.readouterr().err
    assert err.startswith("error: packaged rules/documents.yaml: categories.camp_labour.tier: ")
    assert err.count("\n") == 1
