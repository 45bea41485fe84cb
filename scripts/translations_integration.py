# ruff: noqa: E501
"""Simplified Chinese for strings added while merging issue 5's parts (scripts/fill_translations.py)."""

T = {
    ("opinion state", "Received"): "待处理",
    "No opinion is waiting for you. New ones appear here as citizens send them.": "暂无待处理的群众意见，群众提交后将显示在这里。",
    "second look": "再次办理",
    "new": "新",
    "All opinions to handle": "全部待处理意见",
    "Citizens' opinions": "群众意见办理",
    "Suggestions": "代表建议",
}
