"""Starting and stopping the servers a bench measures, shared by the benches in this directory:
a Gantry on a free port with its own data directory, moto_server beside it, and the checks
around them."""
import importlib.util
import os
import socket
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc, timeout=30):
    """Returns once something accepts connections on `port`; raises if `proc` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("%s exited with %s" % (proc.args[0], proc.returncode))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nothing listening on port %d" % port)


def start_gantry(binary, data_dir, port, extra=(), tasks_off=True):
    """Gantry on 127.0.0.1:`port` with `data_dir` (made if missing), logging warnings only, its
    output discarded. With tasks_off (GANTRY_TASKS=off) tasks stay stored rows; otherwise the
    environment decides."""
    os.makedirs(data_dir, exist_ok=True)
    env = dict(os.environ, GANTRY_TASKS="off") if tasks_off else None
    return subprocess.Popen([binary, "--listen", "127.0.0.1:%d" % port, "--data-dir", data_dir,
                             "--log-level", "warn"] + list(extra), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_moto(port):
    return subprocess.Popen([sys.executable, "-m", "moto.server", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_gantry_and_moto(gantry_bin, data_dir, with_moto, procs, tasks_off=True):
    """Gantry on `data_dir` (start_gantry) and, with_moto, moto_server beside it. Both go into
    `procs` as soon as they start, for the caller to stop() even when a start fails; returns
    {"gantry": endpoint, "moto": endpoint} (moto only with_moto) once each listens."""
    servers = {}
    port = free_port()
    procs.append(start_gantry(gantry_bin, data_dir, port, tasks_off=tasks_off))
    servers["gantry"] = (port, procs[-1])
    if with_moto:
        port = free_port()
        procs.append(start_moto(port))
        servers["moto"] = (port, procs[-1])
    for port, proc in servers.values():
        wait_listening(port, proc)
    return {name: "http://127.0.0.1:%d" % port for name, (port, _) in servers.items()}


def moto_available(smoke):
    """Whether moto is installed. Without it a full run exits; a smoke run prints a note and goes
    on without the moto comparison."""
    if importlib.util.find_spec("moto") is not None:
        return True
    if not smoke:
        raise SystemExit("moto is not installed (see scripts/install-deps.sh)")
    print("note: moto is not installed; the moto comparison is skipped")
    return False


def check_running(procs):
    """Raises if any of the servers has exited (a crash under the bench's load)."""
    for p in procs:
        if p.poll() is not None:
            raise RuntimeError("%s exited with %s during the bench" % (p.args[0], p.returncode))


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
