"""Merge-conflict helper for docs with a shared title: keep ours whole, then append theirs from
its first '## ' heading on. Usage: python scripts/merge_docs.py PATH BRANCH"""

import subprocess
import sys

path, branch = sys.argv[1], sys.argv[2]
ours = subprocess.run(["git", "show", f"HEAD:{path}"], capture_output=True, text=True, check=True).stdout
theirs = subprocess.run(["git", "show", f"{branch}:{path}"], capture_output=True, text=True, check=True).stdout
start = theirs.find("\n## ")
with open(path, "w") as f:
    f.write(ours.rstrip("\n") + "\n\n" + theirs[start + 1 :])
subprocess.run(["git", "add", path], check=True)
