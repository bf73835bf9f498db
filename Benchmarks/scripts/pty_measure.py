#!/usr/bin/env python3
"""Items 5 and 7: the dashboard in a pseudo-terminal of 120x40, measured from the outside.

startup: exec to the first complete frame (the footer's last key drawn), median of runs,
         against the same binary printing --help (process start without curses) as baseline.
bytes:   bytes written to the terminal per frame at steady state under the default traffic,
         against the size of the first, full-screen frame as baseline.
Prints one JSON object.
"""
import fcntl, json, os, pty, select, signal, statistics, struct, sys, termios, time

EXE = sys.argv[1] if len(sys.argv) > 1 else ".build/release/orderflow"
ENV = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
ENV.pop("NO_COLOR", None)


def spawn(args):
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(EXE, [EXE] + args, ENV)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    return pid, fd


def read_until(fd, marker, timeout=10.0):
    buf = b""
    deadline = time.monotonic() + timeout
    while marker not in buf and time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                break
    return buf


def finish(pid, fd):
    try:
        os.write(fd, b"q")
    except OSError:
        pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        select.select([fd], [], [], 0.05)
        try:
            os.read(fd, 65536)
        except OSError:
            pass
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)


RUNS = int(os.environ.get("PTY_RUNS", "15"))
WINDOW = float(os.environ.get("PTY_WINDOW", "10"))


def startup(runs=RUNS):
    times, baseline = [], []
    for _ in range(runs):
        t0 = time.monotonic()
        pid, fd = spawn([])
        buf = read_until(fd, b"quit")
        times.append(time.monotonic() - t0)
        assert b"quit" in buf, "no complete frame"
        finish(pid, fd)
        t0 = time.monotonic()
        pid, fd = spawn(["--help"])
        read_until(fd, b"SUBCOMMANDS", 5)
        baseline.append(time.monotonic() - t0)
        os.waitpid(pid, 0)
        os.close(fd)
    return statistics.median(times) * 1000, statistics.median(baseline) * 1000


def bytes_per_frame(warmup=3.0, window=WINDOW, gap=0.015):
    pid, fd = spawn([])
    first = read_until(fd, b"quit")
    full_frame = len(first)
    end_warm = time.monotonic() + warmup
    while time.monotonic() < end_warm:
        if select.select([fd], [], [], 0.05)[0]:
            os.read(fd, 65536)
    total, frames, last = 0, 0, 0.0
    end = time.monotonic() + window
    while time.monotonic() < end:
        if select.select([fd], [], [], 0.05)[0]:
            now = time.monotonic()
            data = os.read(fd, 65536)
            if now - last > gap:
                frames += 1
            last = now
            total += len(data)
    finish(pid, fd)
    return total / max(frames, 1), frames / window, full_frame


if __name__ == "__main__":
    start_ms, help_ms = startup()
    per_frame, fps, full = bytes_per_frame()
    print(json.dumps({"startup_ms": round(start_ms, 1), "help_ms": round(help_ms, 1),
                      "bytes_per_frame": round(per_frame), "frames_per_second": round(fps, 1),
                      "full_frame_bytes": full}))
