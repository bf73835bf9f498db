#!/usr/bin/env python3
"""The dashboard at `max` speed: its resident memory over a run, measured from the outside.

Starts the dashboard in a 120x40 pseudo-terminal with the default config (or the arguments after
OUT, such as --config FILE), presses `>` until the
speed is `max` (six presses from 1x), and samples VmRSS from /proc/PID/status every
SAMPLE_SECONDS for DURATION_SECONDS, reading (and discarding) what it draws so it never blocks.
Writes the samples to OUT/dashboard-rss.csv and prints one JSON object: the peak, the sample
after the first minute (or the first sample when the run is shorter), the last sample, and the
ratio last / after-first-minute ("flat" is close to 1).
"""
import csv, fcntl, json, os, pty, select, signal, struct, sys, termios, time

EXE = sys.argv[1] if len(sys.argv) > 1 else ".build/release/orderflow"
OUT = sys.argv[2] if len(sys.argv) > 2 else "Benchmarks/results"
DURATION = float(os.environ.get("DURATION_SECONDS", "180"))
SAMPLE = float(os.environ.get("SAMPLE_SECONDS", "5"))
SETTLE = min(60.0, DURATION / 3)
ENV = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def drain(fd, seconds):
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        ready, _, _ = select.select([fd], [], [], min(left, 0.05))
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                return


def main():
    os.makedirs(OUT, exist_ok=True)
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(EXE, [EXE] + sys.argv[3:], ENV)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    samples = []
    try:
        drain(fd, 1.0)
        for _ in range(6):
            os.write(fd, b">")
            drain(fd, 0.1)
        start = time.monotonic()
        while time.monotonic() - start < DURATION:
            drain(fd, SAMPLE)
            samples.append((round(time.monotonic() - start, 1), rss_kb(pid)))
    finally:
        try:
            os.write(fd, b"q")
            drain(fd, 1.0)
        except OSError:
            pass
        done, _ = os.waitpid(pid, os.WNOHANG)
        if not done:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    with open(os.path.join(OUT, "dashboard-rss.csv"), "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["seconds", "rss_kb"])
        writer.writerows(samples)
    settled = next((kb for s, kb in samples if s >= SETTLE), samples[0][1])
    print(json.dumps({
        "seconds": samples[-1][0],
        "peak_rss_mb": round(max(kb for _, kb in samples) / 1024, 1),
        "rss_after_first_minute_mb": round(settled / 1024, 1),
        "last_rss_mb": round(samples[-1][1] / 1024, 1),
        "last_over_first_minute": round(samples[-1][1] / settled, 3),
    }))


if __name__ == "__main__":
    main()
