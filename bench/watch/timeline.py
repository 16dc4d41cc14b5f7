"""One benchmark run (bench/watch/run): the world up, `faro serve` watching it, and this timeline
(I = the interval):

    0            faro starts; samples every second from now on
    I + 5 s      warm-up over (the first rounds are spread over the first interval)
    + 2 I        K endpoints start answering 503 (nginx reload); wait for their platform-down
                 events (at most 4 I)
    then         they answer 204 again; wait for their platform-restored events (at most 5 I)
    then         wrk on the API, one run per --api-path (+ one paced near 2,000 requests/s
                 when the unpaced rate is above 2,500/s); at the end every event is counted
    then         patrol alone again until --duration (at least one more interval)
    [--profile]  30 s of perf record, outside every measured window

Steady state = every second after warm-up except while wrk (or perf) runs.
"""

import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time

import bench_world
import faro_api
import measure

WRK_THREADS, WRK_CONNECTIONS = 2, 20
# cpp-httplib gives each connection one of its 8 threads while the connection stays open, so
# more paced connections than that would measure queueing for a thread, not the answer.
PACED_CONNECTIONS = 8
TARGET_RPS = 2000


def log(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def write_config(run_dir, world, resume, interval, catalog, targets, tokens):
    db = os.path.join(run_dir, "faro.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    text = "\n".join([
        "# Written by bench/watch/run for one benchmark run.",
        "business: { name: \"Faro watch bench\", lang: en }",
        "storage: { sqlite: \"%s\" }" % db,
        "server: { listen: \"%s\", api_tokens_file: \"%s\" }" % (faro_api.LISTEN, tokens),
        "watch:",
        "  platforms: [\"@%s\"]" % targets,
        "  interval: %ds" % interval,
        "  catalog: \"%s\"" % catalog,
        "  resolver: \"%s\"" % world.resolver,
        "  ca_file: \"%s\"" % world.ca_file,
        "  tls_resume: %s" % ("true" if resume else "false"),
        ""])
    path = os.path.join(run_dir, "faro.yaml")
    with open(path, "w") as f:
        f.write(text)
    return path, db


def write_catalog(path):
    # Faro's link check asks reference hosts; here the world's own one (nothing leaves it).
    with open(path, "w") as f:
        f.write("version: 1\nlocal:\n  references:\n"
                "    - { url: \"http://%s/generate_204\", expect_status: \"204\" }\n"
                "  alt_resolvers: [\"%s\"]\n"
                "platforms:\n  - id: bench-reference\n    name: Bench reference\n    endpoints:\n"
                "      - { url: \"http://%s/generate_204\", layer: web, expect_status: \"204\" }\n"
                % (bench_world.REFERENCE_HOST, bench_world.RESOLVER_IP, bench_world.REFERENCE_HOST))


def make_token(faro_bin, directory):
    token = secrets.token_hex(32)
    p = subprocess.run([faro_bin, "serve", "--hash-token", "viewer", "--token-name", "bench"],
                       input=token + "\n", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=30)
    if p.returncode != 0:
        raise RuntimeError("faro serve --hash-token failed: %s" % p.stderr)
    tokens, token_file = os.path.join(directory, "api_tokens"), os.path.join(directory, "api.token")
    with open(tokens, "w") as f:
        f.write(p.stdout)
    with open(token_file, "w") as f:
        f.write(token + "\n")
    os.chmod(token_file, 0o600)
    return token, tokens, token_file


ACCEPT_ENCODING = ""  # set from --accept-encoding: what wrk's requests accept ("" = no header)


