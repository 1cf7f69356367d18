#!/usr/bin/env python3
"""Write the bundled samples in data/samples/ from the permissively licensed sources.

Usage: python scripts/make_samples.py [DATA_ROOT] [OUT_DIR]
  DATA_ROOT  folder holding pymatting-lemur/ and p3m-portrait-matting/
             (default: ../shared/data beside the repository)
  OUT_DIR    default: data/samples in the repository

Only pymatting-lemur (CC0 photo, MIT trimaps and mattes) and p3m-portrait-matting (MIT)
may be copied into the repository; every other source is research-only or of unknown
licence. The output is the same on every run (Pillow's encoders are deterministic).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from maskqa.io import read_image, read_mask, read_trimap

__all__ = ["main", "make_lemur", "make_p3m"]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "data" / "samples"

LEMUR_DIR = "pymatting-lemur/data/lemur"
LEMUR_COMMIT = "35c41599769151842283cb6898631ae3843fc86c"
# The pair names are the keys that ../shared/refs/make_real_pairs.py gives, so that
# tests can compare with the peer values in tests/data/peer_values_real.json.
LEMUR_TRIMAPS = ("lemur_trimap", "lemur_trimap_fba")
LEMUR_ALPHAS = ("lemur_alpha", "lemur_alpha_fba")

P3M_DIR = "p3m-portrait-matting/demo/imgs"
P3M_COMMIT = "9f9390f2bc8e93173a9bb8e46102bf32a3c2b825"
# Curly hair, long blond hair, a black-and-white photo of curly hair, long hair.
P3M_NAMES = ("p_22fc0130", "p_d684dae3", "p_514ca06a", "p_09ba26b4")
P3M_LONG_SIDE = 640

JPEG_QUALITY = 90

MIT_TEXT = """\
Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

LEMUR_SOURCE = f"""\
# Lemur sample: one photo, two trimaps, two alpha mattes (pymatting)

## Origin

- Repository `pymatting/pymatting` (GitHub), commit `{LEMUR_COMMIT}`, folder
  `data/lemur/`. Made by `scripts/make_samples.py` of this repository.
- `original/`: `lemur_trimap.png`, `lemur_trimap_fba.png`, `lemur_alpha.png`,
  `lemur_alpha_fba.png`, byte-for-byte copies.
- `reference/NAME.png` (fine): `alpha > 127`, 0/255 grey PNG.
- `candidate/NAME.png` (coarse): trimap foreground plus its unknown band (the unknown
  value is 102 in `lemur_trimap.png`, 128 in `lemur_trimap_fba.png`), 0/255 grey PNG.
- NAME = `lemur_TRIMAP_vs_ALPHA` for the four combinations (`lemur_trimap_vs_alpha`,
  `lemur_trimap_vs_alpha_fba`, `lemur_trimap_fba_vs_alpha`,
  `lemur_trimap_fba_vs_alpha_fba`): the pair names of the project's peer values.
- `images/NAME.jpg`: the photo (`data/lemur/lemur.png`, its constant alpha dropped),
  RGB JPEG quality {JPEG_QUALITY}; the same photo under each pair name, so that image
  and masks pair by name.

## Licence

- Photo: Lemur image by Mathias Appel,
  https://www.flickr.com/photos/mathiasappel/25419442300/, licensed under CC0 1.0
  Universal (CC0 1.0) Public Domain Dedication.
- Trimaps and alpha mattes: part of PyMatting, under the MIT License:

```
MIT License

Copyright (c) 2020 PyMatting

{MIT_TEXT}```

## Cite

- T. Germer, T. Uelwer, S. Conrad, S. Harmeling, "PyMatting: A Python Library for
  Alpha Matting", Journal of Open Source Software 5(54), 2481, 2020,
  doi:10.21105/joss.02481.
- `lemur_alpha.png` is a closed-form matte: A. Levin, D. Lischinski, Y. Weiss, "A
  Closed-Form Solution to Natural Image Matting", IEEE TPAMI 30(2), 2008.
- `lemur_alpha_fba.png` comes from FBA Matting: M. Forte, F. Pitié, "F, B, Alpha
  Matting", arXiv:2003.07711, 2020.
"""

