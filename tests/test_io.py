"""Tests of maskqa.io: reading masks, images, label maps, trimaps; pairing folders."""

from __future__ import annotations

import warnings
from pathlib import Path

import gallery
import numpy as np
import pytest
from conftest import ROOT, close
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from maskqa.errors import InputError, MaskReadError, ThresholdWarning
from maskqa.io import (
    ReadWarning,
    pair_files,
    pair_images,
    read_image,
    read_label_map,
    read_mask,
    read_trimap,
    trimap_regions,
)

SAMPLES = ROOT / "data" / "samples"
LEMUR_NAMES = [
    "lemur_trimap_vs_alpha",
    "lemur_trimap_vs_alpha_fba",
    "lemur_trimap_fba_vs_alpha",
    "lemur_trimap_fba_vs_alpha_fba",
]


def save(array, path, **kwargs):
    Image.fromarray(array).save(path, **kwargs)
    return path


def u8(mask):
    return mask.astype(np.uint8) * 255


# --- masks: formats and modes -------------------------------------------------


@pytest.mark.parametrize("suffix", [".png", ".bmp", ".tif"])
def test_grey_0_255_lossless_formats_round_trip(tmp_path, suffix):
    # A 0/255 mask written losslessly reads back as exactly the same pixels.
    mask = gallery.with_hole()
    path = save(u8(mask), tmp_path / f"m{suffix}")
    assert np.array_equal(read_mask(path), mask)


def test_grey_0_1_values_are_foreground_where_non_zero(tmp_path):
    mask = gallery.two_blobs()
    path = save(mask.astype(np.uint8), tmp_path / "m.png")
    assert np.array_equal(read_mask(path), mask)


def test_mode_1_png(tmp_path):
    mask = gallery.disk()
    path = save(mask, tmp_path / "m.png")
    assert Image.open(path).mode == "1"
    assert np.array_equal(read_mask(path), mask)


def test_result_is_2d_contiguous_bool(tmp_path):
    path = save(u8(gallery.square()), tmp_path / "m.png")
    mask = read_mask(path)
    assert mask.dtype == bool and mask.ndim == 2 and mask.flags.c_contiguous


def test_palette_read_as_indices_not_colours(tmp_path):
    # Index 1 is painted black and index 0 white: read as colours the mask would
    # be inverted; read as indices, foreground is index 1.
    mask = gallery.square()
    image = Image.fromarray(mask.astype(np.uint8), mode="P")
    image.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)
    image.save(tmp_path / "p.png")
    assert Image.open(tmp_path / "p.png").mode == "P"
    assert np.array_equal(read_mask(tmp_path / "p.png"), mask)


def test_palette_label_selects_an_index(tmp_path):
    labels = np.zeros(gallery.SHAPE, np.uint8)
    labels[gallery.square()] = 13
    labels[gallery.single_pixel()] = 6
    image = Image.fromarray(labels, mode="P")
    image.putpalette(list(range(256)) * 3)
    image.save(tmp_path / "p.png")
    assert np.array_equal(
        read_mask(tmp_path / "p.png", label=6), gallery.single_pixel()
    )
    assert np.array_equal(read_label_map(tmp_path / "p.png"), labels)


def test_16_bit_kept_as_16_bit(tmp_path):
    # Labels above 255 survive: 16-bit files are never squeezed into 8 bits.
    labels = np.zeros(gallery.SHAPE, np.uint16)
    labels[gallery.square()] = 1000
    labels[gallery.single_pixel()] = 40000
    path = save(labels, tmp_path / "l.png")
    assert Image.open(path).mode == "I;16"
    read = read_label_map(path)
    assert read.dtype == np.uint16 and np.array_equal(read, labels)
    assert np.array_equal(read_mask(path, label=40000), gallery.single_pixel())


def test_16_bit_0_65535_mask(tmp_path):
    mask = gallery.disk()
    path = save(mask.astype(np.uint16) * 65535, tmp_path / "m.png")
    assert np.array_equal(read_mask(path), mask)


