"""A faster copy of the packaged GGUF: the same Gemma 3 270M weights requantized to Q4_0, once per machine.

Why: the packaged file is Q4_K_M, a mix of q5_0, q4_K, q6_K and q8_0 tensors. llama.cpp's CPU backend repacks
Q4_0 weights into interleaved blocks for its AVX2/AVX-512 and NEON matrix kernels, and evaluates a prompt of
this model about 1.6 times faster in Q4_0 than in the packaged mix (measured: 80 tokens after the 724-token
prefix in 130-159 ms of CPU instead of 220-246 ms, `bench/moods.py` gives the end-to-end figure). The accuracy
cost of requantizing is measured, like every other choice, on the labelled set (README, moods).

The copy is derived by llama.cpp's own quantizer (`llama_model_quantize`, requantization allowed) from the
checked packaged file, written beside it under a temporary name and renamed into place, so a crash never
leaves half a file under the final name and two processes deriving at once both end with a whole file.
Nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
from pathlib import Path
from typing import Any

SUFFIX = ".q4_0.gguf"


def derived_path(source: Path) -> Path:
    """Where the Q4_0 copy of `source` lives: beside it, `<name>.q4_0.gguf`."""
    return source.with_name(source.name.removesuffix(".gguf") + SUFFIX)


def requantized(llama_cpp: Any, source: Path, n_threads: int = 1) -> Path:
    """The Q4_0 copy of `source`, derived now if it is missing or older than `source` (a source assembled again
    gets a new copy). Raises OSError if the quantizer fails."""
    target = derived_path(source)
    if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_0
    params.allow_requantize = True
    params.nthread = max(1, n_threads)
    try:
        status = llama_cpp.llama_model_quantize(
            str(source).encode("utf-8"), str(partial).encode("utf-8"), ctypes.byref(params)
        )
        if status != 0:
            raise OSError(f"llama.cpp could not requantize {source} to Q4_0 (status {status})")
        os.replace(partial, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return target
