"""A grouped bar chart of shares (0..1) as a PNG: matplotlib when it is installed, else the small
built-in rasteriser in `png` (no new dependency either way).

It draws what it is given; choosing the metrics to plot is the report's job. A missing value
(None) is drawn as "n/a" instead of a bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .png import GLYPH_H, Canvas, text_width

Series = tuple[str, Sequence[float | None]]  # (legend name, one value per group)
COLORS = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40))


def write_chart(path: Path, title: str, groups: Sequence[str], series: Sequence[Series]) -> str:
    """Write the chart; returns the renderer used: "matplotlib" or "builtin"."""
    for name, values in series:
        if len(values) != len(groups):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(groups)} groups")
    try:
        from matplotlib.figure import Figure
    except ImportError:
        path.write_bytes(builtin_chart(title, groups, series))
        return "builtin"
    figure = Figure(figsize=(max(6.0, 0.9 * len(groups) + 2), 4.0))
    axes = figure.subplots()
    width = 0.8 / max(1, len(series))
    for i, (name, values) in enumerate(series):
        xs = [g + (i - (len(series) - 1) / 2) * width for g in range(len(groups))]
        axes.bar(xs, [v or 0.0 for v in values], width, label=name,
                 color=[c / 255 for c in COLORS[i % len(COLORS)]])
    axes.set_xticks(range(len(groups)), list(groups), rotation=30, ha="right")
    axes.set_ylim(0, 1)
    axes.set_ylabel("share")
    axes.set_title(title)
    axes.legend(loc="upper right", fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return "matplotlib"


def builtin_chart(title: str, groups: Sequence[str], series: Sequence[Series]) -> bytes:
    """The same chart drawn pixel by pixel; returns PNG bytes."""
    group_w, plot_h, left, top, bottom = 96, 200, 44, 52, 34
    width = left + group_w * max(1, len(groups)) + 16
    height = top + plot_h + bottom
    canvas = Canvas(width, height)
    canvas.text(left, 8, title, scale=2)
    for i, (name, _) in enumerate(series):  # legend
        x = left + i * 170
        canvas.rect(x, 30, x + 10, 40, COLORS[i % len(COLORS)])
        canvas.text(x + 14, 32, name)
    base = top + plot_h
    for tick in range(5):  # grid every 25%
        y = base - tick * plot_h // 4
        canvas.rect(left, y, width - 16, y + 1, (210, 210, 210) if tick else (0, 0, 0))
        label = f"{tick * 25}%"
        canvas.text(left - 4 - text_width(label), y - GLYPH_H // 2, label)
    bar_w = (group_w - 24) // max(1, len(series))
    for g, group in enumerate(groups):
        x0 = left + g * group_w + 12
        for i, (_, values) in enumerate(series):
            value = values[g]
            x = x0 + i * bar_w
            if value is None:
                canvas.text(x + 1, base - 8, "n/a", (120, 120, 120))
                continue
            y = base - round(max(0.0, min(1.0, value)) * plot_h)
            canvas.rect(x, y, x + bar_w - 2, base, COLORS[i % len(COLORS)])
            canvas.text(x + 1, y - 8, f"{round(value * 100)}")
        label = group[: (group_w - 4) // 4]
        canvas.text(x0 + (group_w - 24 - text_width(label)) // 2, base + 8, label)
    return canvas.png()