def test_rgba_mask_in_alpha_channel(tmp_path):
    # The colour is a constant red and the alpha holds the mask.
    mask = gallery.disk()
    rgba = np.zeros(gallery.SHAPE + (4,), np.uint8)
    rgba[..., 0] = 200
    rgba[..., 3] = u8(mask)
    path = save(rgba, tmp_path / "a.png")
    assert np.array_equal(read_mask(path), mask)


def test_rgba_alpha_not_all_255_wins_over_varying_colour(tmp_path):
    # A cut-out: colour varies (a photo), alpha marks the object.
    mask = gallery.square()
    rgba = np.random.default_rng(0).integers(0, 256, gallery.SHAPE + (4,), np.uint8)
    rgba[..., 3] = u8(mask)
    path = save(rgba, tmp_path / "cut.png")
    assert np.array_equal(read_mask(path), mask)


def test_rgba_opaque_grey_reads_the_grey_value(tmp_path):
    # pymatting's lemur trimaps are stored like this: R = G = B, alpha all 255.
    mask = gallery.two_blobs()
    rgba = np.full(gallery.SHAPE + (4,), 255, np.uint8)
    rgba[..., :3] = u8(mask)[..., None]
    path = save(rgba, tmp_path / "g.png")
    assert np.array_equal(read_mask(path), mask)


def test_rgb_grey_reads_the_grey_value(tmp_path):
    mask = gallery.line()
    path = save(np.repeat(u8(mask)[..., None], 3, axis=2), tmp_path / "g.png")
    assert np.array_equal(read_mask(path), mask)


def test_la_mask_in_alpha(tmp_path):
    mask = gallery.with_hole()
    la = np.stack([np.full(gallery.SHAPE, 7, np.uint8), u8(mask)], axis=2)
    path = save(la, tmp_path / "la.png")
    assert Image.open(path).mode == "LA"
    assert np.array_equal(read_mask(path), mask)


def test_la_opaque_reads_grey(tmp_path):
    mask = gallery.with_hole()
    la = np.stack([u8(mask), np.full(gallery.SHAPE, 255, np.uint8)], axis=2)
    assert np.array_equal(read_mask(save(la, tmp_path / "la.png")), mask)


def test_colour_image_is_an_error_naming_the_file(tmp_path):
    rgb = np.zeros(gallery.SHAPE + (3,), np.uint8)
    rgb[gallery.square()] = (255, 0, 0)
    path = save(rgb, tmp_path / "colour.png")
    with pytest.raises(MaskReadError, match="colour.png.*colour image.*label="):
        read_mask(path)


def test_colour_label_triple_selects_a_colour(tmp_path):
    rgb = np.zeros(gallery.SHAPE + (3,), np.uint8)
    rgb[gallery.square()] = (255, 0, 0)
    rgb[gallery.single_pixel()] = (0, 128, 0)
    path = save(rgb, tmp_path / "colour.png")
    assert np.array_equal(read_mask(path, label=(0, 128, 0)), gallery.single_pixel())
    assert read_mask(path, label=[255, 0, 0]).sum() == 12 * 12 - 1


def test_absent_label_warns_and_gives_empty_mask(tmp_path):
    path = save(u8(gallery.square()), tmp_path / "m.png")
    with pytest.warns(ReadWarning, match="label 7 does not occur.*0, 255"):
        mask = read_mask(path, label=7)
    assert not mask.any()


def test_empty_mask_reads_as_all_false(tmp_path):
    path = save(u8(gallery.empty()), tmp_path / "empty.png")
    mask = read_mask(path)
    assert mask.shape == gallery.SHAPE and not mask.any()


