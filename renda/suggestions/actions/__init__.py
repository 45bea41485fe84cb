"""Every write to a suggestion: one function per verb, grouped by phase of the lifecycle.

submission.py (draft, co-signing, submit, numbering), registration.py (register, reject,
convert), assignment.py (assign, return requests, contacts, co-unit opinions), answers.py
(answer, evaluate, close, commitments, key suggestions).
"""
