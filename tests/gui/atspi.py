"""The Linux accessibility layer as a screen reader meets it: a private session bus, Xvfb, at-spi2-core's bus and
registry, and a reader that walks an application's AT-SPI tree over D-Bus (jeepney, pure Python).

`AtspiSession` starts the session (every process is private to the test and ended by its own pid);
`Reader` reads names, roles, descriptions and states, and does actions and text input as an assistive technology
does (AT-SPI's Action and EditableText interfaces). Run with `python -m tests.gui.atspi_wizard` as the child.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

BUS_LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
REGISTRYD = Path("/usr/libexec/at-spi2-registryd")
ACCESSIBLE = "org.a11y.atspi.Accessible"
ROOT_PATH = "/org/a11y/atspi/accessible/root"

# AT-SPI's state numbers (atspi-constants.h, AtspiStateType) that the tests read.
STATE_ENABLED = 8
STATE_FOCUSABLE = 11
STATE_FOCUSED = 12
STATE_SHOWING = 25
STATE_VISIBLE = 30


def missing_reason() -> str | None:
    """Why the AT-SPI test cannot run here, or None."""
    for tool in ("dbus-daemon", "Xvfb"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian: dbus-daemon / xvfb)"
    for path in (BUS_LAUNCHER, REGISTRYD):
        if not path.exists():
            return f"{path} is missing (Debian: at-spi2-core)"
    try:
        import jeepney  # noqa: F401
    except ImportError:
        return "the jeepney package is missing (pip install -e '.[test]')"
    return None


def _states(bits: list[int]) -> set[int]:
    """AT-SPI's state set (two 32-bit words) as the numbers of the states that are on."""
    return {word * 32 + bit for word, value in enumerate(bits) for bit in range(32) if value >> bit & 1}


@dataclass
class Node:
    """One accessible object as an assistive technology sees it."""

    bus_name: str
    path: str
    name: str
    role: str
    description: str
    states: set[int]
    children: list[Node] = field(default_factory=list)

    @property
    def showing(self) -> bool:
        return STATE_SHOWING in self.states and STATE_VISIBLE in self.states

    @property
    def focusable(self) -> bool:
        return STATE_FOCUSABLE in self.states and STATE_ENABLED in self.states

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, role: str, name: str | None = None) -> Node:
        for node in self.walk():
            if node.role == role and (name is None or node.name == name) and node.showing:
                return node
        raise LookupError(f"no showing {role!r} named {name!r}")

    def spoken(self, indent: int = 0) -> list[str]:
        """What a screen reader has to say about the showing part of the tree, one object a line."""
        if not self.showing and indent:
            return []
        line = "  " * indent + f"[{self.role}] {self.name!r}"
        if self.description:
            line += f" — {self.description!r}"
        lines = [line]
        for child in self.children:
            lines.extend(child.spoken(indent + 1))
        return lines


