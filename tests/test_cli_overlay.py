"""``maskqa overlay``: writes one PNG at the masks' resolution; errors are one line."""

from __future__ import annotations

import numpy as np
from conftest import CASES
from PIL import Image
from typer.testing import CliRunner

from maskqa.cli import app

runner = CliRunner()


def test_overlay_writes_a_png_as_wide_as_the_masks(tmp_path):
    out = tmp_path / "sub" / "o.png"
    result = runner.invoke(
        app,
        [
            "overlay",
            str(CASES / "large_512_fine.png"),
            str(CASES / "large_512_coarse.png"),
            "-o",
            str(out),
            "--band",
            "3",
            "--crops",
            "2",
        ],
    )

    assert result.exit_code == 0, result.output
    assert "2 zoomed crops" in result.output
    # 512 px wide: shown pixel for pixel, legend and crops below the overlay.
    width, height = Image.open(out).size
    assert width == 512 and height > 512


def test_overlay_over_an_image(tmp_path):
    image = tmp_path / "image.png"
    Image.fromarray(np.full((300, 517, 3), 90, np.uint8)).save(image)
    out = tmp_path / "o.png"
    result = runner.invoke(
        app,
        [
            "overlay",
            str(CASES / "nonsquare_300x517_fine.png"),
            str(CASES / "nonsquare_300x517_coarse.png"),
            "--image",
            str(image),
            "-o",
            str(out),
        ],
    )

    assert result.exit_code == 0, result.output
    assert Image.open(out).size[0] == 517


def test_masks_of_different_sizes_are_one_line_and_exit_2(tmp_path):
    result = runner.invoke(
        app,
        [
            "overlay",
            str(CASES / "large_512_fine.png"),
            str(CASES / "tiny_coarse.png"),
            "-o",
            str(tmp_path / "o.png"),
        ],
    )

    assert result.exit_code == 2
    assert "never resized" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o.png").exists()
    # Both files are named, with their sizes.
    text = " ".join(result.output.split())
    assert "large_512_fine.png" in text and "tiny_coarse.png" in text


def test_an_image_of_another_size_names_the_files_and_exits_2(tmp_path):
    small = tmp_path / "small.jpg"
    Image.fromarray(np.full((100, 120, 3), 90, np.uint8)).save(small)
    result = runner.invoke(
        app,
        [
            "overlay",
            str(CASES / "large_512_fine.png"),
            str(CASES / "large_512_coarse.png"),
            "--image",
            str(small),
            "-o",
            str(tmp_path / "o.png"),
        ],
    )

    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "small.jpg" in text and "`--image`" in text and "100x120" in text
    assert "Traceback" not in result.output and not (tmp_path / "o.png").exists()


def test_out_must_be_a_png(tmp_path):
    result = runner.invoke(
        app,
        [
            "overlay",
            str(CASES / "tiny_fine.png"),
            str(CASES / "tiny_coarse.png"),
            "-o",
            str(tmp_path / "o.jpg"),
        ],
    )

    assert result.exit_code == 2
    assert "`--out` to be a .png" in result.output


def test_match_size_draws_a_label_over_an_image_twice_its_size(tmp_path):
    # As CelebAMask-HQ: a 300 px label map (value 13 a square) on a 600 px photo.
    labels = np.zeros((300, 300), np.uint8)
    labels[80:220, 80:220] = 13
    Image.fromarray(labels).save(tmp_path / "fine.png")
    labels[80:220, 80:230] = 13
    Image.fromarray(labels).save(tmp_path / "coarse.png")
    Image.fromarray(np.full((600, 600, 3), 90, np.uint8)).save(tmp_path / "photo.jpg")
    args = ["overlay", str(tmp_path / "fine.png"), str(tmp_path / "coarse.png"),
            "--image", str(tmp_path / "photo.jpg"), "-o", str(tmp_path / "o.png")]
    # Without --label the maps read as empty masks: refused, naming the option.
    refused = runner.invoke(app, [*args, "--match-size", "image"])
    assert refused.exit_code == 2 and "--label" in refused.output
    result = runner.invoke(app, [*args, "--label", "13", "--match-size", "image"])
    assert result.exit_code == 0, result.output
    # The masks were brought to the photo's size: the overlay is 600 px wide.
    assert Image.open(tmp_path / "o.png").size[0] == 600
