"""The assignment-proposal classifier (智能交办, issue 7 point 2): text → likely lead units.

Features: the segmented words (renda.search.segment, the same cut as search) of the title and
the start of the body, and the character 1–3-grams of the title (robust to words the segmenter
splits differently). They are hashed (`FeatureHasher`, fixed memory whatever the vocabulary),
the `MAX_FEATURES` most frequent hashed columns are kept, and weighted by sublinear TF-IDF.

Classifier: Complement Naive Bayes (many classes, uneven class sizes; one pass: its weights are
per-class feature sums, computed here in float32 — scikit-learn's keeps four float64 copies of a
classes × features matrix). On a small archive with few units (`SMALL_MAX_SAMPLES`,
`SMALL_MAX_UNITS`) a class-balanced linear SVM (liblinear, one-vs-rest) is averaged in (measured
better on the real archive, docs/routing.md); above that it is never trained: its cost grows
with samples × classes. Everything is learned from the texts handed to `fit`: nothing of any archive
is in this code.

A fitted `Router` is pickled with joblib. Its size is `MAX_FEATURES` × units × 4 bytes (float32)
plus the kept column list, so a worker that loads it stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize as l2_rows
from sklearn.svm import LinearSVC

from renda.search.segment import normalize, tokens

from .texts import BODY_CHARS, text_of  # noqa: F401  (re-exported)

# Stored in each fitted Router: a file of another format is not used (retrain it).
FORMAT = 2
HASH_BITS = 20
MAX_FEATURES = 60_000
ALPHA = 0.3
SVM_C = 0.3
# The linear SVM is averaged in only up to this many samples and units.
SMALL_MAX_SAMPLES = 30_000
SMALL_MAX_UNITS = 50
# Texts are hashed this many at a time (bounded temporary memory).
CHUNK = 5_000

# Words every suggestion uses: never given as the reason for a unit.
GENERIC_WORDS = frozenset(
    "关于 建议 议案 的 和 与 及 进一步 加强 加快 推进 推动 完善 提升 提高 支持 优化 促进 实施 "
    "建立 健全 问题 工作 发展 建设 管理 政策 我省 我市 全省 全市 方面 有关 相关".split()
)

WORD = "w\x1f"
CHAR = "c\x1f"


def analyse(text: str) -> list[str]:
    """The features of a `text_of()` text: its words (marked WORD) and the character 1–3-grams of
    its first line, the title (marked CHAR). Normalised once, segmented once."""
    norm = normalize(text)
    out = [WORD + w for w in tokens(norm, for_search=False, normalized=True)]
    title = "".join(norm.split("\n", 1)[0].split())
    for n in (1, 2, 3):
        out.extend(CHAR + title[i : i + n] for i in range(len(title) - n + 1))
    return out


def hasher() -> FeatureHasher:
    return FeatureHasher(
        n_features=2**HASH_BITS, input_type="string", alternate_sign=False, dtype=np.float32
    )


def hashed_parts(texts: Sequence[str]) -> list[sp.csr_matrix]:
    """Raw hashed feature counts of `texts`, `CHUNK` rows a part (stateless: the same text, the
    same row)."""
    h = hasher()
    return [
        h.transform(analyse(t) for t in texts[i : i + CHUNK]).tocsr()
        for i in range(0, len(texts), CHUNK)
    ]


def baseline() -> tuple[object, LogisticRegression]:
    """The plain character n-gram classifier every evaluation is reported beside: TF-IDF of
    character 1–3-grams and a logistic regression (about 48 % top-1 / 72 % top-3 on the real
    archive's random 70/30 splits, as issue 7 states)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return (
        TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
        LogisticRegression(C=10, max_iter=2000),
    )


@dataclass
class Ranked:
    label: str
    score: float
    reason: list[str]


def _z(jll: np.ndarray) -> np.ndarray:
    jll = np.asarray(jll, dtype=np.float64)
    spread = jll.std(axis=1, keepdims=True)
    spread[spread == 0] = 1.0
    return (jll - jll.mean(axis=1, keepdims=True)) / spread


