"""Probe timings on loopback against the real test Dovecot: parallel vs one by one, and a blackholed port.

Run as root (Dovecot starts as root and drops privileges): `python benchmarks/probe.py [--runs N]`.
Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trustme  # noqa: E402

from setup_assistant.core.probing.probe import probe_endpoint, probe_provider  # noqa: E402
from setup_assistant.core.provider import load_provider  # noqa: E402
from tests.servers.dovecot import DovecotServer, missing_reason  # noqa: E402
from tests.servers.latency import DelayRelay  # noqa: E402
from tests.servers.provider_file import write_ca  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--grace", type=float, default=3.0)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=40.0,
        help="round-trip time added by a relay in front of each port, like a real network (0: none)",
    )
    args = parser.parse_args()
    reason = missing_reason()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    ca = trustme.CA()
    work = Path(tempfile.mkdtemp(prefix="sa-bench-"))
    ca_path = work / "ca.pem"
    sha = write_ca(ca, ca_path)
    server = DovecotServer(ca).start()
    try:
        print(f"runs: {args.runs} (median shown), timeout {args.timeout:g} s, grace {args.grace:g} s")
        for latency in sorted({0.0, args.latency_ms}):
            relays = {name: DelayRelay(port, latency / 2000) for name, port in server.ports.items()} if latency else {}
            ports = {name: relay.port for name, relay in relays.items()}
            path = work / f"provider-{latency:g}.toml"
            path.write_text(server.provider_toml(ca_path, sha, ports=ports), encoding="utf-8")
            measure(load_provider(path), args, f"{latency:g} ms round trip")
            for relay in relays.values():
                relay.close()
        blocked_recommendation(server, work, ca_path, sha, args)
    finally:
        server.stop()
    return 0


def measure(provider, args: argparse.Namespace, label: str) -> None:
    probe_provider(provider)  # warm caches (certifi roots, imports)
    parallel, serial, slowest = [], [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        probe_provider(provider, timeout=args.timeout)
        parallel.append(time.perf_counter() - t)
        singles = []
        for endpoint in provider.endpoints():
            t = time.perf_counter()
            probe_endpoint(endpoint, provider.root, timeout=args.timeout)
            singles.append(time.perf_counter() - t)
        serial.append(sum(singles))
        slowest.append(max(singles))
    ms = 1000.0
    print(f"[{label}] full probe, 6 endpoints in parallel : {statistics.median(parallel) * ms:7.1f} ms")
    print(f"[{label}] the six probed one by one (sum)     : {statistics.median(serial) * ms:7.1f} ms")
    print(f"[{label}] slowest single endpoint             : {statistics.median(slowest) * ms:7.1f} ms")


def blocked_recommendation(server, work: Path, ca_path: Path, sha: str, args: argparse.Namespace) -> None:

    blackhole = socket.socket()
    blackhole.bind(("127.0.0.1", 0))
    blackhole.listen(0)
    port = blackhole.getsockname()[1]
    path2 = work / "blackholed.toml"
    path2.write_text(
        server.provider_toml(ca_path, sha, ports={"imap": port, "pop3": port, "submission": port}), encoding="utf-8"
    )
    blocked = load_provider(path2)
    t = time.perf_counter()
    result = probe_provider(blocked, timeout=args.timeout, grace=args.grace)
    to_recommendation = time.perf_counter() - t
    blackhole.close()
    rec = result.recommended
    ms = 1000.0
    print(
        f"STARTTLS ports blackholed: recommendation after {to_recommendation * ms:7.1f} ms "
        f"(imap {rec.imap.port if rec.imap else None} {rec.imap.security if rec.imap else ''}, "
        f"smtp {rec.smtp.port if rec.smtp else None} {rec.smtp.security if rec.smtp else ''})"
    )


if __name__ == "__main__":
    sys.exit(main())
