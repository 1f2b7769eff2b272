"""Cache headers for static files WhiteNoise serves (settings.WHITENOISE_ADD_HEADERS_FUNCTION).

plotly.js (4.8 MB) would otherwise be revalidated on every page under `make run`, where
WhiteNoise serves files unhashed with max-age 0. Its URL carries plotly's version
(`?v=6.0.1`, templatetags `plotly_js`), so a year of caching is safe: an upgrade changes the
URL. Kept free of Django imports: settings imports it.
"""

YEAR = 365 * 24 * 3600
VENDOR_PREFIX = "vendor/"


def cache_headers(headers, path: str, url: str) -> None:
    """WhiteNoise's hook: `url` is the file's URL path (`/static/vendor/plotly.min.js`)."""
    if f"/{VENDOR_PREFIX}" in url:
        headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
