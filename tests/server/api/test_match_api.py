"""POST /match/{dataset} speaks yente's protocol; GET /algorithms describes the algorithm."""

from __future__ import annotations

from typing import Any

from api_support import Api

from threadline.data.rules import DEFAULT_ALGORITHM, load_algorithm
from threadline.matching import Query
from threadline.score import FEATURES
from threadline.server.security import Role

HOSHINE = {
    "schema": "Company",
    "properties": {"name": ["Hoshine Silicon Industry (Shanshan) Co., Ltd."]},
}
UNRELATED = {
    "schema": "Company",
    "properties": {"name": "Bäckerei Müller GmbH", "jurisdiction": ["de"]},
}


def match(api: Api, body: dict[str, Any], dataset: str = "default", **params: Any) -> Any:
    return api.post(f"/match/{dataset}", Role.VIEWER, json=body, params=params)


def test_response_has_yente_shape(api: Api) -> None:
    answer = match(api, {"queries": {"q1": HOSHINE, "q2": UNRELATED}})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"responses", "matcher", "limit"}
    assert body["limit"] == 5
    assert set(body["matcher"]) == set(FEATURES)
    assert all({"description", "coefficient", "url"} <= set(d) for d in body["matcher"].values())
    hit = body["responses"]["q1"]
    assert hit["status"] == 200
    assert hit["query"]["schema"] == "Company"
    assert hit["total"]["relation"] == "eq"
    assert hit["total"]["value"] >= len(hit["results"]) >= 1
    top = hit["results"][0]
    for field in ("id", "caption", "schema", "properties", "datasets", "referents", "target"):
        assert field in top
    assert top["match"] is True and top["band"] == "match"
    assert "hoshine" in top["caption"].lower()
    assert all(isinstance(v, list) for v in top["properties"].values())
    assert top["features"] and set(top["features"]) == set(top["explanations"])
    assert all(
        {"score", "detail", "query", "candidate"} <= set(e) for e in top["explanations"].values()
    )
    scores = [r["score"] for r in hit["results"]]
    assert scores == sorted(scores, reverse=True)
    assert not any(r["match"] for r in body["responses"]["q2"]["results"])
    assert answer.headers["x-batch-size"] == "2"


def test_threshold_and_limit(api: Api) -> None:
    strict = match(api, {"queries": {"q": HOSHINE}}, threshold=0.9999, limit=1).json()
    results = strict["responses"]["q"]["results"]
    assert strict["limit"] == 1 and len(results) == 1
    assert results[0]["match"] is (results[0]["score"] >= 0.9999)
    assert strict["responses"]["q"]["total"]["value"] >= 1


def test_dataset_filters_results(api: Api) -> None:
    datasets = {d.id for d in api.app.state.services.screener().datasets}
    bis = next(d for d in datasets if "bis" in d)
    body = match(api, {"queries": {"q": HOSHINE}}, dataset=bis).json()
    results = body["responses"]["q"]["results"]
    assert results and all(bis in r["datasets"] for r in results)
    assert match(api, {"queries": {"q": HOSHINE}}, dataset="no_such_list").status_code == 404


def test_weights_change_scores(api: Api) -> None:
    plain = match(api, {"queries": {"q": HOSHINE}}).json()["responses"]["q"]["results"][0]
    heavier = match(
        api, {"queries": {"q": HOSHINE}, "weights": {"terms": 0.0, "trigram": 0.0}}
    ).json()["responses"]["q"]["results"]
    same = [r for r in heavier if r["id"] == plain["id"]]
    assert not same or same[0]["score"] < plain["score"]


def test_another_algorithm_or_weights_stay_with_their_request(api: Api) -> None:
    """The algorithm is an argument of each call on the shared matcher, never set on it."""
    body = {"queries": {"q": HOSHINE, "r": UNRELATED}}

    def scores(**params: Any) -> dict[str, list[tuple[str, float]]]:
        answer = match(api, body, **params).json()["responses"]
        return {k: [(r["id"], r["score"]) for r in v["results"]] for k, v in answer.items()}

    before = scores()
    older = scores(algorithm="threadline-match-2", cutoff=0.0)
    weighted = match(api, {**body, "weights": {"terms": 0.0}}).json()["responses"]
    assert scores() == before
    assert older != scores(cutoff=0.0)
    matcher = api.app.state.services.screener().matcher
    name = HOSHINE["properties"]["name"][0]  # type: ignore[index]
    alone = matcher.match(
        [Query(name)], floor=0.0, top=5, algorithm=load_algorithm("threadline-match-2")
    )[0]
    assert older["q"] == [(r.entity.id, r.score) for r in alone]
    assert weighted["q"]["results"][0]["score"] != before["q"][0][1]
    assert matcher.algorithm == load_algorithm(DEFAULT_ALGORITHM)


def test_bad_requests_answer_json_errors(api: Api) -> None:
    person = {"schema": "Person", "properties": {"name": ["Chen Quanguo"]}}
    cases = [
        ({"queries": {"p": person}}, 400, "never persons"),
        ({"queries": {}}, 400, "no queries"),
        ({"queries": {"q": HOSHINE}, "weights": {"shoe_size": 1.0}}, 400, "shoe_size"),
        ({"queries": {"q": HOSHINE}, "config": {"nope": 1}}, 400, "nope"),
        ({"queries": {str(i): HOSHINE for i in range(101)}}, 400, "too many"),
        ({"queries": {"q": {"properties": {}}}}, 422, "schema"),
    ]
    for body, status, words in cases:
        answer = match(api, body)
        assert answer.status_code == status, (body, answer.text)
        assert words in answer.json()["detail"]
        assert isinstance(answer.json()["errors"], list)
    assert match(api, {"queries": {"q": HOSHINE}}, algorithm="nope").status_code == 400


def test_algorithms_are_generated_from_the_algorithm(api: Api) -> None:
    body = api.get("/algorithms").json()
    assert body["default"] == DEFAULT_ALGORITHM
    described = next(a for a in body["algorithms"] if a["name"] == DEFAULT_ALGORITHM)
    algorithm = load_algorithm(DEFAULT_ALGORITHM)
    assert {f: d["coefficient"] for f, d in described["features"].items()} == dict(
        zip(FEATURES, algorithm.weights, strict=True)
    )
    assert described["thresholds"] == {
        "match": algorithm.match_threshold,
        "review": algorithm.review_threshold,
    }
    assert [m["heading"] for m in described["methodology"]] == [h for h, _ in algorithm.describe()]
