"""The 13 counties' boundaries, for the dashboards' map (no tiles, no network).

The vendored file (counties/geo/) uses ECharts' compact coordinate encoding: each ring is a
string of character pairs, zigzag- and delta-encoded, scaled by 1024, starting from the ring's
`encodeOffsets`. `decode_ring` undoes it exactly as ECharts' own `decodePolygon` does.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

GEOJSON = Path(__file__).resolve().parent / "geo" / "shan1_xi1_lv3_liang2.geojson"
SCALE = 1024

Ring = list[tuple[float, float]]  # (longitude, latitude) in degrees


def decode_ring(encoded: str, offsets: list[int], scale: int = SCALE) -> Ring:
    """One ring of points from its encoded string and its starting offsets."""
    points: Ring = []
    x, y = offsets
    for i in range(0, len(encoded), 2):
        dx, dy = ord(encoded[i]) - 64, ord(encoded[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        points.append((x / scale, y / scale))
    return points


@cache
def _data() -> dict:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


@cache
def county_shapes() -> dict[str, list[Ring]]:
    """Each county's outer rings by official code (`141122` → [ring, …]); a ring's first and
    last points coincide. Read once."""
    data = _data()
    scale = data.get("UTF8Scale", SCALE)
    shapes: dict[str, list[Ring]] = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        offsets = geometry["encodeOffsets"]
        if geometry["type"] == "Polygon":
            polygons, offsets = [polygons], [offsets]
        rings = []
        for polygon, polygon_offsets in zip(polygons, offsets, strict=True):
            if data.get("UTF8Encoding"):
                # The outer ring only: Lvliang's counties have no holes worth drawing.
                rings.append(decode_ring(polygon[0], polygon_offsets[0], scale))
            else:
                rings.append([tuple(point) for point in polygon[0]])
        shapes[str(feature["id"])] = rings
    return shapes


def centre(code: str) -> tuple[float, float]:
    """A county's label point (the file's `cp`, longitude and latitude)."""
    feature = next(f for f in _data()["features"] if str(f["id"]) == code)
    return tuple(feature["properties"]["cp"])
