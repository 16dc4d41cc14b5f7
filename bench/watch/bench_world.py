"""A loopback world with many names, for the `faro serve` watch benchmark (bench/watch/run).

Everything runs inside one network namespace that `run` creates (so ports 53, 80 and 443 are
free and nothing leaves the machine):

    nsd        127.0.2.1:53    authoritative for "bench.test." (N names) and "." (empty)
    unbound    127.0.2.53:53   the recursive resolver Faro uses; stubs bench.test and . to nsd
    nginx      *:443           https://eI.bench.test/ -> 204 (503 for the names in broken.map)
               *:80            http://ref.bench.test/generate_204 -> 204 (Faro's reference host)

eI.bench.test resolves to 127.0.1.(I mod ADDRESSES + 1): the checks spread over a handful of
loopback addresses, as a real fleet spreads over servers. The certificate is a wildcard
*.bench.test signed by a private CA made at start-up (ECDSA P-256, like tests/world/world.py).

Nothing here needs Faro; `bench/watch/run --selfcheck` brings the world up in its own namespace,
checks it with dig and curl, and tears it down.
"""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "tests", "world"))
import world  # noqa: E402

NSD = "/usr/sbin/nsd"
UNBOUND = "/usr/sbin/unbound"
NGINX = "/usr/sbin/nginx"
OPENSSL = "openssl"

ZONE = "bench.test"
NSD_IP = "127.0.2.1"
RESOLVER_IP = "127.0.2.53"
REFERENCE_HOST = "ref." + ZONE
REFERENCE_IP = "127.0.1.200"
ADDRESSES = 8
DNS_TTL = 60


def run(argv, check=True, timeout=60, **kw):
    """The test world's runner, with a longer default timeout (10,000-name zones)."""
    return world.run(argv, check=check, timeout=timeout, **kw)


def host_name(h):
    return "e%d.%s" % (h, ZONE)


def host_address(h):
    return "127.0.1.%d" % (h % ADDRESSES + 1)


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def cpu_seconds(pid, reaped_children=False):
    try:
        with open("/proc/%d/stat" % pid) as f:
            text = f.read()
    except OSError:
        return 0.0
    fields = text[text.rindex(")") + 2:].split()
    ticks = int(fields[11]) + int(fields[12])
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / float(os.sysconf("SC_CLK_TCK"))


def Daemon(name, argv, logdir):
    """A foreground daemon in this namespace, its output in LOGDIR/NAME.log (the test world's)."""
    return world.Daemon(name, None, argv, logdir)


