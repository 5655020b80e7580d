"""A scikit-learn model of roles from profile text, trained from ``training_bios.csv``.

The training set is fictitious (several hundred realistic FR and EN bios written for kolmap,
each with its role; no real person's text). The model is a multinomial logistic regression
over word n-grams and character n-grams of the folded bio, words of the name and handle,
the rule scores of :mod:`kolmap.ingest.roles.rules` and the profile counts, with probabilities
calibrated by cross-validated temperature scaling (one temperature for the softmax of all
roles, so the ranking of roles is unchanged and a confidence of 0.8 is right about 80% of the
time on bios like the training ones; per-role Platt scaling left it 15 points under-confident).
It is trained deterministically on first use on a machine (about 20 seconds on two cores) and
kept in the user's cache folder; never fetched.

>>> model = role_model()
>>> frame = profile_frame([{"bio": "Consultant cardiologist, views my own", "display_name":
...     "Dr A. Vel", "handle": "avel", "followers": 900, "following": 400}])
>>> model.classes[int(model.predict_proba(frame).argmax())]
'hcp'
"""

from __future__ import annotations

import csv
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    # Imported where used: scikit-learn and SciPy take about a second to import, which every
    # ``kolmap`` command paid (``kolmap --help`` took 2.8 s) though few classify profiles.
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer

from kolmap.ingest import areas
from kolmap.ingest.areas import Taxonomy, load_taxonomy
from kolmap.ingest.roles.rules import (
    CUES,
    RULES_SOURCE,
    TIE_ORDER,
    RuleHits,
    name_text,
    rule_hits,
)
from kolmap.ingest.text import fold

# A rule score from which the rules decide alone (a clear self-description).
RULE_DECIDES = 4.0
_PERSONS = ("hcp", "researcher", "patient", "media")

__all__ = [
    "MODEL_REVISION",
    "TRAINING",
    "RoleModel",
    "profile_frame",
    "profile_hits",
    "role_model",
    "training_rows",
]

TRAINING = Path(__file__).with_name("training_bios.csv")
# Bump when the features or the classifier change (the cached model is then retrained).
MODEL_REVISION = "2"
_TOKEN = r"(?u)(?<![\w#@])[#@]?\w[\w/'.+-]*\w|(?<![\w#@])\w"


def rule_decision(hits: RuleHits) -> tuple[str, float, float] | None:
    """``(role, score, margin over the runner-up)`` when a rule speaks clearly (a score of
    :data:`RULE_DECIDES` or more; ties by :data:`~kolmap.ingest.roles.rules.TIE_ORDER`),
    else None.

    >>> from kolmap.ingest.roles.rules import rule_hits
    >>> rule_decision(rule_hits("Cardiologist and PhD student", None))
    ('hcp', 5.0, 1.0)
    """
    ranked = sorted(hits.scores.items(), key=lambda kv: (-kv[1], TIE_ORDER.index(kv[0])))
    if not ranked or ranked[0][1] < RULE_DECIDES:
        return None
    role, top = ranked[0]
    # A person's self-description beside the institution they work at is no conflict: the
    # margin counts rivals of the same kind (persons, or institutions).
    kind = role in _PERSONS
    rivals = [score for other, score in ranked[1:] if (other in _PERSONS) == kind]
    return role, top, top - (rivals[0] if rivals else 0.0)