def test_jpeg_is_thresholded_at_128_with_a_warning_naming_the_file(tmp_path):
    # Compression puts intermediate values on the edges, so the rule must guess.
    mask = gallery.disk(radius=10)
    path = save(u8(mask), tmp_path / "soft.jpg", quality=75)
    with pytest.warns(ThresholdWarning, match="soft.jpg"):
        read = read_mask(path)
    grey = np.asarray(Image.open(path))
    assert np.array_equal(read, grey >= 128)
    assert np.count_nonzero(read != mask) <= 4


def test_threshold_overrides_the_rule_without_warning(tmp_path):
    grey = np.array([[0, 50, 100, 200]], np.uint8)
    path = save(grey, tmp_path / "g.png")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_mask(path, threshold=50).tolist() == [[False, True, True, True]]


def test_npy_bool_int_float(tmp_path):
    mask = gallery.touching_border()
    for name, array in [("b", mask), ("i", mask.astype(np.int64)), ("f", mask * 1.0)]:
        np.save(tmp_path / f"{name}.npy", array)
        assert np.array_equal(read_mask(tmp_path / f"{name}.npy"), mask)


def test_npy_label_map(tmp_path):
    labels = np.arange(12).reshape(3, 4) % 5
    np.save(tmp_path / "l.npy", labels)
    assert read_mask(tmp_path / "l.npy", label=4).sum() == 2
    assert np.array_equal(read_label_map(tmp_path / "l.npy"), labels)


def test_label_and_threshold_together_is_an_error(tmp_path):
    path = save(u8(gallery.square()), tmp_path / "m.png")
    with pytest.raises(InputError, match="at most one of `label` and `threshold`"):
        read_mask(path, label=255, threshold=1)


@pytest.mark.parametrize("label", [1.5, "hair", (1, 2), (1, 2, 3.0), True])
def test_bad_label_is_an_error(tmp_path, label):
    path = save(u8(gallery.square()), tmp_path / "m.png")
    with pytest.raises(InputError, match="Expected `label`"):
        read_mask(path, label=label)


# --- masks: errors ---------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(MaskReadError, match="nope.png.*no such file") as info:
        read_mask(tmp_path / "nope.png")
    assert info.value.path == tmp_path / "nope.png"


def test_directory(tmp_path):
    with pytest.raises(MaskReadError, match="directory"):
        read_mask(tmp_path)