class BenchWorld:
    """nsd + unbound + nginx for N names under DIR. Call up(), then down() (idempotent)."""

    def __init__(self, directory, endpoints, names=None):
        self.dir = directory
        self.n = endpoints
        # Normally one name per endpoint. With fewer names, endpoint I is a path on name
        # ((I-1) mod names)+1: the same number of checks over few TLS peers (run --names).
        self.names = min(names or endpoints, endpoints)
        self.daemons = {}
        self.broken = set()

    def host_of(self, i):
        return (i - 1) % self.names + 1

    def path_of(self, i):
        return "/" if self.names == self.n else "/t/%d" % i

    def target_url(self, i):
        """Endpoint I (1..N) as Faro watches it."""
        return "https://%s%s" % (host_name(self.host_of(i)), self.path_of(i))

    def key(self, i):
        """Endpoint I as nginx's broken map and access log name it: host and path."""
        return host_name(self.host_of(i)) + self.path_of(i)

    def p(self, *parts):
        return os.path.join(self.dir, *parts)

    @property
    def ca_file(self):
        return self.p("pki", "ca.pem")

    @property
    def resolver(self):
        return "%s:53" % RESOLVER_IP

    @property
    def access_log(self):
        return self.p("nginx", "access.log")

    def up(self):
        for tool in (NSD, UNBOUND, NGINX):
            if not os.access(tool, os.X_OK):
                raise RuntimeError("missing %s (apt-get install nsd unbound nginx-light)" % tool)
        os.makedirs(self.p("logs"), exist_ok=True)
        try:
            self._make_pki()
            self._make_nsd()
            self._make_unbound()
            self._make_nginx()
            for name in ("nsd", "unbound", "nginx"):
                self.daemons[name].start()
            self.wait_ready()
        except BaseException:
            self.down()
            raise
        return self

    def down(self):
        for name in ("nginx", "unbound", "nsd"):
            d = self.daemons.get(name)
            if d:
                try:
                    d.stop()
                except Exception:
                    pass

    def cpu_seconds(self):
        """CPU seconds used so far by the daemons and their children (nginx workers, the ones
        a reload replaced included: their time is in the master's cutime/cstime)."""
        total = 0.0
        for d in self.daemons.values():
            if d.running():
                total += cpu_seconds(d.pid, reaped_children=True)
                total += sum(cpu_seconds(c) for c in children(d.pid))
        return total

    # -- PKI: a private CA and a wildcard certificate ------------------------------------------
    def _make_pki(self):
        d = self.p("pki")
        os.makedirs(d, exist_ok=True)
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        o = lambda *a: run([OPENSSL] + list(a), cwd=d)
        o("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "7",
          "-subj", "/O=Faro watch bench/CN=Faro Watch Bench CA",
          "-addext", "basicConstraints=critical,CA:TRUE",
          "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        san = "DNS:*.%s,DNS:%s" % (ZONE, ZONE)
        o("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=*." + ZONE,
          "-addext", "subjectAltName=" + san)
        with open(os.path.join(d, "server.ext"), "w") as f:
            f.write("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n"
                    "extendedKeyUsage=serverAuth\nsubjectAltName=%s\n" % san)
        o("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
          "-CAcreateserial", "-days", "7", "-extfile", "server.ext", "-out", "server.pem")

    # -- DNS ------------------------------------------------------------------------------------
    def _make_nsd(self):
        d = self.p("nsd")
        os.makedirs(d, exist_ok=True)
        lines = ["$ORIGIN %s." % ZONE, "$TTL %d" % DNS_TTL,
                 "@ IN SOA ns.%s. hostmaster.%s. 1 3600 600 86400 %d" % (ZONE, ZONE, DNS_TTL),
                 "@ IN NS ns.%s." % ZONE,
                 "ns IN A %s" % NSD_IP,
                 "ref IN A %s" % REFERENCE_IP]
        lines += ["e%d IN A %s" % (h, host_address(h)) for h in range(1, self.names + 1)]
        with open(os.path.join(d, ZONE + ".zone"), "w") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(d, "root.zone"), "w") as f:   # everything else: NXDOMAIN
            f.write("$ORIGIN .\n$TTL 60\n@ IN SOA ns.%s. hostmaster.%s. 1 3600 600 86400 60\n"
                    "@ IN NS ns.%s.\n" % (ZONE, ZONE, ZONE))
        conf = ["server:",
                "    ip-address: %s" % NSD_IP, "    port: 53", "    do-ip6: no",
                "    username: \"\"", "    chroot: \"\"", "    database: \"\"",
                "    zonesdir: \"%s\"" % d, "    zonelistfile: \"%s/zone.list\"" % d,
                "    xfrdfile: \"%s/xfrd.state\"" % d, "    xfrdir: \"%s\"" % d,
                "    pidfile: \"%s/nsd.pid\"" % d, "    server-count: 1", "    verbosity: 1",
                "    hide-version: yes",
                "remote-control:", "    control-enable: no",
                "zone:", "    name: \"%s.\"" % ZONE, "    zonefile: \"%s.zone\"" % ZONE,
                "zone:", "    name: \".\"", "    zonefile: \"root.zone\""]
        with open(os.path.join(d, "nsd.conf"), "w") as f:
            f.write("\n".join(conf) + "\n")
        self.daemons["nsd"] = Daemon("nsd", [NSD, "-d", "-c", os.path.join(d, "nsd.conf")],
                                     self.p("logs"))

    def _make_unbound(self):
        d = self.p("unbound")
        os.makedirs(d, exist_ok=True)
        conf = ["server:",
                "    interface: %s" % RESOLVER_IP, "    port: 53", "    do-ip6: no",
                "    do-daemonize: no", "    username: \"\"", "    chroot: \"\"",
                "    directory: \"%s\"" % d, "    pidfile: \"%s/unbound.pid\"" % d,
                "    use-syslog: no", "    logfile: \"\"", "    verbosity: 1",
                "    num-threads: 1",
                "    access-control: 127.0.0.0/8 allow",
                "    module-config: \"iterator\"",
                "    qname-minimisation: no",
                # .test is one of unbound's built-in local zones (always NXDOMAIN): lift it.
                "    local-zone: \"test.\" nodefault",
                "    so-reuseport: no",
                "    do-not-query-localhost: no",   # nsd listens on loopback
                "remote-control:", "    control-enable: no",
                "stub-zone:", "    name: \"%s.\"" % ZONE, "    stub-addr: %s" % NSD_IP,
                "stub-zone:", "    name: \".\"", "    stub-addr: %s" % NSD_IP]
        with open(os.path.join(d, "unbound.conf"), "w") as f:
            f.write("\n".join(conf) + "\n")
        self.daemons["unbound"] = Daemon(
            "unbound", [UNBOUND, "-d", "-c", os.path.join(d, "unbound.conf")], self.p("logs"))

    # -- web ------------------------------------------------------------------------------------
    def _make_nginx(self):
        d = self.p("nginx")
        os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
        self._write_broken_map()
        pki = self.p("pki")
        conf = [
            "daemon off;", "master_process on;", "worker_processes 1;",
            "worker_rlimit_nofile 16384;",
            "pid %s/nginx.pid;" % d, "error_log %s/error.log warn;" % d,
            "events { worker_connections 8192; }",
            "http {",
            # One line per request: the benchmark counts requests and TLS resumptions from it.
            "  log_format bench '$msec $host$uri $status $ssl_session_reused $ssl_protocol';",
            "  access_log %s bench buffer=256k flush=1s;" % self.access_log,
            "  server_tokens off;",
            "  client_body_temp_path %s/tmp/body;" % d, "  proxy_temp_path %s/tmp/proxy;" % d,
            "  fastcgi_temp_path %s/tmp/fastcgi;" % d, "  uwsgi_temp_path %s/tmp/uwsgi;" % d,
            "  scgi_temp_path %s/tmp/scgi;" % d,
            "  keepalive_timeout 5s;",
            "  ssl_protocols TLSv1.2 TLSv1.3;",
            # A client that keeps sessions can resume them (tickets and a server-side cache).
            "  ssl_session_cache shared:bench:20m;", "  ssl_session_timeout 1h;",
            "  ssl_session_tickets on;",
            "  map $host$uri $bench_broken { default 0; include %s/broken.map; }" % d,
            "  server { listen 443 ssl; server_name *.%s;" % ZONE,
            "    ssl_certificate %s/server.pem; ssl_certificate_key %s/server.key;" % (pki, pki),
            "    location / { if ($bench_broken) { return 503; } return 204; } }",
            "  server { listen 80; server_name %s;" % REFERENCE_HOST,
            "    location = /generate_204 { return 204; }",
            "    location / { return 404; } }",
            "}"]
        path = os.path.join(d, "nginx.conf")
        with open(path, "w") as f:
            f.write("\n".join(conf) + "\n")
        run([NGINX, "-t", "-q", "-c", path, "-e", "stderr"])
        self.daemons["nginx"] = Daemon("nginx", [NGINX, "-c", path, "-e", "stderr"], self.p("logs"))

    def _write_broken_map(self):
        with open(self.p("nginx", "broken.map"), "w") as f:
            f.write("".join("%s 1;\n" % self.key(i) for i in sorted(self.broken)))

    def set_broken(self, indexes):
        """Makes https://eI.bench.test/ answer 503 for every I in indexes (204 for the rest).
        Returns once nginx's new workers answer so (the old ones finish what they hold)."""
        before, self.broken = self.broken, set(indexes)
        self._write_broken_map()
        master = self.daemons["nginx"].pid
        old_workers = set(children(master))
        os.kill(master, signal.SIGHUP)
        # Ask a name whose answer changes: newly broken (503), else newly fixed (204).
        if self.broken - before:
            probe, want = min(self.broken - before), 503
        elif before - self.broken:
            probe, want = min(before - self.broken), 204
        else:
            probe, want = 1, (503 if 1 in self.broken else 204)
        end = time.monotonic() + 15
        while True:
            # Done when only new workers are left (old ones may still answer the old way)
            # and they answer the new way.
            workers = set(children(master))
            try:
                if workers and not workers & old_workers and self.https_status(probe) == want:
                    return
            except OSError:
                pass
            if time.monotonic() > end:
                raise RuntimeError("nginx did not take the new broken set:\n" +
                                   self.daemons["nginx"].tail())
            time.sleep(0.02)

    # -- readiness ----------------------------------------------------------------------------
    def dig(self, name, server=RESOLVER_IP):
        p = run(["dig", "+time=2", "+tries=1", "+short", "@" + server, name, "A"], check=False)
        return p.stdout.strip()

    def https_status(self, i):
        import http.client
        import ssl
        ctx = ssl.create_default_context(cafile=self.ca_file)
        ctx.check_hostname = False   # connecting by address; the chain is still verified
        h = self.host_of(i)
        c = http.client.HTTPSConnection(host_address(h), 443, timeout=3, context=ctx)
        try:
            c.request("GET", self.path_of(i), headers={"Host": host_name(h)})
            return c.getresponse().status
        finally:
            c.close()

    def wait_ready(self, deadline=20.0):
        end = time.monotonic() + deadline
        probe = min(self.names, 7)
        while True:
            problems = []
            for name in ("nsd", "unbound", "nginx"):
                if not self.daemons[name].running():
                    raise RuntimeError("%s exited:\n%s" % (name, self.daemons[name].tail()))
            if self.dig(host_name(probe)) != host_address(probe):
                problems.append("unbound does not resolve %s yet" % host_name(probe))
            else:
                try:
                    if self.https_status(probe) != 204:
                        problems.append("nginx does not answer 204")
                except OSError as e:
                    problems.append("nginx: %s" % e)
            if not problems:
                return
            if time.monotonic() > end:
                raise RuntimeError("the bench world is not ready: %s\n%s" % (
                    "; ".join(problems), "\n".join(d.tail() for d in self.daemons.values())))
            time.sleep(0.2)
