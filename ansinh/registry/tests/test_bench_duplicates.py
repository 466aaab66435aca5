"""The duplicate benchmark (bench/bench_duplicates.py) runs at a small size and prints its figures: the
probable-duplicate search against the registry (target 100 ms at 1,000,000 people) and the extra time of the
duplicate review of an import (target +20 s for 36,000 rows). Here only that it runs and says MET/NOT MET
with numbers; the full size is run by hand (see the script's docstring)."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_duplicate_benchmark_runs_small_and_prints_its_figures(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_duplicates.py"), "--people", "1500",
                           "--lookups", "8", "--rows", "40", "--registry", "300"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    lookups = re.search(r"probable_duplicates, 8 lookups against 1,500 people .*median ([\d.]+) ms, "
                        r"95% ([\d.]+) ms, slowest ([\d.]+) ms; target <= 100 ms: (MET|NOT MET)", out)
    assert lookups is not None, out
    review = re.search(r"Import of 40 rows into a registry of 300 people: without the duplicate review ([\d.]+) s, "
                       r"with it ([\d.]+) s .*; ([+-][\d.]+) s; target <= \+20 s: (MET|NOT MET)", out)
    assert review is not None, out
    # at this size both are far inside their targets
    assert (lookups.group(4), review.group(4)) == ("MET", "MET")