def _softmax_of_spread(jll: np.ndarray, scale: float = 2.0) -> np.ndarray:
    # Complement NB's scores are nearly flat after normalisation; a softmax over their spread
    # (z-scores) gives usable relative scores. `scale` is chosen on the held-out samples when
    # there are some (`calibrated_scale`).
    z = _z(jll) * scale
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


SCALES = (0.05, 0.1, 0.15, 0.2, 0.25, 0.35, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0)


def calibrated_scale(jll: np.ndarray, truth: np.ndarray) -> float:
    """The softmax scale that gives the held-out samples' true labels the best log-likelihood
    (so that a score of 0.6 means right about six times in ten)."""
    z = _z(jll)
    best, best_loss = 2.0, np.inf
    for scale in SCALES:
        s = z * scale
        s -= s.max(axis=1, keepdims=True)
        log_p = s[np.arange(len(truth)), truth] - np.log(np.exp(s).sum(axis=1))
        loss = -float(log_p.mean())
        if loss < best_loss:
            best, best_loss = scale, loss
    return best


def top_k_accuracy(scores: np.ndarray, classes: np.ndarray, truth: Sequence[str], k: int) -> float:
    """Share of `truth` found among each row's k best `classes`."""
    if not len(truth):
        return 0.0
    best = np.argsort(-scores, axis=1)[:, :k]
    hits = sum(1 for i, label in enumerate(truth) if label in set(classes[best[i]]))
    return hits / len(truth)


