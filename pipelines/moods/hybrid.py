"""The hybrid mood classifier: the LLM's label scores, the TMDB genres and mood cues found in keywords and text,
combined by a small multinomial logistic regression fitted on the dev split of the labelled set.

Features of one movie (`features`):

- `genre:<name>`: 1 for each of its TMDB genres; `first:<name>`: 1 for its first genre (TMDB lists the main
  one first);
- `kw:<mood>` / `text:<mood>`: log(1 + number of the mood's cue words, CUES) found in the keywords, and in
  title + tagline + overview. The cue lists are written by hand from the moods' definitions, not learnt, so
  they carry over to movies the fit never saw;
- `llm:<mood>`: the LLM's calibrated log-probability of each label, centred per movie (absent = zeros, which
  is what `predict` uses when a model has no LLM features).

The fitted weights live in `hybrid.json` beside this module (written by `python -m bench.fit_moods`), with the
feature names and the standardisation they expect; a different taxonomy than the one fitted falls back to the
LLM alone (the caller decides).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from pipelines.moods.providers.base import MovieText

MODEL_PATH = Path(__file__).with_name("hybrid.json")

GENRES: tuple[str, ...] = (
    "Action",
    "Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "History",
    "Horror",
    "Music",
    "Mystery",
    "Romance",
    "Science Fiction",
    "Thriller",
    "War",
    "Western",
    "TV Movie",
    "Foreign",
)

# Words and phrases that signal each mood in TMDB keywords and in a movie's text. A cue matches at the start of
# a word, so `murder` also finds `murderer` and `murders`. General vocabulary, from the moods' definitions.
_CUE_TEXT: Mapping[str, str] = {
    "happy": (
        "cheerful, celebrat, party, musical, dance, dancing, sing, song, joy, fun, holiday, vacation,, "
        "feel-good, fairy tale, princess, wish, magic, colorful, christmas, carnival"
    ),
    "funny": (
        "comedy, comedic, comic, hilarious, spoof, parody, slapstick, prank, goofy, silly, mistaken identity,, "
        "wacky, misadventure, hijinks, bachelor party, road trip, stoner, farce, satire, bumbling, clumsy,, "
        "awkward, outrageous, raunchy, buddy, dumb, loser, lazy, mayhem, chaos, embarrass, nerd, duo"
    ),
    "romantic": (
        "love, romance, romantic, lovers, relationship, wedding, marriage, boyfriend, girlfriend, dating,, "
        "kiss, couple, passion, soulmate, courtship, fiancé, fiance, affair, sweetheart, woman director"
    ),
    "heartwarming": (
        "family, friendship, dog, pet, father son, mother daughter, father daughter, mother son, loyalty,, "
        "kindness, bond, reunite, orphan, grandfather, grandmother, toy, adopt, companion, unlikely, "
        "friendship, best friend, home, care, together"
    ),
    "inspiring": (
        "true story, based on true, biography, biopic, sport, coach, team, underdog, champion, dream,, "
        "overcome, determination, persever, courage, against all odds, teacher, boxing, boxer, football,, "
        "baseball, basketball, triumph, civil rights, inspir, hope, achieve, freedom, leader, race, olympic"
    ),
    "intense": (
        "action, chase, fight, battle, explosion, shootout, heist, rescue, assassin, mercenary, terroris,, "
        "bomb, hostage, escape, race against time, war, soldier, spy, agent, mission, superhero, martial, "
        "arts, survival, disaster, revenge, gun, combat, attack, invasion, dinosaur, army, destroy, save the, "
        "world, villain, danger, deadly, threat, marvel comic, dc comics, based on comic"
    ),
    "dark": (
        "crime, murder, gangster, mafia, mob, drug, corrupt, violence, violent, serial killer, prison,, "
        "brutal, cruel, abuse, addict, neo-noir, film noir, psychopath, hitman, betray, sadis, criminal,, "
        "underworld, cartel, rape, torture, nihilis, heroin, cocaine, kill, blood, revenge, insanity,, "
        "madness, dystopia, racism"
    ),
    "scary": (
        "horror, ghost, haunt, demon, possess, exorcis, supernatural, evil, curse, slasher, zombie, vampire,, "
        "werewolf, monster, creature, terror, terrif, nightmare, witch, paranormal, occult, satan, gore,, "
        "fear, spirit, poltergeist, found footage, masked killer, horrif, scream, sinister, creepy, killer"
    ),
    "sad": (
        "death, dying, dies, grief, grieving, loss, tragedy, tragic, terminal illness, cancer, illness,, "
        "disease, funeral, widow, suicide, holocaust, slavery, slave, sacrifice, heartbreak, lonel, mourn,, "
        "concentration camp, alzheimer, despair, tearjerker"
    ),
    "mysterious": (
        "mystery, mysterious, puzzle, secret, detective, investigat, clue, disappear, missing, unknown,, "
        "twist, amnesia, memory loss, conspiracy, enigma, strange, riddle, unexplained, whodunit, illusion,, "
        "magician, dream, hidden, truth, surreal, nonlinear, identity, unreliable narrator, mind, puzzl"
    ),
    "nostalgic": (
        "nostalgi, childhood, coming of age, youth, teenager, high school, summer, 1920s, 1930s, 1940s,, "
        "1950s, 1960s, 1970s, 1980s, small town, memories, memory, looking back, reunion, growing up, bygone,, "
        "first love, rock and roll, remember, old hollywood, era, golden age, period, hometown, graduation,, "
        "flashback"
    ),
    "thoughtful": (
        "society, philosoph, politic, artificial intelligence, existential, human nature, religio, ethic,, "
        "history, journalis, civil rights, racism, justice, media, technology, humanity, conscious, meaning, "
        "of life, dystopia, social, class, psycholog, mental illness, identity, faith, truth, question,, "
        "moral, lawyer, court, trial, government, power, capitalism, economics, scientist, genius, free will,, "
        "reality, loneliness, isolation"
    ),
}
CUES: Mapping[str, tuple[str, ...]] = {
    mood: tuple(w.strip() for w in text.split(",")) for mood, text in _CUE_TEXT.items()
}


@cache
def _cue_pattern(mood: str) -> re.Pattern[str]:
    words = sorted(CUES[mood], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + ")", re.IGNORECASE)


def cue_counts(text: str, moods: Sequence[str]) -> np.ndarray:
    """How many cue words of each mood the text holds (0 for a mood without cues)."""
    return np.array([len(_cue_pattern(mood).findall(text)) if mood in CUES else 0 for mood in moods], dtype=float)


def feature_names(moods: Sequence[str]) -> list[str]:
    return [
        *(f"genre:{genre}" for genre in GENRES),
        *(f"first:{genre}" for genre in GENRES),
        *(f"kw:{mood}" for mood in moods),
        *(f"text:{mood}" for mood in moods),
        *(f"llm:{mood}" for mood in moods),
    ]


def features(movie: MovieText, moods: Sequence[str], llm_scores: np.ndarray | None = None) -> np.ndarray:
    """The feature vector of one movie, in `feature_names` order."""
    genres = set(movie.genres)
    first = movie.genres[0] if movie.genres else None
    keywords = " ; ".join(movie.keywords)
    text = " ".join([movie.title or "", movie.tagline or "", movie.overview or ""])
    llm = np.zeros(len(moods)) if llm_scores is None else np.asarray(llm_scores, dtype=float) - np.mean(llm_scores)
    return np.concatenate(
        [
            [1.0 if genre in genres else 0.0 for genre in GENRES],
            [1.0 if genre == first else 0.0 for genre in GENRES],
            np.log1p(cue_counts(keywords, moods)),
            np.log1p(cue_counts(text, moods)),
            llm,
        ]
    )


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class HybridModel:
    """Multinomial logistic regression over standardised features: p = softmax(((x - mean) / scale) @ W + b)."""

    name: str
    moods: tuple[str, ...]
    feature_names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # features x moods
    bias: np.ndarray  # moods
    uses_llm: bool
    notes: Mapping[str, Any]

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return softmax(((np.atleast_2d(x) - self.mean) / self.scale) @ self.weights + self.bias)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "moods": list(self.moods),
            "uses_llm": self.uses_llm,
            "notes": dict(self.notes),
            "features": [
                {
                    "name": name,
                    "mean": round(float(self.mean[i]), 6),
                    "scale": round(float(self.scale[i]), 6),
                    "weights": [round(float(w), 6) for w in self.weights[i]],
                }
                for i, name in enumerate(self.feature_names)
            ],
            "bias": [round(float(b), 6) for b in self.bias],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HybridModel:
        rows = data["features"]
        return cls(
            name=data["name"],
            moods=tuple(data["moods"]),
            feature_names=tuple(row["name"] for row in rows),
            mean=np.array([row["mean"] for row in rows]),
            scale=np.array([row["scale"] for row in rows]),
            weights=np.array([row["weights"] for row in rows]).reshape(len(rows), len(data["moods"])),
            bias=np.array(data["bias"]),
            uses_llm=bool(data.get("uses_llm", True)),
            notes=data.get("notes", {}),
        )


def load_model(path: str | Path | None = None) -> HybridModel | None:
    """The shipped model, or None when the file is missing."""
    path = Path(path) if path else MODEL_PATH
    if not path.is_file():
        return None
    return HybridModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def fit(
    x: np.ndarray,
    acceptable: Sequence[Sequence[int]],
    *,
    l2: float = 1.0,
    first_weight: float = 0.5,
    balanced: bool = True,
    iterations: int = 1500,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(mean, scale, W, b) by gradient descent on the cross-entropy against a target that puts `first_weight` on
    each movie's first (best) acceptable mood and the rest on its acceptable moods in proportion to the model's
    own probabilities (maximising the chance that the top mood is acceptable), plus l2 * |W|^2 / 2. `balanced`
    weighs each movie by 1 / (movies sharing its first mood), so that rare moods are not drowned out."""
    n, d = x.shape
    k = 1 + max(max(acc) for acc in acceptable)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    mask = np.zeros((n, k))
    first = np.zeros((n, k))
    for i, acc in enumerate(acceptable):
        mask[i, list(acc)] = 1.0
        first[i, acc[0]] = 1.0
    counts = first.sum(axis=0)
    sample = (1.0 / counts[first.argmax(axis=1)]) if balanced else np.ones(n)
    sample = sample / sample.mean()
    w = np.zeros((d, k))
    b = np.zeros(k)
    vw, vb = np.zeros_like(w), np.zeros_like(b)
    rate, momentum = 0.5, 0.9
    for _ in range(iterations):
        p = softmax(z @ w + b)
        within = p * mask
        within /= within.sum(axis=1, keepdims=True)
        target = first_weight * first + (1 - first_weight) * within
        grad = (p - target) * sample[:, None]
        gw = z.T @ grad / n + l2 * w / n
        gb = grad.mean(axis=0)
        vw = momentum * vw - rate * gw
        vb = momentum * vb - rate * gb
        w += vw
        b += vb
    return mean, scale, w, b
