"""The public surface: every exported name resolves; importing maskqa stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

import maskqa


@pytest.mark.parametrize("name", maskqa.__all__)
def test_every_exported_name_resolves(name):
    assert getattr(maskqa, name) is not None


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        maskqa.nope  # noqa: B018


def test_import_maskqa_and_compare_do_not_import_matplotlib():
    code = (
        "import sys, numpy as np, maskqa; "
        "m = np.zeros((8, 8), bool); m[2:5, 2:5] = True; maskqa.compare(m, m); "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
