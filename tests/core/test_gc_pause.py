"""The garbage collector pause around a bulk load."""

from __future__ import annotations

import gc

import pytest

from annotator.gc_pause import gc_paused


def test_collections_are_off_inside_and_back_after_even_on_error() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("load failed")
    assert gc.isenabled()


def test_a_pause_inside_a_pause_leaves_collections_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
