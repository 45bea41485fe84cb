"""What the assignment-proposal classifier reads of a suggestion (kept apart from the classifier
so that callers need not import scikit-learn)."""

# How much of the body joins the title: the title says what the matter is; the start of the body
# adds its words (more mostly adds shared phrasing, and training time).
BODY_CHARS = 100


def text_of(title: str, body: str = "") -> str:
    """What the classifier reads: the title, then the start of the body."""
    return f"{title or ''}\n{(body or '')[:BODY_CHARS]}"