def test_text_file_named_png(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("not an image")
    with pytest.raises(MaskReadError, match="notes.png.*not an image"):
        read_mask(path)


def test_truncated_png(tmp_path):
    path = save(u8(gallery.disk()), tmp_path / "full.png")
    data = path.read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    with pytest.raises(MaskReadError, match="cut.png.*truncated or corrupt"):
        read_mask(tmp_path / "cut.png")


def test_zero_byte_file(tmp_path):
    (tmp_path / "zero.png").write_bytes(b"")
    with pytest.raises(MaskReadError, match="zero.png.*empty"):
        read_mask(tmp_path / "zero.png")


def test_3d_npy(tmp_path):
    np.save(tmp_path / "cube.npy", np.zeros((4, 5, 3), np.uint8))
    with pytest.raises(MaskReadError, match=r"cube.npy.*2-D.*\(4, 5, 3\)"):
        read_mask(tmp_path / "cube.npy")


def test_zero_sized_npy(tmp_path):
    np.save(tmp_path / "none.npy", np.zeros((0, 5), np.uint8))
    with pytest.raises(MaskReadError, match="zero-sized"):
        read_mask(tmp_path / "none.npy")


@pytest.mark.parametrize(
    "array",
    [
        np.zeros((2, 2), complex),
        np.array([["a", "b"]]),
        np.zeros((2, 2), "datetime64[s]"),
    ],
)
def test_unsupported_npy_dtype(tmp_path, array):
    np.save(tmp_path / "odd.npy", array)
    with pytest.raises(MaskReadError, match="unsupported dtype"):
        read_mask(tmp_path / "odd.npy")


def test_pickled_npy_is_refused(tmp_path):
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(MaskReadError, match="not a plain numeric"):
        read_mask(tmp_path / "obj.npy")


def test_float_nan_is_an_error_naming_the_file(tmp_path):
    np.save(tmp_path / "nan.npy", np.array([[0.0, np.nan]]))
    with pytest.raises(MaskReadError, match="nan.npy.*finite"):
        read_mask(tmp_path / "nan.npy")


def test_multi_page_tiff_is_3d(tmp_path):
    pages = [Image.fromarray(u8(gallery.square())) for _ in range(2)]
    pages[0].save(tmp_path / "pages.tif", save_all=True, append_images=pages[1:])
    with pytest.raises(MaskReadError, match="2 frames"):
        read_mask(tmp_path / "pages.tif")


def test_decompression_bomb_becomes_mask_read_error(tmp_path, monkeypatch):
    # Pillow warns above MAX_IMAGE_PIXELS and raises above twice that; both are errors.
    path = save(u8(gallery.square()), tmp_path / "big.png")
    for limit in (gallery.SHAPE[0] * gallery.SHAPE[1] - 1, 10):
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", limit)
        with pytest.raises(MaskReadError, match="big.png.*too many pixels"):
            read_mask(path)


def test_label_map_refuses_colour_and_float(tmp_path):
    rgb = np.zeros((3, 3, 3), np.uint8)
    rgb[0, 0] = (1, 2, 3)
    with pytest.raises(MaskReadError, match="colour image"):
        read_label_map(save(rgb, tmp_path / "c.png"))
    np.save(tmp_path / "f.npy", np.zeros((2, 2)))
    with pytest.raises(MaskReadError, match="integer labels"):
        read_label_map(tmp_path / "f.npy")


# --- images ----------------------------------------------------------------------


def test_read_image_rgb_and_grey(tmp_path):
    rng = np.random.default_rng(1)
    rgb = rng.integers(0, 256, (5, 6, 3), np.uint8)
    assert np.array_equal(read_image(save(rgb, tmp_path / "c.png")), rgb)
    grey = rng.integers(0, 256, (5, 6), np.uint8)
    assert np.array_equal(read_image(save(grey, tmp_path / "g.png")), grey)


def test_read_image_drops_constant_alpha_silently(tmp_path):
    rgba = np.random.default_rng(2).integers(0, 256, (5, 6, 4), np.uint8)
    rgba[..., 3] = 255
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read = read_image(save(rgba, tmp_path / "a.png"))
    assert np.array_equal(read, rgba[..., :3])


def test_read_image_warns_when_dropping_a_varying_alpha(tmp_path):
    rgba = np.zeros((2, 2, 4), np.uint8)
    rgba[0, 0, 3] = 255
    with pytest.warns(ReadWarning, match="alpha channel varies"):
        assert read_image(save(rgba, tmp_path / "a.png")).shape == (2, 2, 3)


def test_read_image_16_bit_scaled_to_8(tmp_path):
    # round(v / 257): 0 -> 0, 257 -> 1, 32896 -> 128, 65535 -> 255.
    grey = np.array([[0, 257, 32896, 65535]], np.uint16)
    read = read_image(save(grey, tmp_path / "g16.png"))
    assert read.dtype == np.uint8 and read.tolist() == [[0, 1, 128, 255]]


def test_read_image_palette_gives_colours(tmp_path):
    image = Image.fromarray(np.array([[0, 1]], np.uint8), mode="P")
    image.putpalette([10, 20, 30, 40, 50, 60] + [0] * 762)
    image.save(tmp_path / "p.png")
    assert read_image(tmp_path / "p.png").tolist() == [[[10, 20, 30], [40, 50, 60]]]


def test_read_image_errors(tmp_path):
    np.save(tmp_path / "f.npy", np.zeros((2, 2)))
    with pytest.raises(MaskReadError, match="float64"):
        read_image(tmp_path / "f.npy")
    with pytest.raises(MaskReadError, match="no such file"):
        read_image(tmp_path / "none.jpg")


# --- trimaps ---------------------------------------------------------------------


def _trimap(unknown_value):
    # Foreground: the gallery square; unknown: a 2-px ring around it.
    inner = gallery.square()
    outer = gallery.square(top=6, left=8, side=16)
    trimap = np.zeros(gallery.SHAPE, np.uint8)
    trimap[outer] = unknown_value
    trimap[inner] = 255
    return trimap, inner, outer & ~inner


@pytest.mark.parametrize("unknown_value", [102, 128])
def test_trimap_unknown_value_detected(tmp_path, unknown_value):
    trimap, inner, ring = _trimap(unknown_value)
    path = save(trimap, tmp_path / "t.png")
    foreground, unknown, background = trimap_regions(path)
    assert np.array_equal(foreground, inner)
    assert np.array_equal(unknown, ring)
    assert np.array_equal(background, ~(inner | ring))
    assert np.array_equal(read_trimap(path), inner | ring)
    assert np.array_equal(read_trimap(path, unknown_as="foreground"), inner | ring)
    assert np.array_equal(read_trimap(path, unknown_as="background"), inner)


def test_trimap_stored_as_opaque_rgba_and_as_palette(tmp_path):
    trimap, inner, ring = _trimap(102)
    rgba = np.full(trimap.shape + (4,), 255, np.uint8)
    rgba[..., :3] = trimap[..., None]
    assert np.array_equal(read_trimap(save(rgba, tmp_path / "t.png")), inner | ring)
    image = Image.fromarray(trimap, mode="P")
    image.putpalette(list(range(256)) * 3)
    image.save(tmp_path / "p.png")
    assert np.array_equal(
        read_trimap(tmp_path / "p.png", unknown_as="background"), inner
    )


def test_trimap_with_two_intermediate_values_is_an_error_naming_them(tmp_path):
    trimap, _, _ = _trimap(102)
    trimap[0, 0] = 128
    with pytest.raises(MaskReadError, match=r"t.png.*2 values.*102, 128"):
        read_trimap(save(trimap, tmp_path / "t.png"))


def test_trimap_without_unknown_and_empty(tmp_path):
    mask = gallery.square()
    fg, unknown, bg = trimap_regions(save(u8(mask), tmp_path / "t.png"))
    assert np.array_equal(fg, mask) and not unknown.any() and np.array_equal(bg, ~mask)
    empty = read_trimap(save(u8(gallery.empty()), tmp_path / "e.png"))
    assert not empty.any()


def test_trimap_bad_unknown_as(tmp_path):
    path = save(_trimap(128)[0], tmp_path / "t.png")
    with pytest.raises(InputError, match="unknown_as.*'foreground', 'background'"):
        read_trimap(path, unknown_as="unknown")


def test_trimap_16_bit_is_an_error(tmp_path):
    path = save(np.zeros((3, 3), np.uint16), tmp_path / "t.png")
    with pytest.raises(MaskReadError, match="uint16"):
        read_trimap(path)


# --- pairing ---------------------------------------------------------------------


def _touch(root: Path, *names):
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


def test_pairing_by_stem_with_unpaired_and_sorted(tmp_path):
    _touch(tmp_path / "ref", "b.png", "a.png", "only_ref.png")
    _touch(tmp_path / "cand", "a.jpg", "b.PNG", "only_cand.npy")
    pairing = pair_files(tmp_path / "ref", tmp_path / "cand")
    assert pairing.pairs == [
        ("a", tmp_path / "ref/a.png", tmp_path / "cand/a.jpg"),
        ("b", tmp_path / "ref/b.png", tmp_path / "cand/b.PNG"),
    ]
    assert pairing.names == ["a", "b"]
    assert pairing.unpaired_reference == [tmp_path / "ref/only_ref.png"]
    assert pairing.unpaired_candidate == [tmp_path / "cand/only_cand.npy"]
    assert pairing.duplicates == [] and pairing.ignored == []


def test_pairing_duplicates_are_reported_not_picked(tmp_path):
    _touch(tmp_path / "ref", "a.png", "a.jpg", "b.png")
    _touch(tmp_path / "cand", "a.png", "b.png")
    pairing = pair_files(tmp_path / "ref", tmp_path / "cand")
    assert pairing.names == ["b"]
    assert pairing.duplicates == [
        ("reference", "a", (tmp_path / "ref/a.jpg", tmp_path / "ref/a.png"))
    ]


def test_pairing_recurses_with_relative_names(tmp_path):
    _touch(tmp_path / "ref", "x/a.png", "y/a.png", "x/deep/c.png")
    _touch(tmp_path / "cand", "x/a.png", "y/a.png", "x/deep/c.png", "a.png")
    pairing = pair_files(tmp_path / "ref", tmp_path / "cand")
    assert pairing.names == ["x/a", "x/deep/c", "y/a"]
    assert pairing.unpaired_candidate == [tmp_path / "cand/a.png"]


def test_pairing_skips_hidden_and_lists_other_suffixes(tmp_path):
    _touch(tmp_path / "ref", "a.png", ".hidden.png", ".git/b.png", "notes.txt")
    _touch(tmp_path / "cand", "a.png", ".DS_Store", "b.png")
    pairing = pair_files(tmp_path / "ref", tmp_path / "cand")
    assert pairing.names == ["a"]
    assert pairing.ignored == [tmp_path / "ref/notes.txt"]
    assert pairing.unpaired_reference == []
    assert pairing.unpaired_candidate == [tmp_path / "cand/b.png"]


def test_pairing_custom_suffixes(tmp_path):
    _touch(tmp_path / "ref", "a.png", "a.npy")
    _touch(tmp_path / "cand", "a.npy")
    pairing = pair_files(tmp_path / "ref", tmp_path / "cand", suffixes=["npy"])
    assert pairing.pairs == [("a", tmp_path / "ref/a.npy", tmp_path / "cand/a.npy")]
    assert pairing.ignored == [tmp_path / "ref/a.png"]


def test_pairing_errors(tmp_path):
    _touch(tmp_path / "ref", "a.png")
    (tmp_path / "empty").mkdir()
    _touch(tmp_path / "other", "readme.txt")
    with pytest.raises(InputError, match="missing.*candidate_dir.*not found"):
        pair_files(tmp_path / "ref", tmp_path / "missing")
    with pytest.raises(InputError, match="empty.*reference_dir.*found none"):
        pair_files(tmp_path / "empty", tmp_path / "ref")
    with pytest.raises(InputError, match=r"found none \(1 other files\)"):
        pair_files(tmp_path / "ref", tmp_path / "other")
    with pytest.raises(InputError, match="different folders"):
        pair_files(tmp_path / "ref", tmp_path / "ref")
    with pytest.raises(InputError, match="a folder, got a file"):
        pair_files(tmp_path / "ref/a.png", tmp_path / "ref")
    with pytest.raises(InputError, match="suffixes"):
        pair_files(tmp_path / "ref", tmp_path / "other", suffixes=[])


def test_pair_images_by_name_then_by_last_part(tmp_path):
    _touch(tmp_path / "img", "a.jpg", "sub/b.png", "c.jpg", "c.png", "d.jpg")
    match = pair_images(["a", "sub/b", "x/d", "c", "e"], tmp_path / "img")
    assert match.images == {
        "a": tmp_path / "img/a.jpg",
        "sub/b": tmp_path / "img/sub/b.png",
        "x/d": tmp_path / "img/d.jpg",
    }
    assert match.missing == ["e"]
    assert dict(match) == match.images and match["a"] == tmp_path / "img/a.jpg"
    assert match.duplicates == [("c", (tmp_path / "img/c.jpg", tmp_path / "img/c.png"))]


# --- bundled samples ---------------------------------------------------------------


def test_samples_pair_and_match_peer_iou(peer_real):
    # IoU = |R & C| / |R | C| with numpy; expected values are pycocotools.iou from
    # tests/data/peer_values_real.json (same pixels: make_real_pairs.py's rules).
    lemur = SAMPLES / "lemur"
    pairing = pair_files(lemur / "reference", lemur / "candidate")
    assert pairing.names == sorted(LEMUR_NAMES)
    assert not (pairing.unpaired_reference or pairing.unpaired_candidate)
    for name, reference_path, candidate_path in pairing.pairs:
        reference, candidate = read_mask(reference_path), read_mask(candidate_path)
        iou = (reference & candidate).sum() / (reference | candidate).sum()
        assert close(float(iou), peer_real[name]["pycocotools.iou"], 1e-9), name


def test_samples_images_pair_by_name():
    lemur = SAMPLES / "lemur"
    match = pair_images(LEMUR_NAMES, lemur / "images")
    assert sorted(match.images) == sorted(LEMUR_NAMES) and not match.missing
    image = read_image(match.images[LEMUR_NAMES[0]])
    assert image.shape == (440, 680, 3)


def test_samples_candidates_equal_original_trimaps():
    # The candidate is the trimap's foreground plus unknown band, read from the
    # original file beside it (unknown value 102 in one trimap, 128 in the other).
    original = SAMPLES / "lemur" / "original"
    for trimap in ("lemur_trimap", "lemur_trimap_fba"):
        expected = read_trimap(original / f"{trimap}.png")
        candidate = read_mask(
            SAMPLES / "lemur" / "candidate" / f"{trimap}_vs_alpha.png"
        )
        assert np.array_equal(candidate, expected)


def test_samples_p3m_masks_fit_images():
    p3m = SAMPLES / "p3m"
    pairing_names = [p.stem for p in sorted((p3m / "masks").glob("*.png"))]
    match = pair_images(pairing_names, p3m / "images")
    assert len(match.images) == len(pairing_names) >= 3
    for name, image_path in match.images.items():
        assert (
            read_mask(p3m / "masks" / f"{name}.png").shape
            == read_image(image_path).shape[:2]
        )


def test_samples_small_and_credited():
    size = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file())
    assert size < 2_000_000
    assert "CC0" in (SAMPLES / "lemur" / "SOURCE.md").read_text()
    assert "MIT License" in (SAMPLES / "p3m" / "SOURCE.md").read_text()


