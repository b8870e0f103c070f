"""The attendance picture: structures × months, drawn as a PNG a phone can read."""

from __future__ import annotations

import struct

from bot.domain.rendezvous import attendance_grid
from bot.rendering.attendance_chart import attendance_grid_chart


def size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_the_grid_counts_who_came_per_structure_and_month() -> None:
    months = [
        ("2026-11", {"@a": "Jardins", "@b": "Repair Café"}),
        ("2026-12", {"@a": "Jardins", "@c": "jardins", "@d": None}),
    ]
    assert attendance_grid(months, ["Jardins", "Repair Café", "Ressourcerie"]) == {
        "Jardins": {"2026-11": 1, "2026-12": 2},
        "Repair Café": {"2026-11": 1, "2026-12": 0},
        "Ressourcerie": {"2026-11": 0, "2026-12": 0},
    }


def test_the_picture_is_a_png_about_a_phone_screen_wide() -> None:
    grid = {"Ressourcerie du Plateau": {"2026-11": 2, "2026-12": 0}, "Jardins": {"2026-12": 1}}
    png = attendance_grid_chart(
        grid, ["2026-11", "2026-12"], {"2026-11": "nov. 26", "2026-12": "déc. 26"}, "Présences"
    )
    assert png.startswith(b"\x89PNG")
    width, height = size(png)
    assert 500 <= width <= 800 and height < 2 * width
