"""bench/ndjson_stream.py: slow readers of one URL, and the server's memory
while they read (used by bench/ndjson_stream.sh; standard library only).

READERS clients each ask for PATH on 127.0.0.1:PORT with a small receive
buffer and read KB kilobytes every PAUSE seconds for DURATION seconds (or to
the end of the answer). Meanwhile the processes PIDS (comma-separated: a
server, or nginx's master and workers) are sampled every 0.25 s from
/proc/PID/status (VmRSS and RssAnon, summed), and HEALTH (a path on the same
port, optional) is fetched every 0.5 s and timed. Prints one JSON object:
baseline and peak RSS and RssAnon in KB, the slowest health answer in ms,
failed health answers, the median health answer, the load average at the
end, bytes read, readers whose answer ended early."""
import json
import os
import socket
import sys
import threading
import time


def env(name, default):
    return type(default)(os.environ.get(name, default))


PORT, PATH = env("PORT", 0), env("PATH_Q", "/")
READERS, KB, PAUSE, DURATION = env("READERS", 24), env("KB", 16), env("PAUSE", 0.2), env("DURATION", 30.0)
PIDS = [int(p) for p in os.environ.get("PIDS", "").split(",") if p]
HEALTH = os.environ.get("HEALTH", "")


def mem():
    rss = anon = 0
    for pid in PIDS:
        try:
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
                    elif line.startswith("RssAnon:"):
                        anon += int(line.split()[1])
        except OSError:
            pass
    return rss, anon


def get(path, timeout=30):
    s = socket.create_connection(("127.0.0.1", PORT), timeout=timeout)
    s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode())
    data = b""
    while True:
        c = s.recv(65536)
        if not c:
            break
        data += c
    s.close()
    return data


state = {"bytes": 0, "early": 0, "health_max_ms": 0.0, "health_failed": 0, "peak_rss": 0, "peak_anon": 0,
         "health_ms": []}
lock = threading.Lock()
stop = threading.Event()


def reader():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    s.settimeout(60)
    s.connect(("127.0.0.1", PORT))
    s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % PATH).encode())
    got = 0
    try:
        while not stop.is_set():
            c = s.recv(KB * 1024)
            if not c:
                with lock:
                    state["early"] += 1
                break
            got += len(c)
            time.sleep(PAUSE)
    except OSError:
        with lock:
            state["early"] += 1
    s.close()
    with lock:
        state["bytes"] += got


def sampler():
    while not stop.is_set():
        rss, anon = mem()
        with lock:
            state["peak_rss"] = max(state["peak_rss"], rss)
            state["peak_anon"] = max(state["peak_anon"], anon)
        time.sleep(0.25)


def health():
    while HEALTH and not stop.is_set():
        t0 = time.time()
        try:
            ok = get(HEALTH, timeout=60).startswith(b"HTTP/1.1 200")
        except OSError:
            ok = False
        ms = (time.time() - t0) * 1000
        with lock:
            state["health_max_ms"] = max(state["health_max_ms"], ms)
            state["health_ms"].append(ms)
            state["health_failed"] += 0 if ok else 1
        time.sleep(0.5)


def main():
    state["base_rss"], state["base_anon"] = mem()
    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    threads += [threading.Thread(target=sampler), threading.Thread(target=health)]
    for t in threads:
        t.start()
    time.sleep(DURATION)
    stop.set()
    for t in threads:
        t.join()
    rss, anon = mem()
    state["end_rss"], state["end_anon"] = rss, anon
    h = sorted(state.pop("health_ms"))
    state["health_p50_ms"] = h[len(h) // 2] if h else 0.0
    state["load"] = os.getloadavg()[0]
    print(json.dumps(state))
    return 0


if __name__ == "__main__":
    sys.exit(main())