def training_rows(path: Path = TRAINING) -> list[dict[str, str]]:
    """The labelled training bios (``role, industry, employer, lang, display_name, handle,
    bio, followers, following``)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def profile_frame(rows: Iterable[Mapping[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """Profiles (``bio, display_name, handle, followers, following``, ``verified``
    optional; records or a frame, which is copied) as the frame
    :meth:`RoleModel.predict_proba` reads."""
    if isinstance(rows, pd.DataFrame):
        # As records would give them: plain values, None for a missing one (pd.NA included).
        frame = rows.reset_index(drop=True).astype(object)
        frame = frame.where(frame.notna(), None)
        frame.columns = [str(c) for c in frame.columns]
    else:
        frame = pd.DataFrame(list(rows))
    for column in ("bio", "display_name", "handle"):
        if column not in frame:
            frame[column] = None
        values = frame[column].astype(object)
        frame[column] = values.where(values.notna(), None)
    for column in ("followers", "following", "verified"):
        if column not in frame:
            frame[column] = np.nan
    return frame


def _count(values: pd.Series) -> np.ndarray:
    """``ln(1 + count) / 10``; a missing count reads as a typical one (500), and a flag
    says it is missing, so that exports without counts are not read as empty profiles."""
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64)
    return np.asarray(np.log1p(np.nan_to_num(numbers, nan=500.0).clip(min=0)) / 10.0)


def dense_features(frame: pd.DataFrame, hits: Sequence[RuleHits]) -> np.ndarray:
    """Rule scores per role (a score of 4 reads 1), industry, specialty, informative and
    empty-bio flags, and the profile counts: what the model reads beside the words."""
    rules = np.array(
        [[min(h.scores.get(r, 0) / 4.0, 2.0) for r in TIE_ORDER] for h in hits], dtype=np.float64
    ).reshape(len(hits), len(TIE_ORDER))
    flags = np.array(
        [
            [
                float(bool(h.industry)),
                float(h.specialty is not None),
                float(h.informative),
                float(not (bio or "").strip()),
            ]
            for h, bio in zip(hits, frame["bio"].tolist(), strict=True)
        ],
        dtype=np.float64,
    ).reshape(len(hits), 4)
    followers = pd.to_numeric(frame["followers"], errors="coerce")
    verified = frame["verified"].map(lambda v: 1.0 if v is True or v == 1 else 0.0)
    counts = np.column_stack(
        [
            _count(frame["followers"]),
            _count(frame["following"]),
            followers.isna().to_numpy(dtype=np.float64),
            verified.to_numpy(dtype=np.float64),
        ]
    )
    return np.hstack([rules, flags, counts])


@dataclass
class RoleModel:
    """The fitted vectorisers and calibrated classifier, with the class order."""

    words: TfidfVectorizer
    chars: TfidfVectorizer
    names: TfidfVectorizer
    classifier: CalibratedClassifierCV
    classes: list[str]
    taxonomy: Taxonomy
    # Share of training bios a rule decision gets right, by (score >= 5, margin >= 1.5).
    rule_accuracy: dict[tuple[bool, bool], float] = field(default_factory=dict)

    def rule_confidence(self, score: float, margin: float) -> float:
        """The confidence of a rule decision with this score and margin (see above)."""
        return self.rule_accuracy.get((score >= 5.0, margin >= 1.5), 0.8)

    def features(self, frame: pd.DataFrame, hits: Sequence[RuleHits] | None = None) -> Any:
        """The sparse feature matrix of ``frame`` (rule hits computed unless given)."""
        from scipy import sparse

        if hits is None:
            hits = profile_hits(frame, self.taxonomy)
        bios = [fold(b or "") for b in frame["bio"].tolist()]
        names = [
            name_text(n, h)
            for n, h in zip(frame["display_name"].tolist(), frame["handle"].tolist(), strict=True)
        ]
        return sparse.hstack(
            [
                self.words.transform(bios),
                self.chars.transform(bios),
                self.names.transform(names),
                sparse.csr_matrix(dense_features(frame, hits)),
            ],
            format="csr",
        )

    def predict_proba(
        self, frame: pd.DataFrame, hits: Sequence[RuleHits] | None = None
    ) -> np.ndarray:
        """Calibrated probability of each of :attr:`classes` for each profile."""
        if frame.empty:
            return np.zeros((0, len(self.classes)))
        result: np.ndarray = self.classifier.predict_proba(self.features(frame, hits))
        return result

    def top_words(
        self, bios: Sequence[str | None], roles: Sequence[str], count: int = 3
    ) -> list[list[str]]:
        """For each bio, the words and n-grams that pushed it most towards its role: the
        model's evidence, for the reasons a person reads."""
        if not bios:
            return []
        base = self.classifier.calibrated_classifiers_[0].estimator
        # The base estimator may have been fitted on the labels encoded as 0..k-1 (temperature
        # scaling does so), in the calibrated classifier's (sorted) class order.
        classes = list(self.classifier.classes_)
        vectors = self.words.transform([fold(b or "") for b in bios]).tocsr()
        width = vectors.shape[1]
        vocab = self._vocabulary()
        out = []
        for row, role in enumerate(roles):
            vector = vectors[row]
            weights = vector.multiply(base.coef_[classes.index(role)][:width]).tocsr()
            order = np.argsort(-weights.data)[:count]
            out.append([str(vocab[weights.indices[i]]) for i in order if weights.data[i] > 0])
        return out

    def _vocabulary(self) -> np.ndarray:
        """The word features' names, listed once (sklearn builds the list on every call)."""
        names: np.ndarray | None = getattr(self, "_names", None)
        if names is None:
            names = self.words.get_feature_names_out()
            self._names = names
        return names


