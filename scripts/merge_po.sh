#!/usr/bin/env bash
# Resolve a merge conflict in the zh_Hans catalogue: the union of both sides' entries (ours
# first), then `make messages` regenerates and compiles it.
set -euo pipefail
po=renda/locale/zh_Hans/LC_MESSAGES/django.po
tmp=$(mktemp -d)
git show ":2:$po" > "$tmp/ours.po"
git show ":3:$po" > "$tmp/theirs.po"
msgcat --use-first "$tmp/ours.po" "$tmp/theirs.po" -o "$po"
rm -rf "$tmp"
git add "$po"