def run_wrk(label, path, delay_ms, seconds, token_file, run_dir, connections=WRK_CONNECTIONS, paced=False):
    url = "http://%s%s" % (faro_api.LISTEN, path)
    argv = ["wrk", "-t%d" % WRK_THREADS, "-c%d" % connections, "-d%ds" % seconds, "--latency",
            "--timeout", "10s", "-s", os.path.join(os.path.dirname(__file__), "api_load.lua"), url,
            "--", token_file, str(delay_ms), ACCEPT_ENCODING or "-"]
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=seconds + 120)
    with open(os.path.join(run_dir, "wrk-%s.txt" % label), "w") as f:
        f.write(" ".join(argv) + "\n\n" + p.stdout)
    line = [l for l in p.stdout.splitlines() if l.startswith("{")]
    if p.returncode != 0 or not line:
        return {"path": path, "error": "wrk failed (%d); see wrk-%s.txt" % (p.returncode, label)}
    w = json.loads(line[-1])
    secs = w["duration_us"] / 1e6
    lat = w["latency_us"]
    return {"path": path, "label": label, "paced": paced, "accept_encoding": ACCEPT_ENCODING, "paced_delay_ms": float(delay_ms),
            "connections": connections, "seconds": secs,
            "requests": w["requests"], "rps": w["requests"] / secs if secs else None,
            "p50_ms": lat["p50"] / 1000.0, "p90_ms": lat["p90"] / 1000.0,
            "p99_ms": lat["p99"] / 1000.0, "p999_ms": lat["p999"] / 1000.0,
            "max_ms": lat["max"] / 1000.0,
            "bytes_per_answer": (w["bytes"] / w["requests"]) if w["requests"] else None,
            "non2xx": w["non2xx"], "socket_errors": w["errors"]}


def run_paced(label, path, seconds, token_file, run_dir, p50_ms):
    """wrk near TARGET_RPS: PACED_CONNECTIONS connections, each waiting before every request.
    Up to three 4-s trials measure what a request cycle costs beyond the wait, and the wait is
    set so that the cycles add up to the target rate (within 5 %)."""
    c = PACED_CONNECTIONS
    delay = max(0.0, 1000.0 * c / TARGET_RPS - p50_ms)
    trials = []
    for n in range(3):
        trial = run_wrk("%s-trial%d" % (label, n), path, "%.2f" % delay, 4, token_file, run_dir, c)
        rps = trial.get("rps")
        trials.append(rps)
        if not rps or abs(rps - TARGET_RPS) <= 0.05 * TARGET_RPS:
            break
        overhead = max(0.0, 1000.0 * c / rps - delay)
        delay = max(0.0, 1000.0 * c / TARGET_RPS - overhead)
    log("wrk %s paced near %d requests/s (%d connections, %.2f ms wait each)" % (path, TARGET_RPS, c, delay))
    r = run_wrk(label + "-paced", path, "%.2f" % delay, seconds, token_file, run_dir, c, paced=True)
    r["trial_rps"] = trials
    return r


def sleep_until(t):
    while True:
        left = t - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 1.0))