def profile_hits(frame: pd.DataFrame, taxonomy: Taxonomy) -> list[RuleHits]:
    """The rule hits of every profile of ``frame`` (see :func:`profile_frame`)."""
    return [
        rule_hits(b, n, h, taxonomy)
        for b, n, h in zip(
            frame["bio"].tolist(),
            frame["display_name"].tolist(),
            frame["handle"].tolist(),
            strict=True,
        )
    ]


def fit(rows: Sequence[Mapping[str, str]], taxonomy: Taxonomy) -> RoleModel:
    """Fit the model on labelled ``rows`` (see :func:`training_rows`); deterministic."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    frame = profile_frame(rows)
    # A quarter of the training profiles lose their counts, as many exports do: the model
    # learns to read a profile without them (seeded, so the fit stays deterministic).
    hide = np.random.default_rng(0).random(len(frame)) < 0.25
    for column in ("followers", "following"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").mask(hide)
    labels = [r["role"] for r in rows]
    model = RoleModel(
        words=TfidfVectorizer(
            token_pattern=_TOKEN, ngram_range=(1, 2), sublinear_tf=True, min_df=1, lowercase=False
        ),
        chars=TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, lowercase=False
        ),
        names=TfidfVectorizer(token_pattern=_TOKEN, sublinear_tf=True, lowercase=False),
        # C chosen on the dev half of the real bios (macro-F1 0.754, 0.758, 0.753, 0.754,
        # 0.749 at C = 1, 2, 4, 8, 16, on 2026-12-02).
        classifier=CalibratedClassifierCV(
            LogisticRegression(C=2.0, tol=1e-3, max_iter=5000, class_weight="balanced"),
            method="temperature",
            cv=5,
            ensemble=False,
        ),
        classes=[],
        taxonomy=taxonomy,
    )
    bios = [fold(b or "") for b in frame["bio"].tolist()]
    names = [
        name_text(n, h)
        for n, h in zip(frame["display_name"].tolist(), frame["handle"].tolist(), strict=True)
    ]
    model.words.fit(bios)
    model.chars.fit(bios)
    model.names.fit(names)
    hits = profile_hits(frame, taxonomy)
    model.classifier.fit(model.features(frame, hits), labels)
    model.classes = [str(c) for c in model.classifier.classes_]
    tally: dict[tuple[bool, bool], list[int]] = {}
    for found, label in zip(hits, labels, strict=True):
        decided = rule_decision(found)
        if decided is not None:
            role, score, margin = decided
            counts = tally.setdefault((score >= 5.0, margin >= 1.5), [0, 0])
            counts[0] += role == label
            counts[1] += 1
    # Laplace-smoothed: a band the training set barely covers stays near one half.
    model.rule_accuracy = {k: round((r + 1) / (n + 2), 4) for k, (r, n) in tally.items()}
    return model


@cache
def role_model() -> RoleModel:
    """The model trained on the shipped training set: once per machine and version, then
    read back from ``$KOLMAP_CACHE`` (default ``~/.cache/kolmap``) by later processes."""
    path = model_file()
    try:
        with path.open("rb") as fh:
            model = pickle.load(fh)  # written below by this same code, never downloaded
        if isinstance(model, RoleModel):
            return model
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    model = fit(training_rows(), load_taxonomy())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "wb", dir=path.parent, delete=False, suffix=".part"
        ) as out:
            pickle.dump(model, out)
        os.replace(out.name, path)
    except OSError:
        pass  # a read-only home: train again next time
    return model


def model_file() -> Path:
    """Where :func:`role_model` keeps the fitted model: named by everything it is fitted
    from, so that a change to any of them trains a new one."""
    import sklearn

    # The model keeps the taxonomy it was fitted with (its specialties are rule cues): a
    # changed taxonomy, or a changed Taxonomy class, is a new model, not an old pickle whose
    # taxonomy lacks what the code now reads.
    digest = hashlib.sha256(
        TRAINING.read_bytes()
        + CUES.read_bytes()
        + RULES_SOURCE.read_bytes()
        + Path(__file__).read_bytes()
        + Path(areas.__file__).read_bytes()
        + load_taxonomy().digest.encode()
        + MODEL_REVISION.encode()
    )
    name = f"roles-{digest.hexdigest()[:16]}-sklearn{sklearn.__version__}.pickle"
    folder = Path(os.environ.get("KOLMAP_CACHE") or Path.home() / ".cache" / "kolmap")
    return folder / name