class Router:
    """Fit on (text, label) pairs; `rank(text)` gives the labels in order with a score (0–1,
    summing to 1 over all labels) and the words that weighed most for each."""

    def __init__(self, *, ensemble: bool | None = None) -> None:
        self.format = FORMAT
        self.ensemble = ensemble
        self.svm: LinearSVC | None = None
        self.scale = 2.0

    # --- features -------------------------------------------------------------------------
    def fit_features(self, parts: list[sp.csr_matrix]) -> Router:
        """Keep the `MAX_FEATURES` hashed columns found in most texts; their IDF. Label-free."""
        df = np.zeros(2**HASH_BITS, dtype=np.int64)
        for h in parts:
            df += np.bincount(h.indices, minlength=2**HASH_BITS)
        present = np.flatnonzero(df)
        if len(present) > MAX_FEATURES:
            present = present[np.argsort(-df[present], kind="stable")[:MAX_FEATURES]]
        self.columns = np.sort(present).astype(np.int32)
        n = sum(h.shape[0] for h in parts)
        self.idf = (np.log((1 + n) / (1 + df[self.columns])) + 1).astype(np.float32)
        return self

    def weigh(self, h: sp.csr_matrix) -> sp.csr_matrix:
        """Hashed counts → the kept columns, sublinear TF × IDF, rows of unit length."""
        pos = np.searchsorted(self.columns, h.indices).astype(np.int32)
        np.minimum(pos, len(self.columns) - 1, out=pos)
        keep = self.columns[pos] == h.indices
        row = np.repeat(np.arange(h.shape[0], dtype=np.int32), np.diff(h.indptr))
        indptr = np.zeros(h.shape[0] + 1, dtype=np.int32)
        np.cumsum(np.bincount(row[keep], minlength=h.shape[0]), out=indptr[1:])
        pos = pos[keep]
        data = np.log(h.data[keep])
        data += 1
        data *= self.idf[pos]
        x = sp.csr_matrix(
            (data.astype(np.float32, copy=False), pos, indptr),
            shape=(h.shape[0], len(self.columns)),
        )
        return l2_rows(x, copy=False)

    def _weighed(self, parts: list[sp.csr_matrix]) -> list[sp.csr_matrix]:
        """`weigh` part by part, each hashed part let go as soon as it is weighed."""
        out = []
        for i in range(len(parts)):
            out.append(self.weigh(parts[i]))
            parts[i] = None  # type: ignore[call-overload]
        return out

    # --- classifier -----------------------------------------------------------------------
    def _counts(self, x: sp.csr_matrix, y: np.ndarray) -> np.ndarray:
        """Per-class feature sums, features × classes, float32."""
        onehot = sp.csr_matrix(
            (np.ones(len(y), dtype=np.float32), (np.arange(len(y)), y)),
            shape=(len(y), len(self.classes_)),
        )
        return np.asarray((x.T @ onehot).toarray(), dtype=np.float32)

    @staticmethod
    def _weights(counts: np.ndarray) -> np.ndarray:
        """Complement NB log-weights from the counts (in place): features × classes."""
        total = counts.sum(axis=1, keepdims=True)
        comp = np.subtract(total + ALPHA, counts, out=counts)
        comp /= comp.sum(axis=0, keepdims=True)
        np.log(comp, out=comp)
        np.negative(comp, out=comp)
        return comp

    def _use_svm(self, n: int) -> bool:
        if self.ensemble is not None:
            return self.ensemble
        return n <= SMALL_MAX_SAMPLES and len(self.classes_) <= SMALL_MAX_UNITS

    def _fit_weights(self, x: sp.csr_matrix | None, y: np.ndarray, counts: np.ndarray) -> None:
        self.w = np.ascontiguousarray(self._weights(counts))
        self.w_mean = self.w.mean(axis=1)
        self.svm = None
        if x is not None and self._use_svm(len(y)) and len(set(y.tolist())) > 1:
            self.svm = LinearSVC(C=SVM_C, class_weight="balanced").fit(x, y)
            self.svm.coef_ = self.svm.coef_.astype(np.float32)

    def _prepare(self, texts: Sequence[str], labels: Sequence[str]) -> list[sp.csr_matrix]:
        parts = hashed_parts(texts)
        self.fit_features(parts)
        self.classes_, y = np.unique(np.asarray(labels), return_inverse=True)
        self._y = y
        return self._weighed(parts)

    def _total_counts(self, xs: list[sp.csr_matrix], y: np.ndarray) -> np.ndarray:
        total = np.zeros((len(self.columns), len(self.classes_)), dtype=np.float32)
        start = 0
        for x in xs:
            total += self._counts(x, y[start : start + x.shape[0]])
            start += x.shape[0]
        return total

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> Router:
        xs = self._prepare(texts, labels)
        y = self._y
        del self._y
        small = self._use_svm(len(y))
        x = sp.vstack(xs, format="csr") if small else None
        self._fit_weights(x, y, self._total_counts(xs, y))
        return self

    def fit_measured(
        self, texts: Sequence[str], labels: Sequence[str], held_out: np.ndarray
    ) -> tuple[float, float]:
        """Fit on all texts, after measuring a fit without the `held_out` rows on those rows:
        (top-1, top-3). Texts are segmented once and the matrix is never copied whole: the
        features' columns and IDF are chosen on all texts (label-free); Naive Bayes' counts
        without the held-out rows are the total minus theirs."""
        xs = self._prepare(texts, labels)
        y = self._y
        del self._y
        held_out = np.sort(np.asarray(held_out))
        x_held = sp.vstack(
            [
                xs[i][held_out[(held_out >= i * CHUNK) & (held_out < (i + 1) * CHUNK)] - i * CHUNK]
                for i in range(len(xs))
            ],
            format="csr",
        )
        y_held = y[held_out]
        total = self._total_counts(xs, y)
        if self._use_svm(len(y)):
            x = sp.vstack(xs, format="csr")
            del xs
            mask = np.ones(len(y), dtype=bool)
            mask[held_out] = False
            self._fit_weights(x[mask], y[mask], self._counts(x[mask], y[mask]))
        else:
            x = None
            del xs
            self._fit_weights(None, y, total - self._counts(x_held, y_held))
        if self.svm is None and len(y_held):
            self.scale = calibrated_scale(x_held @ self.w, y_held)
        p = self._proba(x_held)
        truth = self.classes_[y_held].tolist()
        measured = (
            top_k_accuracy(p, self.classes_, truth, 1),
            top_k_accuracy(p, self.classes_, truth, 3),
        )
        del p, x_held
        self._fit_weights(x, y, total)
        return measured

    def _proba(self, x: sp.csr_matrix) -> np.ndarray:
        p = _softmax_of_spread(x @ self.w, self.scale)
        if self.svm is not None:
            p = (p + self._svm_proba(x, p.shape)) / 2
        return p

    def _svm_proba(self, x: sp.csr_matrix, shape: tuple[int, int]) -> np.ndarray:
        d = self.svm.decision_function(x).reshape(shape[0], -1)
        if d.shape[1] == 1:  # two classes: one margin
            d = np.hstack([-d, d])
        out = np.zeros(shape)
        out[:, self.svm.classes_] = _softmax_of_spread(d)
        return out

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        parts = self._weighed(hashed_parts(texts))
        return np.vstack([self._proba(x) for x in parts])

    def rank(self, text: str, k: int = 5, reasons: int = 3) -> list[Ranked]:
        """The `k` likeliest labels for one text. Done by hand rather than through the sparse
        matrix path (`proba`): one hashing call, then a gather of the text's rows of the
        weights — a few milliseconds whatever the number of units (docs/performance.md)."""
        feats: dict[str, int] = {}
        for f in analyse(text):
            feats[f] = feats.get(f, 0) + 1
        names = list(feats)
        cols = hasher().transform([[n] for n in names]).indices if names else np.zeros(0, int)
        pos = np.minimum(np.searchsorted(self.columns, cols), len(self.columns) - 1)
        found = self.columns[pos] == cols
        tf: dict[int, float] = {}  # kept column → count (two features may share a column)
        for name, c, ok in zip(names, pos.tolist(), found.tolist(), strict=True):
            if ok:
                tf[c] = tf.get(c, 0) + feats[name]
        idx = np.fromiter(tf, dtype=np.int64, count=len(tf))
        val = (1 + np.log(np.fromiter(tf.values(), dtype=np.float32, count=len(tf)))) * (
            self.idf[idx]
        )
        norm = float(np.sqrt((val * val).sum()))
        if norm:
            val /= norm
        p = _softmax_of_spread((val @ self.w[idx])[None, :], self.scale)
        if self.svm is not None:
            x = sp.csr_matrix(
                (val, idx, [0, len(idx)]), shape=(1, len(self.columns)), dtype=np.float32
            )
            p = (p + self._svm_proba(x, p.shape)) / 2
        p = p[0]
        order = np.argsort(-p)[:k]
        weight = dict(zip(idx.tolist(), val.tolist(), strict=True))
        words = [
            (name[len(WORD) :], c, weight[c])
            for name, c, ok in zip(names, pos.tolist(), found.tolist(), strict=True)
            if ok and name.startswith(WORD) and name[len(WORD) :] not in GENERIC_WORDS
        ]
        out = []
        for i in order:
            contrib = sorted(
                ((v * (self.w[c, i] - self.w_mean[c]), word) for word, c, v in words),
                reverse=True,
            )
            top = [word for c, word in contrib if c > 0][:reasons]
            out.append(Ranked(str(self.classes_[i]), float(p[i]), top))
        return out


def evaluate(
    train: tuple[Sequence[str], Sequence[str]], test: tuple[Sequence[str], Sequence[str]]
) -> dict[str, dict[str, float]]:
    """Top-1/top-3 of the Router and of the plain char n-gram baseline, trained on `train`
    and measured on `test` in the same run."""
    (x_train, y_train), (x_test, y_test) = train, test
    router = Router().fit(x_train, y_train)
    p = router.proba(x_test)
    vec, lr = baseline()
    lr.fit(vec.fit_transform(x_train), y_train)
    pb = lr.predict_proba(vec.transform(x_test))
    return {
        "model": {
            "top1": top_k_accuracy(p, router.classes_, y_test, 1),
            "top3": top_k_accuracy(p, router.classes_, y_test, 3),
        },
        "baseline": {
            "top1": top_k_accuracy(pb, lr.classes_, y_test, 1),
            "top3": top_k_accuracy(pb, lr.classes_, y_test, 3),
        },
    }
