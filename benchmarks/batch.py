"""`setup-assistant batch` at office scale: the whole command for N people, interpreter and imports included.

`python benchmarks/batch.py [--people 1000] [--runs 3] [--code DIR]`. As root with Dovecot installed it probes
the test Dovecot once, as a real batch does; otherwise it runs with --no-probe. `--code DIR` runs another
checkout's setup_assistant (e.g. the main branch, for a before/after). Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--code", metavar="DIR", default=str(ROOT), help="the checkout whose setup_assistant runs")
    parser.add_argument("--no-probe", action="store_true", help="do not probe even where Dovecot is available")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sa-batch-bench-"))
    people = work / "people.csv"
    rows = ["email,name,protocol"]
    rows += [f"person{i}@example.org,Person Number {i},{'pop3' if i % 5 == 0 else 'imap'}" for i in range(args.people)]
    people.write_text("\n".join(rows) + "\n", encoding="utf-8")
    server = None
    extra = ["--no-probe"]
    if not args.no_probe:
        import trustme

        from tests.servers.dovecot import DovecotServer, missing_reason
        from tests.servers.provider_file import write_ca

        reason = missing_reason()
        if reason:
            print(f"no probe ({reason})")
        else:
            ca = trustme.CA()
            sha = write_ca(ca, work / "ca.pem")
            server = DovecotServer(ca).start()
            provider = work / "provider.toml"
            provider.write_text(server.provider_toml(work / "ca.pem", sha), encoding="utf-8")
            extra = ["--provider", str(provider)]
    # Bytecode cached (in a folder of its own), as in an installed app, even where PYTHONDONTWRITEBYTECODE is set;
    # the first run writes it and is not counted.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({"PYTHONPATH": str(Path(args.code).resolve()), "PYTHONPYCACHEPREFIX": str(work / "pycache")})
    times = []
    try:
        for run in range(args.runs + 1):
            out = work / f"out-{run}"
            command = [sys.executable, "-m", "setup_assistant", "batch", str(people), "--out", str(out), *extra]
            t = time.perf_counter()
            # In the checkout itself: `python -m` puts the working folder first on sys.path, before PYTHONPATH.
            proc = subprocess.run(command, env=env, cwd=args.code, capture_output=True, text=True, check=False)
            if run:
                times.append(time.perf_counter() - t)
            if proc.returncode != 0:
                print(proc.stderr[-2000:], file=sys.stderr)
                return 1
            shutil.rmtree(out)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"code: {Path(args.code).resolve()}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    print(
        f"batch, {args.people} people, {'probing once' if server else 'no probe'}: "
        f"median {statistics.median(times):.2f} s over {args.runs} runs "
        f"({', '.join(f'{t:.2f}' for t in times)}); {args.people / statistics.median(times):.0f} people/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