P3M_SOURCE = f"""\
# P3M portrait samples: photos with hair and fine masks

## Origin

- Repository `JizhiziLi/P3M` (GitHub), commit `{P3M_COMMIT}`, files
  `demo/imgs/original/NAME.jpg` and `demo/imgs/alpha/NAME.png` for NAME in
  {", ".join(P3M_NAMES)}. Made by `scripts/make_samples.py` of this repository.
- Faces are blurred by the dataset authors. The alpha mattes are predictions of the
  P3M-Net model, not human ground truth.
- `images/NAME.jpg`: the photo downscaled (Lanczos) so that its long side is
  {P3M_LONG_SIDE} px, RGB JPEG quality {JPEG_QUALITY}.
- `masks/NAME.png`: the alpha downscaled to the same size (box filter, i.e. the mean
  alpha over each output pixel), then `alpha > 127`, 0/255 grey PNG. A fine mask that
  follows the hair, for measuring how a mask's boundary follows the image's edges.

## Licence

MIT License, as in the repository's `LICENSE`; its README labels the P3M-10k release
agreement "Agreement (MIT License)".

```
MIT License

Copyright (c) 2021 Jizhizi Li and Sihan Ma

{MIT_TEXT}```

## Cite

- J. Li, S. Ma, J. Zhang, D. Tao, "Privacy-Preserving Portrait Matting", ACM
  International Conference on Multimedia (ACM MM), 2021, arXiv:2104.14222.
"""


def save_mask(mask: np.ndarray, path: Path) -> None:
    """Write a bool mask as a 0/255 grey PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(mask.astype(np.uint8) * 255).save(path, optimize=True)


def save_jpeg(image: np.ndarray, path: Path) -> None:
    """Write an RGB array as a JPEG of the samples' quality."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(image).save(path, quality=JPEG_QUALITY)


def make_lemur(data_root: Path, out: Path) -> list[str]:
    """Write the four lemur pairs, their photo and the originals; return the names."""
    source = data_root / LEMUR_DIR
    out = out / "lemur"
    photo = read_image(source / "lemur.png")
    names = []
    for trimap in LEMUR_TRIMAPS:
        coarse = read_trimap(source / f"{trimap}.png", unknown_as="foreground")
        for alpha in LEMUR_ALPHAS:
            fine = read_mask(source / f"{alpha}.png", threshold=128)
            name = f"{trimap}_vs_{alpha.removeprefix('lemur_')}"
            save_mask(fine, out / "reference" / f"{name}.png")
            save_mask(coarse, out / "candidate" / f"{name}.png")
            save_jpeg(photo, out / "images" / f"{name}.jpg")
            names.append(name)

    (out / "original").mkdir(parents=True, exist_ok=True)
    for stem in LEMUR_TRIMAPS + LEMUR_ALPHAS:
        shutil.copyfile(source / f"{stem}.png", out / "original" / f"{stem}.png")
    (out / "SOURCE.md").write_text(LEMUR_SOURCE)
    return names


def make_p3m(data_root: Path, out: Path) -> list[str]:
    """Write the downscaled P3M photos and thresholded masks; return the names."""
    source = data_root / P3M_DIR
    out = out / "p3m"
    for name in P3M_NAMES:
        photo = Image.fromarray(read_image(source / "original" / f"{name}.jpg"))
        scale = P3M_LONG_SIDE / max(photo.size)
        size = (round(photo.width * scale), round(photo.height * scale))
        save_jpeg(
            np.asarray(photo.resize(size, Image.Resampling.LANCZOS)),
            out / "images" / f"{name}.jpg",
        )

        # Downscale the soft alpha before thresholding: thresholding first and
        # resizing a binary mask would alias the hair strands.
        alpha = Image.open(source / "alpha" / f"{name}.png").convert("L")
        small = np.asarray(alpha.resize(size, Image.Resampling.BOX))
        save_mask(small > 127, out / "masks" / f"{name}.png")
    (out / "SOURCE.md").write_text(P3M_SOURCE)
    return list(P3M_NAMES)


def main(argv: list[str]) -> int:
    data_root = Path(argv[0]) if argv else DEFAULT_DATA
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    if not (data_root / LEMUR_DIR).is_dir():
        sys.stderr.write(f"error: {data_root / LEMUR_DIR} not found; pass DATA_ROOT\n")
        return 2
    written = make_lemur(data_root, out)
    if (data_root / P3M_DIR).is_dir():
        written += make_p3m(data_root, out)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"wrote {len(written)} samples to {out} ({size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
