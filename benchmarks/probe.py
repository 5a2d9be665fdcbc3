"""Probe timings against the real test Dovecot: parallel vs one by one, and what a blocked port costs.

Run as root (Dovecot starts as root and drops privileges): `python benchmarks/probe.py [--runs N]`.
Where it can (root, /dev/net/tun, unshare, ip) it re-runs itself in a private network namespace with an
emulated network (tests/servers/netem.py): a real round trip for every packet, the TCP handshake included,
SYNs that a firewall drops, a first SYN that is lost. `--code DIR` probes with another checkout's
setup_assistant (e.g. the main branch, for a before/after). Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _code_root() -> Path:
    if "--code" in sys.argv:
        return Path(sys.argv[sys.argv.index("--code") + 1]).resolve()
    return ROOT


import trustme  # noqa: E402

from tests.servers import netem  # noqa: E402  (the test servers always come from this checkout)
from tests.servers.dovecot import DovecotServer, missing_reason  # noqa: E402
from tests.servers.latency import DelayRelay  # noqa: E402
from tests.servers.provider_file import provider_toml, write_ca  # noqa: E402

sys.path.insert(0, str(_code_root()))

from setup_assistant.core.model import EndpointResult, MailProtocol, Security  # noqa: E402
from setup_assistant.core.probing.probe import probe_endpoint, probe_provider  # noqa: E402
from setup_assistant.core.provider import Provider, load_provider  # noqa: E402

FAR = "mail.bench.test"  # the Dovecot's name on the emulated network
STARTTLS_KEYS = ("imap", "pop3", "submission")
ms = 1000.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--grace", type=float, default=3.0)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--code", metavar="DIR", help="import setup_assistant from this checkout instead")
    parser.add_argument("--no-netem", action="store_true", help="only what a loopback relay can show")
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
    emulate = not args.no_netem and netem.missing_reason() is None
    if emulate and not netem.inside():
        return subprocess.call(netem.private_network_command([sys.executable, *sys.argv]))
    if emulate:
        netem.enter({FAR: netem.REMOTE})
    elif not args.no_netem:
        print(f"no emulated network: {netem.missing_reason()}")
    print(f"code: {_code_root()}")
    ca = trustme.CA()
    work = Path(tempfile.mkdtemp(prefix="sa-bench-"))
    ca_path = work / "ca.pem"
    sha = write_ca(ca, ca_path)
    server = DovecotServer(ca, extra_names=(FAR,)).start()
    bench = Bench(server, work, ca_path, sha, args)
    try:
        print(f"runs: {args.runs} (median shown), timeout {args.timeout:g} s, grace {args.grace:g} s")
        for latency in sorted({0.0, args.latency_ms}):
            relays = {name: DelayRelay(port, latency / 2000) for name, port in server.ports.items()} if latency else {}
            ports = {name: relay.port for name, relay in relays.items()}
            bench.measure(bench.provider(f"relay-{latency:g}", ports), f"{latency:g} ms round trip (relay)")
            for relay in relays.values():
                relay.close()
        bench.cli_with_blackholed_starttls()
        if emulate:
            bench.emulated()
    finally:
        server.stop()
    return 0


class Bench:
    def __init__(self, server: DovecotServer, work: Path, ca_path: Path, sha: str, args: argparse.Namespace) -> None:
        self.server, self.work, self.ca_path, self.sha, self.args = server, work, ca_path, sha, args

    def provider(self, name: str, ports: dict[str, int], host: str = "localhost") -> Provider:
        path = self.work / f"{name}.toml"
        text = provider_toml({**self.server.ports, **ports}, host=host, ca_path=self.ca_path, ca_sha256=self.sha)
        path.write_text(text, encoding="utf-8")
        return load_provider(path)

    def measure(self, provider: Provider, label: str) -> None:
        probe_provider(provider)  # warm caches (certifi roots, imports)
        parallel, serial, slowest = [], [], []
        for _ in range(self.args.runs):
            t = time.perf_counter()
            probe_provider(provider, timeout=self.args.timeout)
            parallel.append(time.perf_counter() - t)
            singles = []
            for endpoint in provider.endpoints():
                t = time.perf_counter()
                probe_endpoint(endpoint, provider.root, timeout=self.args.timeout)
                singles.append(time.perf_counter() - t)
            serial.append(sum(singles))
            slowest.append(max(singles))
        print(f"[{label}] full probe, 6 endpoints in parallel : {statistics.median(parallel) * ms:7.1f} ms")
        print(f"[{label}] the six probed one by one (sum)     : {statistics.median(serial) * ms:7.1f} ms")
        print(f"[{label}] slowest single endpoint             : {statistics.median(slowest) * ms:7.1f} ms")

    def cli_with_blackholed_starttls(self) -> None:
        """The whole command, interpreter and imports included, with the STARTTLS ports dropping every SYN."""
        # A listener whose accept queue is full: the kernel drops every further SYN, as a firewall does.
        holes = []
        for _ in STARTTLS_KEYS:
            hole = socket.socket()
            hole.bind(("127.0.0.1", 0))
            hole.listen(0)
            holes.append((hole, socket.create_connection(hole.getsockname(), timeout=2)))
        provider_path = self.work / "blackholed-cli.toml"
        ports = {k: h.getsockname()[1] for k, (h, _f) in zip(STARTTLS_KEYS, holes, strict=True)}
        provider_path.write_text(
            provider_toml({**self.server.ports, **ports}, ca_path=self.ca_path, ca_sha256=self.sha), encoding="utf-8"
        )
        # Bytecode cached (in a folder of its own), as in an installed app, even where PYTHONDONTWRITEBYTECODE is set.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update({"PYTHONPATH": str(_code_root()), "PYTHONPYCACHEPREFIX": str(self.work / "pycache")})
        command = [sys.executable, "-m", "setup_assistant", "probe", "jane.doe@example.org"]
        command += ["--provider", str(provider_path), "--json", "--grace", f"{self.args.grace:g}"]
        # In the checkout itself: `python -m` puts the working folder first on sys.path, before PYTHONPATH.
        code = _code_root()
        subprocess.run(command, env=env, cwd=code, capture_output=True, check=False)  # warm-up: writes the bytecode
        times = []
        for _ in range(self.args.runs):
            t = time.perf_counter()
            subprocess.run(command, env=env, cwd=code, capture_output=True, check=False)
            times.append(time.perf_counter() - t)
        for hole, filler in holes:
            filler.close()
            hole.close()
        print(
            f"[loopback] STARTTLS ports dropping SYNs: `setup-assistant probe` done (recommendation printed) after "
            f"{statistics.median(times) * ms:7.1f} ms from the command's start (goal 1500 ms)"
        )

    def emulated(self) -> None:
        """Through the emulated network: blocked, lost-SYN and slow-greeting STARTTLS ports at several round trips."""
        net = netem.Netem(0.0)
        forwarders = {name: netem.Forwarder(port) for name, port in self.server.ports.items()}
        far = {name: f.port for name, f in forwarders.items()}
        for rtt in (0.0, 0.04, 0.3):
            net.set_rtt(rtt)
            label = f"emulated {rtt * ms:g} ms"
            # Connect times: plain, and with the first SYN lost (what the floor must absorb).
            plain, lost = [], []
            for _ in range(self.args.runs):
                plain.append(_connect_time(far["imap"]))
                net.lose_first_syn.add(far["imap"])
                lost.append(_connect_time(far["imap"]))
            print(
                f"[{label}] TCP connect: {statistics.median(plain) * ms:7.1f} ms; with the first SYN lost: "
                f"{statistics.median(lost) * ms:7.1f} ms"
            )
            # Blackholed STARTTLS ports: how long after the fallback's success the recommendation comes.
            holes = {k: netem.free_remote_port() for k in STARTTLS_KEYS}
            net.blackholed |= set(holes.values())
            provider = self.provider(f"holes-{rtt:g}", {**far, **holes}, host=FAR)
            after, total = [], []
            for _ in range(self.args.runs):
                success, elapsed, _result = _timed_probe(provider, self.args)
                after.append(elapsed - success)
                total.append(elapsed)
            net.blackholed.clear()
            goal = 1.2 + 4 * rtt
            print(
                f"[{label}] STARTTLS ports dropping SYNs: recommendation {statistics.median(after) * ms:7.1f} ms "
                f"after the fallback's success (goal floor + 4 x rtt = {goal * ms:.0f} ms), "
                f"{statistics.median(total) * ms:7.1f} ms in all"
            )
            # A lost first SYN on every STARTTLS port: still ok?
            provider = self.provider(f"far-{rtt:g}", far, host=FAR)
            verdicts = []
            for _ in range(self.args.runs):
                net.lose_first_syn |= {far[k] for k in STARTTLS_KEYS}
                _s, _e, result = _timed_probe(provider, self.args)
                verdicts.append(_starttls_verdict(result))
            print(f"[{label}] first SYN lost on each STARTTLS port: {_tally(verdicts)}")
            # Connects at once but greets only after 2 s.
            slow = {k: netem.Forwarder(self.server.ports[k], silent_for=2.0) for k in STARTTLS_KEYS}
            provider = self.provider(f"slow-{rtt:g}", {**far, **{k: f.port for k, f in slow.items()}}, host=FAR)
            verdicts = []
            for _ in range(max(1, self.args.runs // 2)):
                _s, _e, result = _timed_probe(provider, self.args)
                verdicts.append(_starttls_verdict(result))
            for forwarder in slow.values():
                forwarder.close()
            print(f"[{label}] STARTTLS ports greeting after 2 s: {_tally(verdicts)}")
        net.close()


def _connect_time(port: int) -> float:
    t = time.perf_counter()
    with socket.create_connection((netem.REMOTE, port), timeout=10):
        return time.perf_counter() - t


def _timed_probe(provider: Provider, args: argparse.Namespace) -> tuple[float, float, object]:
    """(when the last protocol's fallback succeeded, when the probe ended, the result), from its start."""
    fallback_ok: list[float] = []
    t = time.perf_counter()

    def progress(result: EndpointResult) -> None:
        if result.ok and result.endpoint.security is Security.SSL:
            fallback_ok.append(time.perf_counter() - t)

    result = probe_provider(provider, timeout=args.timeout, grace=args.grace, progress=progress)
    elapsed = time.perf_counter() - t
    return (max(fallback_ok) if fallback_ok else elapsed), elapsed, result


def _starttls_verdict(result: object) -> str:
    statuses = {
        r.status.value
        for r in result.endpoints  # type: ignore[attr-defined]
        if r.endpoint.security is Security.STARTTLS and r.endpoint.protocol in MailProtocol
    }
    return "/".join(sorted(statuses))


def _tally(verdicts: list[str]) -> str:
    return ", ".join(f"{v or 'none'} x{verdicts.count(v)}" for v in sorted(set(verdicts)))


if __name__ == "__main__":
    sys.exit(main())
