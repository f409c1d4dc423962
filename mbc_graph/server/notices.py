"""The license of the data and the not-medical-advice notice, on every answer."""

from __future__ import annotations

from .settings import NOTICE

#: The license of the bundled ontology (its ``dcterms:license``).
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_NAME = "CC BY 4.0"


def notice_headers() -> dict[str, str]:
    """HTTP headers naming the license (RFC 8288 ``Link``) and the notice.

    >>> notice_headers()["Link"]
    '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    """
    return {"Link": f'<{LICENSE}>; rel="license"', "X-Notice": NOTICE}


def with_notice(body: dict) -> dict:
    """A JSON answer with ``license`` and ``notice`` fields added.

    >>> with_notice({"a": 1})["notice"]
    'Educational content, not medical advice.'
    """
    return {**body, "license": {"name": LICENSE_NAME, "url": LICENSE}, "notice": NOTICE}
