"""The grace for an unanswered connect, on a real emulated network (tests/servers/netem.py): a real round
trip, SYNs that a firewall drops, a first SYN that is lost. Each case runs in a private network namespace
in a child process, which prints the probe's outcome as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from setup_assistant.core.model import EndpointStatus, MailProtocol, Security
from setup_assistant.core.probing.probe import SYN_LOSS_FLOOR, connect_grace
from tests.conftest import ROOT, skip_or_fail
from tests.servers import netem

HOST = "mail.netem.test"


def run_case(case: str, rtt: float, grace: float, timeout: float) -> dict[str, dict[str, object]]:
    reason = netem.missing_reason()
    if reason:
        skip_or_fail(reason)
    code = f"from tests.core.probing.test_probe_network import child; child({case!r}, {rtt}, {grace}, {timeout})"
    proc = subprocess.run(
        netem.private_network_command([sys.executable, "-c", code]),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, dict[str, object]] = json.loads(proc.stdout.splitlines()[-1])
    return result


def child(case: str, rtt: float, grace: float, timeout: float) -> None:
    """In the private namespace: hostile servers behind the emulated link, one probe, its outcome as JSON."""
    import tempfile

    import trustme

    from setup_assistant.core.probing.probe import probe_provider
    from setup_assistant.core.provider import load_provider
    from tests.servers import hostile
    from tests.servers.provider_file import provider_toml, write_ca

    netem.enter({HOST: netem.REMOTE})
    work = Path(tempfile.mkdtemp(prefix="sa-netem-"))
    ca = trustme.CA()
    leaf = ca.issue_cert(HOST)
    (work / "s.crt").write_bytes(b"".join(p.bytes() for p in leaf.cert_chain_pems))
    (work / "s.key").write_bytes(leaf.private_key_pem.bytes())
    context = hostile.server_context(work / "s.crt", work / "s.key")
    sha = write_ca(ca, work / "ca.pem")
    net = netem.Netem(rtt)
    ports: dict[str, int] = {}
    for key, protocol in (("imap", "imap"), ("pop3", "pop3"), ("submission", "smtp")):
        ssl_server = hostile.HostileServer(hostile.ssl_server(protocol, context))
        ports[key + "s" if key != "submission" else "submissions"] = netem.Forwarder(ssl_server.port).port
        behaviour = hostile.starttls_server(protocol, context)
        if case == "greets-late":
            behaviour = hostile.delayed(behaviour, 2.0)
        if case == "blackholed":
            ports[key] = netem.free_remote_port()
            net.blackholed.add(ports[key])
        else:
            ports[key] = netem.Forwarder(hostile.HostileServer(behaviour).port).port
            if case == "lost-syn":
                net.lose_first_syn.add(ports[key])
    path = work / "provider.toml"
    path.write_text(provider_toml(ports, host=HOST, ca_path=work / "ca.pem", ca_sha256=sha), encoding="utf-8")
    result = probe_provider(load_provider(path), timeout=timeout, grace=grace)
    out = {
        f"{r.endpoint.protocol.value}/{r.endpoint.security.value}": {
            "status": r.status.value,
            "detail": r.detail,
            "elapsed": r.elapsed_ms / 1000,
        }
        for r in result.endpoints
    }
    out["dropped"] = {"syns": len(net.dropped)}
    rec = result.recommended
    out["recommended"] = {p.value: (e.security.value if (e := rec.get(p)) else None) for p in MailProtocol}
    print(json.dumps(out))


def test_connect_grace_absorbs_a_lost_syn_and_never_exceeds_the_grace() -> None:
    for rtt in (0.0, 0.001, 0.04, 0.1, 0.3, 0.6, 1.0):
        limit = connect_grace(rtt, 60.0)
        assert limit >= 1.0 + rtt + 0.2  # the retransmitted SYN (after 1 s) and its round trip, with room
        assert limit <= SYN_LOSS_FLOOR + 4 * rtt
        assert connect_grace(rtt, 0.5) == 0.5  # an explicit shorter --grace wins
    assert connect_grace(None, 3.0) == 3.0  # no round trip measured: the plain grace


def test_an_unanswered_connect_costs_a_few_round_trips_not_the_grace() -> None:
    # A grace of 20 s makes the difference plain: the old rule waited all of it.
    out = run_case("blackholed", rtt=0.3, grace=20, timeout=30)
    assert out["dropped"]["syns"] >= 3  # the emulator really dropped them (and the kernel sent them again)
    for protocol in ("imap", "pop3", "smtp"):
        assert out["recommended"][protocol] == "ssl"
        preferred = out[f"{protocol}/starttls"]
        assert preferred["status"] == EndpointStatus.TIMEOUT.value
        assert "did not answer the connection" in str(preferred["detail"])
        assert "answered in" in str(preferred["detail"])
        assert float(preferred["elapsed"]) < 10  # about 1.25 + 2 x 0.3 s, far below the 20 s grace


def test_a_lost_first_syn_does_not_make_a_working_port_blocked() -> None:
    out = run_case("lost-syn", rtt=0.3, grace=3, timeout=10)
    assert out["dropped"]["syns"] == 3  # each STARTTLS port's first SYN was lost
    for protocol in ("imap", "pop3", "smtp"):
        assert out[f"{protocol}/starttls"]["status"] == "ok", out[f"{protocol}/starttls"]
        assert out["recommended"][protocol] == Security.STARTTLS.value


def test_a_port_that_connects_but_greets_late_gets_the_whole_grace() -> None:
    out = run_case("greets-late", rtt=0.04, grace=3, timeout=10)
    for protocol in ("imap", "pop3", "smtp"):
        assert out[f"{protocol}/starttls"]["status"] == "ok", out[f"{protocol}/starttls"]
        assert out["recommended"][protocol] == "starttls"


def test_a_connect_limit_counts_from_that_connect_s_own_start() -> None:
    """Set long before the connect begins (a slow lookup), the limit still gives the connect all of it."""
    import socket

    from setup_assistant.core.probing.connection import ConnectWatch, Deadline, NetError, open_connection

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    filler = socket.create_connection(listener.getsockname(), timeout=2)  # the queue is full: SYNs are dropped
    try:
        watch = ConnectWatch()
        watch.set_limit(0.4, "while another port answered")
        time.sleep(0.5)  # the limit's time has passed, but this connect has not begun yet
        started = time.monotonic()
        with pytest.raises(NetError) as caught:
            open_connection("127.0.0.1", listener.getsockname()[1], Deadline(10), None, watch=watch)
        assert time.monotonic() - started >= 0.4
        assert caught.value.kind == "timeout" and "did not answer the connection" in caught.value.message
        assert watch.rtt is None
        answered = ConnectWatch()
        other = socket.create_server(("127.0.0.1", 0))
        open_connection("127.0.0.1", other.getsockname()[1], Deadline(5), None, watch=answered).close()
        assert answered.rtt is not None and answered.rtt < 5
        other.close()
    finally:
        filler.close()
        listener.close()
