"""Plotly figure specs (plain dicts) for the charts on the site.

Figures are drawn in the browser by plotly.js from a JSON spec placed in a
`data-figure` attribute; assets/charts.js does the drawing.
"""

from __future__ import annotations

from . import record as rec


def requests_by_applicant(record: dict) -> dict | None:
    """Bar chart: new requests received, by applicant type (table B row 一, six columns)."""
    row = record.get("requests", {}).get("new_received")
    if not row:
        return None
    return {
        "data": [{"type": "bar", "x": rec.COLUMNS[:6], "y": row[:6], "name": "本年新收申请"}],
        "layout": {"title": {"text": "本年新收申请（按申请人）"}, "yaxis": {"title": {"text": "件"}}},
    }
