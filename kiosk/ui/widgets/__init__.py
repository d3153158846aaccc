"""Reusable widgets: fitted plain-text labels, painted panels and bars, touch buttons, layout
helpers and the Screen base class."""

from __future__ import annotations

from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.flow import (
    Chunk,
    SectionFlow,
    Slot,
    column_width,
    columns_for,
    flow_height,
    flow_lines,
    pack_columns,
    place_chunks,
    rows_per_page,
)
from kiosk.ui.widgets.painted import FadeOverlay, Panel, ProgressBar
from kiosk.ui.widgets.screen import Lane, Screen, fill_background
from kiosk.ui.widgets.text import (
    FitLabel,
    clean_text,
    line_height,
    plain_label,
    text_width,
    wrap_text,
)

__all__ = [
    "Chunk",
    "FadeOverlay",
    "FitLabel",
    "Lane",
    "Panel",
    "ProgressBar",
    "Screen",
    "SectionFlow",
    "Slot",
    "TouchButton",
    "clean_text",
    "column_width",
    "columns_for",
    "fill_background",
    "flow_height",
    "flow_lines",
    "line_height",
    "pack_columns",
    "place_chunks",
    "plain_label",
    "rows_per_page",
    "text_width",
    "wrap_text",
]
