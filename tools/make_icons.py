"""Draw StageCoach's Teams app icons: appPackage/color.png (192x192) and appPackage/outline.png (32x32).

The mark is a stagecoach wheel (the "coach") beside three rising steps (the sales stages).
Run `python tools/make_icons.py`; the output is byte-for-byte reproducible.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw

REPO_ROOT = Path(__file__).resolve().parent.parent
APP_PACKAGE_DIR = REPO_ROOT / "appPackage"

COLOR_ICON_SIZE = 192
OUTLINE_ICON_SIZE = 32
# Drawing large and scaling down gives smooth edges without relying on Pillow's antialiasing.
SUPERSAMPLE = 8

# Keep BACKGROUND_RGB equal to the manifest's accentColor so the icon and Teams' tile match.
BACKGROUND_RGB = (0x1B, 0x4F, 0x8A)
WHEEL_RGB = (0xFF, 0xFF, 0xFF)
STEPS_RGB = (0xF5, 0xB7, 0x31)
WHITE = (0xFF, 0xFF, 0xFF)


def _draw_wheel(
    draw: ImageDraw.ImageDraw,
    canvas_size: int,
    centre: tuple[float, float],
    radius: float,
    rim_width: float,
    spoke_count: int,
    fill: int | tuple[int, int, int],
    spoke_angle: float = 0.0,
    hub_scale: float = 1.3,
) -> None:
    """Draw a spoked wheel; lengths are fractions of the canvas size, spoke_angle is in radians."""
    cx, cy = centre[0] * canvas_size, centre[1] * canvas_size
    r = radius * canvas_size
    rim = rim_width * canvas_size
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=fill, width=round(rim))
    spoke_width = round(rim * 0.75)
    for index in range(spoke_count):
        angle = math.pi * 2 * index / spoke_count + spoke_angle
        end = (cx + math.cos(angle) * (r - rim / 2), cy + math.sin(angle) * (r - rim / 2))
        draw.line(((cx, cy), end), fill=fill, width=spoke_width)
    hub = rim * hub_scale
    draw.ellipse((cx - hub, cy - hub, cx + hub, cy + hub), fill=fill)


def _draw_staircase(
    draw: ImageDraw.ImageDraw,
    canvas_size: int,
    bottom_left: tuple[float, float],
    step_size: float,
    step_count: int,
    fill: int | tuple[int, int, int],
) -> None:
    """Draw a solid staircase rising to the right; lengths are fractions of the canvas size."""
    left, base = bottom_left
    points = [(left, base)]
    for index in range(step_count):
        top = base - step_size * (index + 1)
        points += [(left + step_size * index, top), (left + step_size * (index + 1), top)]
    points.append((left + step_size * step_count, base))
    draw.polygon([(x * canvas_size, y * canvas_size) for x, y in points], fill=fill)


def draw_color_icon() -> Image.Image:
    """Full-colour 192x192 icon on an opaque background."""
    canvas_size = COLOR_ICON_SIZE * SUPERSAMPLE
    image = Image.new("RGB", (canvas_size, canvas_size), BACKGROUND_RGB)
    draw = ImageDraw.Draw(image)
    # The wheel stands at the foot of the stairs: the coach about to climb the sales stages.
    _draw_staircase(draw, canvas_size, bottom_left=(0.55, 0.72), step_size=0.107, step_count=3, fill=STEPS_RGB)
    _draw_wheel(
        draw,
        canvas_size,
        centre=(0.33, 0.51),
        radius=0.21,
        rim_width=0.04,
        spoke_count=8,
        fill=WHEEL_RGB,
        spoke_angle=math.pi / 8,
    )
    return image.resize((COLOR_ICON_SIZE, COLOR_ICON_SIZE), Image.Resampling.LANCZOS)


def draw_outline_icon() -> Image.Image:
    """32x32 icon that is white where drawn and fully transparent elsewhere, as Teams requires."""
    canvas_size = OUTLINE_ICON_SIZE * SUPERSAMPLE
    coverage = Image.new("L", (canvas_size, canvas_size), 0)
    draw = ImageDraw.Draw(coverage)
    # Fewer, thicker strokes than the colour icon: fine detail turns to mush at 32 px.
    _draw_staircase(draw, canvas_size, bottom_left=(0.56, 0.78), step_size=0.135, step_count=3, fill=255)
    # Upright spokes line up with the pixel grid, so they stay crisp at this size.
    _draw_wheel(
        draw,
        canvas_size,
        centre=(0.265, 0.535),
        radius=0.245,
        rim_width=0.08,
        spoke_count=4,
        fill=255,
        hub_scale=0.8,
    )
    alpha = coverage.resize((OUTLINE_ICON_SIZE, OUTLINE_ICON_SIZE), Image.Resampling.LANCZOS)
    # Colour is white everywhere; only alpha carries the shape, so no pixel can be off-white.
    icon = Image.new("RGBA", (OUTLINE_ICON_SIZE, OUTLINE_ICON_SIZE), (*WHITE, 0))
    icon.putalpha(alpha)
    return icon


def write_icons(output_dir: Path = APP_PACKAGE_DIR) -> tuple[Path, Path]:
    """Write color.png and outline.png into output_dir; returns their paths."""
    output_dir.mkdir(parents=True, exist_ok=True)
    color_path = output_dir / "color.png"
    outline_path = output_dir / "outline.png"
    # optimize=True is deterministic and keeps the committed files small.
    draw_color_icon().save(color_path, format="PNG", optimize=True)
    draw_outline_icon().save(outline_path, format="PNG", optimize=True)
    return color_path, outline_path


def main() -> int:
    for path in write_icons():
        print(f"wrote {path.relative_to(REPO_ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