def run_once(args, resume, run_dir, faro_bin):
    global ACCEPT_ENCODING
    ACCEPT_ENCODING = getattr(args, "accept_encoding", "") or ""
    n, interval = args.endpoints, args.interval
    world_dir = tempfile.mkdtemp(prefix="faro-watch-bench-")
    world = bench_world.BenchWorld(world_dir, n, args.names)
    faro = None
    sampler = None
    chosen = []
    result = {"tls_resume": resume, "endpoints": n, "names": world.names, "interval_s": interval,
              "broken": args.broken}
    try:
        log("world up: nsd with %d names for %d endpoints, unbound, nginx (in %s)" % (world.names, n, world_dir))
        world.up()
        targets = os.path.join(world_dir, "targets.txt")
        with open(targets, "w") as f:
            f.write("".join(world.target_url(i) + "\n" for i in range(1, n + 1)))
        catalog = os.path.join(world_dir, "catalog.yaml")
        write_catalog(catalog)
        token, tokens, token_file = make_token(faro_bin, world_dir)
        config, db = write_config(run_dir, world, resume, interval, catalog, targets, tokens)
        faro_log = open(os.path.join(run_dir, "faro.log"), "wb")
        faro = subprocess.Popen([faro_bin, "serve", "--config", config], stdin=subprocess.DEVNULL,
                                stdout=faro_log, stderr=subprocess.STDOUT, start_new_session=True)
        faro_log.close()
        t0 = time.monotonic()
        sampler = measure.Sampler(faro.pid, world.cpu_seconds, db)
        sampler.start()
        while True:
            if faro.poll() is not None:
                raise RuntimeError("faro serve exited (%d); see %s/faro.log" % (faro.returncode, run_dir))
            try:
                if faro_api.http_get("/health", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() - t0 > 120:
                raise RuntimeError("faro serve did not answer /health within 120 s")
            time.sleep(0.1)
        result["startup_s"] = time.monotonic() - t0
        log("faro serve up in %.1f s (pid %d, tls_resume %s); warming up" % (result["startup_s"], faro.pid, resume))

        warm_end = t0 + interval + 5
        sleep_until(warm_end)
        m_start = measure.parse_metrics(faro_api.http_get("/metrics")[1].decode())
        db_start, db_t0 = measure.db_logical_bytes(db), time.monotonic()
        tables_start = measure.db_table_stats(db)
        db_files_start = measure.db_files_bytes(db)

        # The fault: K endpoints spread over the fleet (so over the patrol's phases).
        step = n / float(args.broken) if args.broken else 0
        chosen = sorted({int(i * step) + 1 for i in range(args.broken)})
        subjects = {world.target_url(i) for i in chosen}
        down = faro_api.Events(token, "platform-down")
        restored = faro_api.Events(token, "platform-restored")
        sleep_until(warm_end + 2 * interval)
        down.poll()
        early = set(down.first)
        detect = restore = None
        if chosen:
            log("breaking %d endpoints (503)" % len(chosen))
            world.set_broken(chosen)
            t_break = time.time()
            faro_api.wait(down, subjects, time.monotonic() + 4 * interval)
            detect = faro_api.delays(down, subjects, t_break, interval)
            log("detected %d/%d, median %.1f s" % (detect["detected"], len(chosen), detect["median_s"] or -1))
            world.set_broken([])
            t_fix = time.time()
            faro_api.wait(restored, subjects, time.monotonic() + 5 * interval, also=(down,))
            restore = faro_api.delays(restored, subjects, t_fix, interval)
            log("restored %d/%d, median %.1f s" % (restore["detected"], len(chosen), restore["median_s"] or -1))
            detect["false_alarms"] = sorted(set(down.first) - subjects)
            detect["before_break"] = sorted(early)
            detect["break_wall"] = t_break
        result["detection"], result["restore"] = detect, restore

        # API load.
        api, excluded = [], []
        for k, path in enumerate(args.api_path):
            label = "api%d" % k
            log("wrk %s (unpaced, %d s)" % (path, args.wrk_seconds))
            a0 = time.monotonic()
            r = run_wrk(label, path, 0, args.wrk_seconds, token_file, run_dir)
            a1 = time.monotonic()
            r["faro_cpu_percent"] = sampler.cpu_mean_percent(a0, a1)
            excluded.append((a0, a1 + 2))
            api.append(r)
            if r.get("rps") and r["rps"] > 1.25 * TARGET_RPS:
                a0 = time.monotonic()
                p = run_paced(label, path, args.wrk_seconds, token_file, run_dir, r["p50_ms"])
                a1 = time.monotonic()
                p["faro_cpu_percent"] = sampler.cpu_mean_percent(a0, a1)
                excluded.append((a0, a1 + 2))
                api.append(p)
        result["api"] = api

        end = max(t0 + args.duration, time.monotonic() + interval)
        result["duration_s"] = end - t0
        if t0 + args.duration < end:
            log("--duration %d s is too short for this timeline; running %.0f s" % (args.duration, end - t0))
        sleep_until(end)
        m_end = measure.parse_metrics(faro_api.http_get("/metrics")[1].decode())
        result["events"] = faro_api.count(token, subjects)
        db_end, db_t1 = measure.db_logical_bytes(db), time.monotonic()
        tables_end = measure.db_table_stats(db)
        if args.profile:
            result["profile"] = measure.profile(faro.pid, run_dir, args.keep)

        # Figures.
        steady = steady_windows(warm_end, end, excluded)
        cpu = sampler.cpu_percent_samples(steady)
        world_cpu = sampler.cpu_percent_samples(steady, column=3)
        result["cpu"] = {"steady_median_percent": measure.median(cpu),
                         "steady_p90_percent": measure.pct(cpu, 90),
                         "steady_mean_percent": (sum(cpu) / len(cpu)) if cpu else None,
                         "steady_seconds": len(cpu),
                         "run_mean_percent": sampler.cpu_mean_percent(t0, end),
                         "world_steady_mean_percent": (sum(world_cpu) / len(world_cpu)) if world_cpu else None}
        result["cpu"]["busiest_threads"] = [
            {"tid": tid, "steady_median_percent": pc, "waits_in": wchan}
            for tid, pc, wchan in sampler.busiest_threads(steady)]
        rss_all, rss_steady = sampler.rss_kib(), sampler.rss_kib(steady)
        result["rss"] = {"steady_median_mib": measure.mib(measure.median(rss_steady)),
                         "max_mib": measure.mib(max(rss_all) if rss_all else None)}
        window = db_t1 - db_t0
        grow = (db_end - db_start) if db_end is not None and db_start is not None else None
        per_day = grow * 86400.0 / window if grow is not None and window > 0 else None
        result["db"] = {"logical_start_bytes": db_start, "logical_end_bytes": db_end, "window_s": window,
                        "files_start_bytes": db_files_start, "bytes_per_day": per_day,
                        "bytes_per_endpoint_per_day": per_day / n if per_day else None,
                        "size_in_metrics": any(k.startswith(("faro_db", "faro_storage")) for k in m_end),
                        "files_max_bytes": max((r[4] for r in sampler.rows), default=None),
                        "tables_start": tables_start, "tables_end": tables_end,
                        "history_when_full": measure.history_steady_state(tables_start, tables_end, window)}
        span = db_t1 - db_t0
        metric = lambda m, k: m.get(k, 0.0)
        result["patrol"] = {
            "checks_per_s": (metric(m_end, "faro_patrol_checks_total") - metric(m_start, "faro_patrol_checks_total")) / span,
            "expected_checks_per_s": n / float(interval),
            "rounds_total": metric(m_end, "faro_patrol_rounds_total"),
            "late_rounds_total": metric(m_end, "faro_patrol_late_rounds_total"),
            "late_rounds_after_warmup": metric(m_end, "faro_patrol_late_rounds_total") - metric(m_start, "faro_patrol_late_rounds_total"),
            "results_stored_total": metric(m_end, "faro_watch_results_stored_total"),
            "store_errors_total": metric(m_end, "faro_watch_store_errors_total"),
            "events_total": metric(m_end, "faro_watch_events_total")}
        with open(os.path.join(run_dir, "metrics-end.txt"), "w") as f:
            f.write("\n".join("%s %s" % kv for kv in sorted(m_end.items())) + "\n")
    finally:
        if faro is not None and faro.poll() is None:
            faro.send_signal(signal.SIGTERM)
            try:
                faro.wait(timeout=60)
            except subprocess.TimeoutExpired:
                faro.kill()
                faro.wait(timeout=10)
        if sampler is not None:
            sampler.stop()
            write_samples(sampler, os.path.join(run_dir, "samples.tsv"))
        world.down()
        result["nginx"] = measure.nginx_log_summary(world.access_log)
        if result["nginx"]:
            first = result["nginx"].pop("first_503")
            det = result.get("detection")
            if det and det.get("break_wall"):
                gaps = [first[world.key(i)] - det["break_wall"] for i in chosen if world.key(i) in first]
                det["first_failed_check_median_s"] = measure.median(gaps)
                det["first_failed_check_max_s"] = max(gaps) if gaps else None
        if args.keep:
            log("kept the world's files in %s" % world_dir)
        else:
            shutil.rmtree(world_dir, ignore_errors=True)
    result["db"]["files_after_stop_bytes"] = measure.db_files_bytes(db)
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
    return result


def steady_windows(start, end, excluded):
    """[start, end] minus the excluded windows, as a list of (t0, t1)."""
    out, t = [], start
    for a, b in sorted(excluded):
        if a > t:
            out.append((t, min(a, end)))
        t = max(t, b)
    if t < end:
        out.append((t, end))
    return out


def write_samples(sampler, path):
    with open(path, "w") as f:
        f.write("t_s\tfaro_cpu_s\tfaro_rss_kib\tworld_cpu_s\tdb_files_bytes\n")
        t0 = sampler.rows[0][0] if sampler.rows else 0
        for r in sampler.rows:
            f.write("%.3f\t%.2f\t%s\t%.2f\t%d\n" % (r[0] - t0, r[1], r[2], r[3], r[4]))
