"""The HTTP edge under hostile clients: a slowloris, oversized headers, a huge body and a flood of
idle connections are each cut off or bounded while ordinary clients keep being served. Each test
starts its own server with small limits (--header-timeout, --max-connections)."""
import os
import socket
import time

import pytest

from conftest import GantryProcess, client_for

pytestmark = pytest.mark.emulator_only  # flags and limits of this server


@pytest.fixture
def server(tmp_path):
    started = []

    def start(*args):
        g = GantryProcess(str(tmp_path / str(len(started))), list(args),
                          env=dict(os.environ, GANTRY_TASKS="off")).start()
        started.append(g)
        return g
    yield start
    for g in started:
        g.stop()


def connect(port, timeout=10):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return s


def read_until_closed(s, deadline):
    """What the server sent before closing the connection, or None if it had not closed by
    `deadline` (time.monotonic())."""
    data = b""
    while time.monotonic() < deadline:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            return None
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk
    return None


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def fd_count(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def test_slowloris_is_cut_off_by_the_head_deadline_while_others_are_served(server):
    g = server("--header-timeout", "2")
    slow = connect(g.port)
    began = time.monotonic()
    head = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
    sent = 0
    ecs = client_for(g.endpoint, "ecs")
    cut_at = None
    # One byte every 0.2 s (the attacker's pace): each byte arrives long before any per-read
    # timeout, so only a deadline for the whole head ends it.
    while time.monotonic() - began < 10:
        try:
            slow.send(head[sent:sent + 1])
            sent += 1
        except OSError:
            cut_at = time.monotonic()
            break
        if sent == 3:
            # Meanwhile an ordinary client is served, before the deadline frees anything.
            ecs.list_clusters()
            assert time.monotonic() - began < 1.8
        if read_until_closed(slow, time.monotonic() + 0.2) is not None:
            cut_at = time.monotonic()
            break
    slow.close()
    assert cut_at is not None, "the slow head was never cut off"
    assert 1.8 <= cut_at - began <= 4.5, cut_at - began
    assert sent < len(head)
    assert ecs.list_clusters()["clusterArns"] == []


@pytest.mark.parametrize("head", [
    b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(
        b"X-Big-%d: %s\r\n" % (i, b"b" * 1000) for i in range(1024)) + b"\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * (100 * 1024) + b"\r\n\r\n",
], ids=["1MiB-of-headers", "one-100KiB-header"])
def test_oversized_headers_get_431_and_close(server, head):
    g = server()
    s = connect(g.port)
    s.sendall(head)
    reply = read_until_closed(s, time.monotonic() + 10)
    s.close()
    assert reply is not None, "the connection was not closed"
    assert reply.startswith(b"HTTP/1.1 431 "), reply[:200]
    assert b"Connection: close" in reply
    assert client_for(g.endpoint, "ecs").list_clusters()["clusterArns"] == []


def test_huge_body_gets_413_without_being_buffered(server):
    g = server()
    before = rss_kib(g.proc.pid)
    s = connect(g.port)
    s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n"
              b"X-Amz-Target: Logs_20140328.PutLogEvents\r\n"
              b"Content-Type: application/x-amz-json-1.1\r\n"
              b"Content-Length: 10737418240\r\n\r\n{\"logGroupName\":")
    reply = read_until_closed(s, time.monotonic() + 10)
    s.close()
    assert reply is not None, "the connection was not closed"
    assert reply.startswith(b"HTTP/1.1 413 "), reply[:200]
    assert rss_kib(g.proc.pid) - before < 32 * 1024
    assert client_for(g.endpoint, "logs").describe_log_groups()["logGroups"] == []


def test_idle_connections_do_not_lock_out_a_new_client(server):
    """200 connections that send nothing against a limit of 50: the server holds at most about
    50 of them open, and a new client is served, taking the slot of the longest idle."""
    g = server("--max-connections", "50")
    idle = [connect(g.port) for _ in range(200)]
    try:
        ecs = client_for(g.endpoint, "ecs")
        t = time.monotonic()
        assert ecs.list_clusters()["clusterArns"] == []
        assert time.monotonic() - t < 5
        assert fd_count(g.proc.pid) < 50 + 30
        # The oldest idle connections were closed to make room.
        assert read_until_closed(idle[0], time.monotonic() + 5) == b""
    finally:
        for s in idle:
            s.close()