def test_real_pairs_read_like_shared_script(real_pairs, peer_real):
    # The research-only pairs are read from ../shared through a temporary folder.
    fine = {p.name[: -len("_fine.png")]: p for p in real_pairs.glob("*_fine.png")}
    for name, path in sorted(fine.items()):
        reference = read_mask(path)
        candidate = read_mask(real_pairs / f"{name}_coarse.png")
        iou = (reference & candidate).sum() / (reference | candidate).sum()
        assert close(float(iou), peer_real[name]["pycocotools.iou"], 1e-9), name


# --- properties --------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(arrays(bool, st.tuples(st.integers(1, 12), st.integers(1, 12))))
def test_png_round_trip_property(tmp_path_factory, mask):
    path = tmp_path_factory.mktemp("rt") / "m.png"
    Image.fromarray(u8(mask)).save(path)
    assert np.array_equal(read_mask(path), mask)


@settings(max_examples=50, deadline=None)
@given(arrays(np.uint16, st.tuples(st.integers(1, 8), st.integers(1, 8))))
def test_label_map_16_bit_round_trip_property(tmp_path_factory, labels):
    path = tmp_path_factory.mktemp("rt") / "l.png"
    Image.fromarray(labels).save(path)
    assert np.array_equal(read_label_map(path), labels)