class Reader:
    """Reads one application's accessible tree on the accessibility bus."""

    def __init__(self, a11y_address: str) -> None:
        from jeepney.io.blocking import open_dbus_connection

        self.connection = open_dbus_connection(bus=a11y_address)

    def close(self) -> None:
        self.connection.close()

    def call(self, bus_name: str, path: str, interface: str, method: str, signature: str | None = None, *args):
        from jeepney import DBusAddress, new_method_call

        address = DBusAddress(path, bus_name=bus_name, interface=interface)
        message = new_method_call(address, method, signature, args) if signature else new_method_call(address, method)
        reply = self.connection.send_and_get_reply(message, timeout=10)
        if reply.header.message_type.name == "error":
            raise RuntimeError(f"{interface}.{method} on {path}: {reply.body}")
        return reply.body

    def prop(self, bus_name: str, path: str, name: str, interface: str = ACCESSIBLE):
        body = self.call(bus_name, path, "org.freedesktop.DBus.Properties", "Get", "ss", interface, name)
        return body[0][1]

    def applications(self) -> dict[str, tuple[str, str]]:
        """The registered applications by name: (bus name, path)."""
        children = self.call("org.a11y.atspi.Registry", ROOT_PATH, ACCESSIBLE, "GetChildren")[0]
        return {self.prop(bus, path, "Name"): (bus, path) for bus, path in children}

    def node(self, bus_name: str, path: str, depth: int = 40) -> Node:
        node = Node(
            bus_name,
            path,
            self.prop(bus_name, path, "Name"),
            self.call(bus_name, path, ACCESSIBLE, "GetRoleName")[0],
            self.prop(bus_name, path, "Description"),
            _states(self.call(bus_name, path, ACCESSIBLE, "GetState")[0]),
        )
        if (depth > 0 and STATE_SHOWING in node.states) or path == ROOT_PATH:
            for child_bus, child_path in self.call(bus_name, path, ACCESSIBLE, "GetChildren")[0]:
                node.children.append(self.node(child_bus, child_path, depth - 1))
        return node

    def application(self, name: str, timeout: float = 20.0) -> Node:
        """The application's tree, once it has registered (Qt registers a moment after start)."""
        deadline = time.monotonic() + timeout
        while True:
            apps = self.applications()
            if name in apps:
                return self.node(*apps[name])
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name!r} never registered on the accessibility bus (seen: {sorted(apps)})")
            time.sleep(0.2)

    def press(self, node: Node) -> None:
        """Action 0 ("Press" for a button, "Toggle" for a box), as an assistive technology triggers it."""
        self.call(node.bus_name, node.path, "org.a11y.atspi.Action", "DoAction", "i", 0)

    def set_text(self, node: Node, text: str) -> None:
        ok = self.call(node.bus_name, node.path, "org.a11y.atspi.EditableText", "SetTextContents", "s", text)[0]
        if not ok:
            raise RuntimeError(f"{node.name!r} refused the text")


class AtspiSession:
    """Xvfb, a private session bus and at-spi2-core's accessibility bus; `env` runs a Qt program inside them."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen[bytes]] = []
        self.folder = Path(tempfile.mkdtemp(prefix="atspi-"))
        self.env: dict[str, str] = {}
        self.a11y_address = ""

    def _start(self, args: list[str], **kwargs) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(args, **kwargs)
        self.processes.append(process)
        return process

    def __enter__(self) -> AtspiSession:
        try:
            self._start_all()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start_all(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "AT_SPI", "QT_QPA", "WAYLAND"))}
        env["XDG_RUNTIME_DIR"] = str(self.folder)
        env["HOME"] = str(self.folder)
        read, write = os.pipe()
        self._start(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], pass_fds=[write]
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            display = pipe.readline().strip()
        if not display:
            raise RuntimeError("Xvfb did not start")
        env["DISPLAY"] = f":{display}"
        bus = self._start(
            ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert bus.stdout is not None
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().decode().strip()
        self._start([str(BUS_LAUNCHER), "--launch-immediately"], env=env, stderr=subprocess.DEVNULL)
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        deadline = time.monotonic() + 15
        with open_dbus_connection(bus=env["DBUS_SESSION_BUS_ADDRESS"]) as session:
            while True:
                reply = session.send_and_get_reply(
                    new_method_call(DBusAddress("/org/a11y/bus", "org.a11y.Bus", "org.a11y.Bus"), "GetAddress"),
                    timeout=5,
                )
                if reply.header.message_type.name != "error" and reply.body[0]:
                    self.a11y_address = reply.body[0]
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"at-spi-bus-launcher never answered: {reply.body}")
                time.sleep(0.1)
        env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"
        env["QT_QPA_PLATFORM"] = "xcb"
        env["QT_ACCESSIBILITY"] = "1"
        env["NO_AT_BRIDGE"] = "0"
        self.env = env

    def __exit__(self, *exc: object) -> None:
        for process in reversed(self.processes):  # only what this session started, by its own pid
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if process.stdout is not None:
                process.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)
