"""Pairing reference and candidate files of two folders by name."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

__all__ = [
    "DEFAULT_SUFFIXES",
    "IMAGE_SUFFIXES",
    "ImageMatch",
    "Pairing",
    "list_files",
    "pair_files",
    "pair_images",
]

# Suffixes read by maskqa.io.read_mask, compared case-insensitively.
DEFAULT_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".npy")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp")


@dataclass(frozen=True)
class Pairing:
    """Which files of two folders form (reference, candidate) pairs.

    Attributes
    ----------
    pairs : list of (str, Path, Path)
        ``(name, reference_path, candidate_path)``, sorted by name. The name is
        the path relative to its folder without suffix, with ``/`` separators.
    unpaired_reference, unpaired_candidate : list of Path
        Files whose name has no counterpart in the other folder, sorted.
    duplicates : list of (str, str, tuple of Path)
        ``(side, name, paths)`` for names held by more than one file in one
        folder (e.g. ``a.png`` and ``a.jpg``); side is ``"reference"`` or
        ``"candidate"``. Such a name is not paired: picking one file would be a
        silent guess.
    blocked_partners : dict
        ``{(side, name): (path,)}``: the single file on ``side`` whose name is
        held by several files in the other folder, so it is not paired either.
    ignored : list of Path
        Files with a suffix not in ``suffixes`` (hidden files are skipped, not
        listed).
    """

    pairs: list = field(default_factory=list)
    unpaired_reference: list = field(default_factory=list)
    unpaired_candidate: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    ignored: list = field(default_factory=list)
    blocked_partners: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """The names of the pairs, in order."""
        return [name for name, _, _ in self.pairs]


@dataclass(frozen=True)
class ImageMatch(Mapping):
    """Images found for a list of pair names.

    It is also a read-only mapping from each matched name to its image path,
    so ``dict(match)`` and ``match[name]`` work.

    Attributes
    ----------
    images : dict of str to Path
        The image of each name that has exactly one.
    missing : list of str
        Names with no image.
    duplicates : list of (str, tuple of Path)
        Names with more than one candidate image; not matched.
    """

    images: dict = field(default_factory=dict)
    missing: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)

    def __getitem__(self, name: str) -> Path:
        return self.images[name]

    def __iter__(self):
        return iter(self.images)

    def __len__(self) -> int:
        return len(self.images)


def pair_files(reference_dir, candidate_dir, *, suffixes=DEFAULT_SUFFIXES) -> Pairing:
    """Pair the files of two folders by name.

    Parameters
    ----------
    reference_dir, candidate_dir : str or pathlib.Path
        Folders of reference (fine) and candidate (coarse) masks. Sub-folders
        are searched; a file's name is its relative path without suffix.
    suffixes : sequence of str
        Suffixes of the files to pair (case-insensitive, with the dot).

    Returns
    -------
    Pairing
        The pairs sorted by name, the unpaired files of each side, the
        duplicate names and the ignored files.

    Raises
    ------
    InputError
        If a folder is missing, not a folder, holds no file with one of
        ``suffixes``, or both arguments name the same folder; if ``suffixes``
        is empty.

    Notes
    -----
    Hidden files and folders (name starting with ``.``) are skipped. Names
    are compared exactly (case-sensitive), so ``a.png`` pairs with ``a.jpg``
    but not with ``A.png``. Symbolic links to folders are not followed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for p in ["fine/a.png", "fine/b.png", "coarse/a.jpg", "coarse/c.png"]:
    ...     (root / p).parent.mkdir(exist_ok=True)
    ...     (root / p).touch()
    >>> pairing = pair_files(root / "fine", root / "coarse")
    >>> pairing.names
    ['a']
    >>> [p.name for p in pairing.unpaired_reference + pairing.unpaired_candidate]
    ['b.png', 'c.png']
    >>> (root / "none").mkdir()
    >>> pair_files(root / "none", root / "coarse")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    maskqa.errors.InputError: ...: Expected `reference_dir` to hold files with ...
    """
    suffixes = _check_suffixes(suffixes)
    reference_dir = _check_folder(reference_dir, "reference_dir")
    candidate_dir = _check_folder(candidate_dir, "candidate_dir")
    if reference_dir.resolve() == candidate_dir.resolve():
        raise InputError(
            "Expected `reference_dir` and `candidate_dir` to be different folders, "
            f"got {reference_dir} twice."
        )

    reference, ref_ignored = _scan(reference_dir, suffixes, "reference_dir")
    candidate, cand_ignored = _scan(candidate_dir, suffixes, "candidate_dir")

    duplicates = [
        (side, name, tuple(paths))
        for side, found in (("reference", reference), ("candidate", candidate))
        for name, paths in sorted(found.items())
        if len(paths) > 1
    ]
    blocked = {name for _, name, _ in duplicates}
    common = sorted((reference.keys() & candidate.keys()) - blocked)
    pairs = [(name, reference[name][0], candidate[name][0]) for name in common]

    return Pairing(
        pairs=pairs,
        unpaired_reference=_single(reference, candidate.keys()),
        unpaired_candidate=_single(candidate, reference.keys()),
        duplicates=duplicates,
        ignored=sorted(ref_ignored + cand_ignored),
        blocked_partners={
            (side, name): tuple(found[name])
            for side, found in (("reference", reference), ("candidate", candidate))
            for name in blocked
            if len(found.get(name, ())) == 1
        },
    )


def pair_images(names, image_dir, *, suffixes=IMAGE_SUFFIXES) -> ImageMatch:
    """Find the image of each pair name in a folder, by name.

    Parameters
    ----------
    names : iterable of str
        Pair names, as in :attr:`Pairing.pairs` (relative path without suffix).
    image_dir : str or pathlib.Path
        Folder of images; searched like :func:`pair_files` searches.
    suffixes : sequence of str
        Image suffixes (case-insensitive, with the dot).

    Returns
    -------
    ImageMatch
        The image path of each matched name, the names without an image and
        the names with more than one.

    Raises
    ------
    InputError
        If ``image_dir`` is missing, not a folder or holds no image.

    Notes
    -----
    A name is matched on its full relative name first (``sub/a`` to
    ``sub/a.jpg``); a name without a match there is matched on its last part
    (``sub/a`` to ``a.jpg``) when exactly one image has that stem.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "a.jpg").touch()
    >>> match = pair_images(["a", "b"], root)
    >>> [p.name for p in match.images.values()], match.missing
    (['a.jpg'], ['b'])
    >>> pair_images([], root).images
    {}
    """
    suffixes = _check_suffixes(suffixes)
    image_dir = _check_folder(image_dir, "image_dir")
    found, _ = _scan(image_dir, suffixes, "image_dir")
    by_stem: dict[str, list[Path]] = {}
    for key, paths in found.items():
        by_stem.setdefault(key.rsplit("/", 1)[-1], []).extend(paths)

    images, missing, duplicates = {}, [], []
    for name in names:
        paths = found.get(name) or by_stem.get(name.rsplit("/", 1)[-1], [])
        if not paths:
            missing.append(name)
        elif len(paths) > 1:
            duplicates.append((name, tuple(paths)))
        else:
            images[name] = paths[0]
    return ImageMatch(images=images, missing=missing, duplicates=duplicates)


def _check_suffixes(suffixes) -> tuple[str, ...]:
    if isinstance(suffixes, str):
        suffixes = (suffixes,)
    cleaned = tuple(
        s.lower() if s.startswith(".") else f".{s.lower()}" for s in suffixes
    )
    if not cleaned:
        raise InputError("Expected `suffixes` to hold at least one suffix, got none.")
    return cleaned


def _check_folder(folder, name: str) -> Path:
    folder = Path(folder)
    if not folder.exists():
        raise InputError(
            f"Expected `{name}` to be an existing folder: not found.", folder
        )
    if not folder.is_dir():
        raise InputError(f"Expected `{name}` to be a folder, got a file.", folder)
    return folder


def list_files(folder, *, suffixes=DEFAULT_SUFFIXES, param: str = "folder"):
    """The files of ``folder`` by name, with the rules of :func:`pair_files`.

    Parameters
    ----------
    folder : path
        Searched recursively; hidden files and folders are skipped.
    suffixes : sequence of str, optional
        Suffixes read, compared case-insensitively.
    param : str, optional
        The name the error messages give the folder.

    Returns
    -------
    (dict of str to list of Path, list of Path)
        Paths by name (the relative path without its suffix; a name with more
        than one path is a duplicate), and the files of other suffixes.

    Raises
    ------
    InputError
        If the folder holds no file with one of ``suffixes``.
    """
    return _scan(Path(folder), tuple(s.lower() for s in suffixes), param)


def _scan(folder: Path, suffixes, param: str):
    """Files under ``folder`` by name (relative path without suffix)."""
    found: dict[str, list[Path]] = {}
    ignored: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        # Pruning in place keeps os.walk out of hidden folders (.git, .cache).
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            if filename.startswith("."):
                continue
            path = Path(dirpath) / filename
            if path.suffix.lower() not in suffixes:
                ignored.append(path)
                continue
            name = path.relative_to(folder).with_suffix("").as_posix()
            found.setdefault(name, []).append(path)

    if not found:
        wanted = ", ".join(suffixes)
        raise InputError(
            f"Expected `{param}` to hold files with one of the suffixes {wanted}, "
            f"found none ({len(ignored)} other files).",
            folder,
        )
    return found, ignored


def _single(found: dict, other_names) -> list[Path]:
    return sorted(
        paths[0]
        for name, paths in found.items()
        if len(paths) == 1 and name not in other_names
    )
