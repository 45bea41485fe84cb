"""The assignment-proposal classifier (智能交办, issue 7 point 2): text → likely lead units.

Features are TF-IDF weights of the segmented words (renda.search.segment, the same cut as search)
and of character 1–3-grams (robust to words the segmenter splits differently); the classifier is
Complement Naive Bayes (suited to many classes and uneven class sizes, trains in one pass), and
on small archives a balanced logistic regression is averaged in (an ensemble measured to be
better on the real archive, docs/routing.md). Everything is learned from the texts handed to
`fit`: nothing of any archive is in this code.

A fitted `Router` is pickled with joblib. Its size is bounded by `MAX_FEATURES` × units, stored
as float32, so a worker that loads it stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion

from renda.search.segment import normalize, tokens

from .texts import BODY_CHARS, text_of  # noqa: F401  (re-exported: models pickled before)

WORD_FEATURES = 30_000
CHAR_FEATURES = 40_000
MAX_FEATURES = WORD_FEATURES + CHAR_FEATURES
# Logistic regression is averaged in up to this many samples (above it, its training time
# grows past the retrain budget; Naive Bayes alone is used).
ENSEMBLE_MAX_SAMPLES = 30_000


# Words every suggestion uses: never given as the reason for a unit.
GENERIC_WORDS = frozenset(
    "关于 建议 议案 的 和 与 及 进一步 加强 加快 推进 推动 完善 提升 提高 支持 优化 促进 实施 "
    "建立 健全 问题 工作 发展 建设 管理 政策 我省 我市 全省 全市 方面 有关 相关".split()
)


def words(text: str) -> list[str]:
    """Segmented words (module-level so a pickled model can find it)."""
    return tokens(text, for_search=False)


def chars(text: str) -> str:
    return normalize(text)


def features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    analyzer=words, sublinear_tf=True, max_features=WORD_FEATURES, dtype=np.float32
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char",
                    preprocessor=chars,
                    ngram_range=(1, 3),
                    sublinear_tf=True,
                    max_features=CHAR_FEATURES,
                    dtype=np.float32,
                ),
            ),
        ]
    )


def baseline() -> tuple[TfidfVectorizer, LogisticRegression]:
    """The plain character n-gram classifier every evaluation is reported beside: TF-IDF of
    character 1–3-grams and a logistic regression (about 48 % top-1 / 72 % top-3 on the real
    archive's random 70/30 splits, as issue 7 states)."""
    return (
        TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
        LogisticRegression(C=10, max_iter=2000),
    )


@dataclass
class Ranked:
    label: str
    score: float
    reason: list[str]


class Router:
    """Fit on (text, label) pairs; `rank(text)` gives the labels in order with a score (0–1,
    summing to 1 over all labels) and the words that weighed most for each."""

    def __init__(self, *, ensemble: bool | None = None) -> None:
        self.ensemble = ensemble
        self.features = features()
        self.nb = ComplementNB(alpha=0.3)
        self.lr: LogisticRegression | None = None

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> Router:
        x = self.features.fit_transform(texts)
        y = np.asarray(labels)
        self.nb.fit(x, y)
        self.nb.feature_log_prob_ = self.nb.feature_log_prob_.astype(np.float32)
        use_lr = self.ensemble if self.ensemble is not None else len(y) <= ENSEMBLE_MAX_SAMPLES
        if use_lr:
            self.lr = LogisticRegression(C=20, max_iter=3000, class_weight="balanced")
            self.lr.fit(x, y)
            self.lr.coef_ = self.lr.coef_.astype(np.float32)
        self.classes_ = self.nb.classes_
        # Word features' weight per class relative to the other classes: the "reason".
        n_words = len(self.features.transformer_list[0][1].vocabulary_)
        flp = self.nb.feature_log_prob_[:, :n_words]
        self._word_weight = (flp - flp.mean(axis=0, keepdims=True)).astype(np.float32)
        self._word_names = self.features.transformer_list[0][1].get_feature_names_out()
        return self

    def _nb_proba(self, x) -> np.ndarray:  # noqa: ANN001
        # Complement NB's scores are nearly flat after normalisation; a softmax over their
        # spread (z-scores) gives usable relative scores.
        jll = np.asarray(x @ self.nb.feature_log_prob_.T, dtype=np.float64)
        spread = jll.std(axis=1, keepdims=True)
        spread[spread == 0] = 1.0
        z = (jll - jll.mean(axis=1, keepdims=True)) / spread
        e = np.exp(z * 2.0 - (z * 2.0).max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        x = self.features.transform(texts)
        p = self._nb_proba(x)
        if self.lr is not None:
            p = (p + self.lr.predict_proba(x)) / 2
        return p

    def rank(self, text: str, k: int = 5, reasons: int = 3) -> list[Ranked]:
        x = self.features.transform([text])
        p = self._nb_proba(x)
        if self.lr is not None:
            p = (p + self.lr.predict_proba(x)) / 2
        order = np.argsort(-p[0])[:k]
        n_words = self._word_weight.shape[1]
        xw = x[:, :n_words].tocsr()
        out = []
        for i in order:
            cols, vals = xw.indices, xw.data
            contrib = vals * self._word_weight[i, cols]
            top = [
                str(self._word_names[cols[j]])
                for j in np.argsort(-contrib)
                if contrib[j] > 0 and str(self._word_names[cols[j]]) not in GENERIC_WORDS
            ]
            out.append(Ranked(str(self.classes_[i]), float(p[0, i]), top[:reasons]))
        return out


def top_k_accuracy(scores: np.ndarray, classes: np.ndarray, truth: Sequence[str], k: int) -> float:
    """Share of `truth` found among each row's k best `classes`."""
    if not len(truth):
        return 0.0
    best = np.argsort(-scores, axis=1)[:, :k]
    hits = sum(1 for i, label in enumerate(truth) if label in set(classes[best[i]]))
    return hits / len(truth)


def evaluate(
    train: tuple[Sequence[str], Sequence[str]], test: tuple[Sequence[str], Sequence[str]]
) -> dict[str, dict[str, float]]:
    """Top-1/top-3 of the Router and of the plain char n-gram baseline, trained on `train`
    and measured on `test` in the same run."""
    (x_train, y_train), (x_test, y_test) = train, test
    router = Router().fit(x_train, y_train)
    p = router.proba(x_test)
    vec, nb = baseline()
    nb.fit(vec.fit_transform(x_train), y_train)
    pb = nb.predict_proba(vec.transform(x_test))
    return {
        "model": {
            "top1": top_k_accuracy(p, router.classes_, y_test, 1),
            "top3": top_k_accuracy(p, router.classes_, y_test, 3),
        },
        "baseline": {
            "top1": top_k_accuracy(pb, nb.classes_, y_test, 1),
            "top3": top_k_accuracy(pb, nb.classes_, y_test, 3),
        },
    }
