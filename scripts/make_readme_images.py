"""Make the README's pictures from the bundled samples: one overlay and one curve.

Run from the repository root: ``python scripts/make_readme_images.py``. It reads the
lemur pairs in data/samples/lemur (CC0 photo, MIT masks) and writes two small PNGs to
docs/images/: the overlay of one pair over its photograph, with zoomed crops where the
disagreement is densest, and boundary F against tolerance over the four pairs. The
PNGs are reduced to a palette of at most 128 colours to keep them small.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image

from maskqa import compare, read_image, read_mask
from maskqa.viz import overlay_figure, plot_curve

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples" / "lemur"
OUT = ROOT / "docs" / "images"
PAIR = "lemur_trimap_vs_alpha"
TOLERANCES_PX = (1, 2, 3, 5, 8, 10, 15, 20)


def _save_small(figure, path: Path) -> None:
    # A palette PNG: the overlay holds greys and six flat colours, so 128 entries
    # lose nothing visible and shrink the file several times.
    buffer = io.BytesIO()
    figure.savefig(buffer, dpi=figure.dpi, format="png")
    picture = Image.open(buffer).convert("RGB")
    picture.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(
        path, optimize=True
    )


def make_overlay() -> Path:
    reference = read_mask(SAMPLES / "reference" / f"{PAIR}.png")
    candidate = read_mask(SAMPLES / "candidate" / f"{PAIR}.png")
    image = read_image(SAMPLES / "images" / f"{PAIR}.jpg")
    made = overlay_figure(
        reference,
        candidate,
        image,
        band_px=5,
        n_crops=3,
        crop_size_px=80,
        title=f"{PAIR}: alpha > 127 (reference) "
        "vs trimap foreground + unknown (candidate)",
    )
    path = OUT / "overlay_lemur.png"
    _save_small(made.figure, path)
    return path


def make_curve() -> Path:
    rows = []
    for reference_path in sorted((SAMPLES / "reference").glob("*.png")):
        candidate_path = SAMPLES / "candidate" / reference_path.name
        report = compare(
            read_mask(reference_path),
            read_mask(candidate_path),
            tolerance_px=TOLERANCES_PX,
        )
        rows.append(report.values)
    drawn = plot_curve(
        rows, "boundary_f", interval=(0.0, 1.0), label="boundary F, lemur samples"
    )
    drawn.ax.set_title(
        "Trimap outlines against fine alpha masks: F rises only past 5 px",
        fontsize="small",
    )
    path = OUT / "curve_boundary_f.png"
    _save_small(drawn.ax.figure, path)
    return path


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for path in (make_overlay(), make_curve()):
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
