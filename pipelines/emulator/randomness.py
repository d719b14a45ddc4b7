"""Deterministic randomness helpers.

Everything the emulator invents (edits, deletions, faults, synthetic titles, credit ids) derives from the
seed through these functions, never from Python's ``hash()`` (salted per process) or the global RNG, so
that two runs with the same seed give byte-identical answers.
"""

from __future__ import annotations

import hashlib
import random

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MUL1 = np.uint64(0xBF58476D1CE4E5B9)
_MUL2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))


def stable_int(*parts: object) -> int:
    """A 64-bit integer hash of the parts' reprs, stable across processes and platforms."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def rng_for(*parts: object) -> random.Random:
    """A private ``random.Random`` for one (seed, purpose, key...) tuple."""
    return random.Random(stable_int(*parts))


def hex_id(*parts: object) -> str:
    """A 24-hex-digit id shaped like TMDB's ``credit_id`` (a MongoDB ObjectId)."""
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:24]


def credit_id(movie_id: int, position: int) -> str:
    """A deterministic 24-hex ``credit_id`` shaped like TMDB's (MongoDB ObjectIds).

    Like real ones, the ids of one movie share a 16-digit prefix and differ in a counter; besides
    realism this keeps the shipped catalog small (random hex for 100k credits costs ~2 MB gzipped).
    """
    seed = hex_id("credits", movie_id)
    return f"{seed[:16]}{(int(seed[16:], 16) + 4 * position) % (1 << 32):08x}"


def _splitmix64(x: np.ndarray) -> np.ndarray:
    # uint64 array arithmetic wraps silently in numpy, which is exactly what splitmix64 needs.
    x = x + _GOLDEN
    x = (x ^ (x >> _S30)) * _MUL1
    x = (x ^ (x >> _S27)) * _MUL2
    return x ^ (x >> _S31)


def uniform_hash(seed: int, salt: int, keys: np.ndarray | int, days: np.ndarray | int = 0) -> np.ndarray:
    """Uniform floats in [0, 1) that depend only on (seed, salt, key, day), vectorised over keys/days.

    This is what makes the simulation order-independent: "is movie m edited on day d" is a pure function,
    so the answer is the same whether day d is reached directly, by stepping, or after going backwards.
    """
    k = np.atleast_1d(np.asarray(keys, dtype=np.int64)).astype(np.uint64)
    d = np.atleast_1d(np.asarray(days, dtype=np.int64)).astype(np.uint64)
    base = _splitmix64(np.atleast_1d(np.uint64(stable_int(seed, salt))))
    h = _splitmix64(_splitmix64(k ^ base) ^ _splitmix64(d + base))
    return (h >> _S11).astype(np.float64) * (1.0 / (1 << 53))