def test_make_samples_reproduces_the_bundled_files(shared_data, tmp_path):
    # The script, run on ../shared/data, writes byte-identical files.
    import subprocess
    import sys

    script = ROOT / "scripts" / "make_samples.py"
    subprocess.run(
        [sys.executable, str(script), str(shared_data), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    bundled = sorted(p.relative_to(SAMPLES) for p in SAMPLES.rglob("*") if p.is_file())
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert made == bundled
    for relative in bundled:
        assert (tmp_path / relative).read_bytes() == (SAMPLES / relative).read_bytes()


def test_large_0_255_file_reads_without_threshold_warning(tmp_path):
    # 2001 x 2000 pixels is above the 4,000,000 pixels where binarise stops
    # listing the values; a 0/255 file is still binary, with no warning.
    mask = np.zeros((2001, 2000), bool)
    mask[100:900, 200:1500] = True
    path = save(u8(mask), tmp_path / "large.png")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.array_equal(read_mask(path), mask)


def _shared_file(shared_data, relative):
    path = shared_data / relative
    if not path.exists():
        pytest.skip(f"{relative} is absent from ../shared/data")
    return path


def test_celebamask_label_map_from_shared(shared_data):
    # 40.0 % hair (label 13) in sample 0: measured in that folder's SOURCE.md.
    path = _shared_file(shared_data, "celebamask-hq-samples/MaskGAN_demo/samples/0.png")
    labels = read_label_map(path)
    assert labels.shape == (512, 512) and labels.dtype == np.uint8
    assert round((labels == 13).mean() * 100, 1) == 40.0
    assert np.array_equal(read_mask(path, label=13), labels == 13)


def test_gca_palette_trimap_from_shared(shared_data):
    # Troll Trimap1: 15.2 % foreground, 32.7 % unknown (SOURCE.md), unknown = 128.
    path = _shared_file(
        shared_data, "gca-matting-alphamatting/demo/trimap_lowres/Trimap1/troll.png"
    )
    foreground, unknown, _ = trimap_regions(path)
    assert round(foreground.mean() * 100, 1) == 15.2
    assert round(unknown.mean() * 100, 1) == 32.7


def test_large_cascadepsp_mask_from_shared(shared_data):
    # 3492 x 2328, 0/255 only, 6.4 % foreground (SOURCE.md): no threshold warning.
    path = _shared_file(
        shared_data, "cascadepsp-refinement/segmentation-refinement/test/aeroplane.png"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert round(read_mask(path).mean() * 100, 1) == 6.4


@settings(max_examples=50, deadline=None)
@given(
    arrays(
        np.uint8,
        st.tuples(st.integers(1, 10), st.integers(1, 10)),
        elements=st.sampled_from([0, 1, 2]),
    ),
    st.integers(1, 254),
)
def test_trimap_regions_partition_property(tmp_path_factory, codes, unknown_value):
    # Codes 0, 1, 2 become background, unknown and foreground; the regions read
    # back are exactly those, disjoint and covering every pixel.
    trimap = np.choose(codes, [0, unknown_value, 255]).astype(np.uint8)
    path = tmp_path_factory.mktemp("tri") / "t.png"
    Image.fromarray(trimap).save(path)
    foreground, unknown, background = trimap_regions(path)
    assert np.array_equal(foreground, codes == 2)
    assert np.array_equal(unknown, codes == 1)
    assert np.array_equal(background, codes == 0)
    assert np.array_equal(read_trimap(path, unknown_as="background"), codes == 2)


def test_list_files_groups_paths_by_name_and_keeps_duplicates(tmp_path):
    # a.png and a.jpg share the name "a": both paths are kept, for the caller to
    # report; notes.txt has another suffix and is set aside.
    from maskqa.io import list_files

    for name in ("a.png", "a.jpg", "b.png", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    found, ignored = list_files(tmp_path)
    assert sorted(found) == ["a", "b"]
    assert sorted(p.name for p in found["a"]) == ["a.jpg", "a.png"]
    assert [p.name for p in ignored] == ["notes.txt"]
