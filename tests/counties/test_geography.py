"""The vendored county boundaries decode into the right places."""

import itertools

from counties.geography import centre, county_shapes, decode_ring
from lvliang_eco.seed import FIXTURES_DIR


def inside(point, ring) -> bool:
    """Ray casting: is the point inside the ring?"""
    x, y = point
    crossings = 0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            crossings += 1
    return crossings % 2 == 1


def test_every_county_of_the_fixtures_has_a_closed_boundary_in_lvliang():
    codes = {
        line.split(",")[0]
        for line in (FIXTURES_DIR / "areas.csv").read_text(encoding="utf-8").splitlines()[2:]
    }
    shapes = county_shapes()
    assert set(shapes) == codes and len(codes) == 13
    for code, rings in shapes.items():
        ring = max(rings, key=len)
        assert ring[0] == ring[-1] and len(ring) > 50, code
        # 吕梁市 lies within 110.3–112.4° E, 36.5–38.9° N.
        assert all(110.3 < x < 112.4 and 36.5 < y < 38.9 for x, y in ring), code
        assert inside(centre(code), ring), code


def test_it_decodes_as_echarts_does():
    # `@A` is the zigzag pair (0, 0); `BD` moves by (+1, +2) in 1/1024 degree.
    assert decode_ring("@@BD", [1024, 2048]) == [(1.0, 2.0), (1 + 1 / 1024, 2 + 2 / 1024)]
    assert decode_ring("AA", [0, 0]) == [(-1 / 1024, -1 / 1024)]
