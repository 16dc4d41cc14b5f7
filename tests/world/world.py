#!/usr/bin/env python3
"""A small, real "internet" inside network namespaces, for Faro's integration tests.

Three namespaces (names carry the creating process id so parallel runs never clash):

    user     192.0.2.2/28   where `faro check` runs; resolv.conf -> the ISP resolver
    world    192.0.2.1/28 (to user), 192.0.2.17/28 (to vantage); routes between them and
             hosts every service on its loopback:
                 nsd "meta"    192.0.2.129   facebook.com instagram.com whatsapp.com ...
                 nsd "other"   192.0.2.130   "." and every other zone
                 unbound "isp"       192.0.2.53     the user's resolver
                 unbound "public1"   198.51.100.1   a public alternative resolver
                 unbound "public2"   198.51.100.8   another one
                 nginx               one address per host name, ports 80/443 (+5222)
    vantage  192.0.2.18/28  where `faro agent` runs; resolv.conf -> public1

Scenarios are switched with nft rules, nginx configuration swaps, stopping a daemon or taking
a link down, and are always restored afterwards (see World.scenario).

Command line (as root):
    python3 tests/world/world.py up          bring the world up, print how to use it, wait for Ctrl-C
    python3 tests/world/world.py selfcheck   bring it up, verify every scenario with dig/curl, tear down
    python3 tests/world/world.py cleanup     remove namespaces left behind by dead runs
"""

import atexit
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG = os.path.join(HERE, "catalog.yaml")

NSD = "/usr/sbin/nsd"
UNBOUND = "/usr/sbin/unbound"
NGINX = "/usr/sbin/nginx"
IP = "ip"
NFT = "nft"
OPENSSL = "openssl"

PREFIX = "faro-"

# ---------------------------------------------------------------------------------------------
# Addresses
# ---------------------------------------------------------------------------------------------

USER_IP, USER_GW, USER_NET = "192.0.2.2", "192.0.2.1", "192.0.2.0/28"
VANTAGE_IP, VANTAGE_GW, VANTAGE_NET = "192.0.2.18", "192.0.2.17", "192.0.2.16/28"
NSD_META_IP = "192.0.2.129"
NSD_OTHER_IP = "192.0.2.130"
ISP_RESOLVER = "192.0.2.53"
PUBLIC_RESOLVERS = ["198.51.100.1", "198.51.100.8"]
BLACKHOLE_IP, BLACKHOLE_PORT = "192.0.2.254", 9  # SYNs to it are dropped: a server that never answers
AGENT_PORT = 8700
SLOW_SECONDS = 8

# Meta's zones live on their own authoritative server (the 4 October 2021 outage).
META_ZONES = ["facebook.com", "fbcdn.net", "instagram.com", "cdninstagram.com",
              "whatsapp.com", "whatsapp.net", "messenger.com"]
OTHER_ZONES = ["gstatic.com", "firefox.com", "msftconnecttest.com", "apple.com",
               "telegram.org", "x.com", "twimg.com", "tiktok.com", "tiktokapis.com",
               "youtube.com", "googleapis.com", "ytimg.com", "linkedin.com", "licdn.com",
               "twitterstat.us"]

# The reference hosts (the OS connectivity checks), HTTP only, answering like the real ones.
REFERENCES = {
    "connectivitycheck.gstatic.com": "198.51.100.100",
    "detectportal.firefox.com": "198.51.100.101",
    "www.msftconnecttest.com": "198.51.100.102",
    "captive.apple.com": "198.51.100.103",
}

# Platform hosts: name -> (platform, address, extra tcp ports). Every host answers HTTP on 80
# (a redirect to HTTPS) and HTTPS on 443.
HOSTS = {
    "web.whatsapp.com": ("whatsapp", "203.0.113.10", []),
    "v.whatsapp.net": ("whatsapp", "203.0.113.11", []),
    "mmg.whatsapp.net": ("whatsapp", "203.0.113.12", []),
    "e1.whatsapp.net": ("whatsapp-edge", "203.0.113.13", [5222]),
    "e2.whatsapp.net": ("whatsapp-edge", "203.0.113.14", [5222]),
    "e3.whatsapp.net": ("whatsapp-edge", "203.0.113.15", [5222]),
    "e4.whatsapp.net": ("whatsapp-edge", "203.0.113.16", [5222]),
    "www.instagram.com": ("instagram", "203.0.113.20", []),
    "i.instagram.com": ("instagram", "203.0.113.21", []),
    "graph.instagram.com": ("instagram", "203.0.113.22", []),
    "scontent.cdninstagram.com": ("instagram", "203.0.113.23", []),
    "www.facebook.com": ("facebook", "203.0.113.30", []),
    "graph.facebook.com": ("facebook", "203.0.113.31", []),
    "static.xx.fbcdn.net": ("facebook", "203.0.113.32", []),
    "www.messenger.com": ("messenger", "203.0.113.33", []),
    "web.telegram.org": ("telegram", "203.0.113.40", []),
    "api.telegram.org": ("telegram", "203.0.113.41", []),
    "x.com": ("x", "203.0.113.50", []),
    "api.x.com": ("x", "203.0.113.51", []),
    "abs.twimg.com": ("x", "203.0.113.52", []),
    "pbs.twimg.com": ("x", "203.0.113.53", []),
    "www.tiktok.com": ("tiktok", "203.0.113.60", []),
    "open.tiktokapis.com": ("tiktok", "203.0.113.61", []),
    "business-api.tiktok.com": ("tiktok", "203.0.113.62", []),
    "www.youtube.com": ("youtube", "203.0.113.70", []),
    "www.googleapis.com": ("youtube", "203.0.113.71", []),
    "i.ytimg.com": ("youtube", "203.0.113.72", []),
    "www.linkedin.com": ("linkedin", "203.0.113.80", []),
    "api.linkedin.com": ("linkedin", "203.0.113.81", []),
    "media.licdn.com": ("linkedin", "203.0.113.82", []),
    # X's official status page (Atlassian Statuspage JSON); its indicator follows the scenario.
    "api.twitterstat.us": ("x-status", "203.0.113.90", []),
}
STATUS_HOST = "api.twitterstat.us"
# Telegram's data centres are IP literals in the catalog (documentation range here).
TELEGRAM_DCS = ["198.51.100.50", "198.51.100.51"]


def platform_addresses(platform):
    addrs = [ip for (p, ip, _) in HOSTS.values() if p == platform]
    if platform == "telegram":
        addrs += TELEGRAM_DCS
    return addrs


def platform_hosts(platform):
    return [h for h, (p, _, _) in HOSTS.items() if p == platform]


def all_names():
    d = dict(REFERENCES)
    d.update({h: ip for h, (_, ip, _) in HOSTS.items()})
    return d


def zone_of(name):
    for z in META_ZONES + OTHER_ZONES:
        if name == z or name.endswith("." + z):
            return z
    raise ValueError("no zone for " + name)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def run(argv, check=True, timeout=30, **kw):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=timeout, **kw)
    if check and p.returncode != 0:
        raise RuntimeError("command failed (%d): %s\n%s%s" % (p.returncode, " ".join(argv),
                                                             p.stdout, p.stderr))
    return p


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def cleanup_stale():
    """Delete faro-<pid>-* namespaces (and their /etc/netns dirs) whose creator is gone."""
    out = run([IP, "netns", "list"], check=False).stdout
    removed = []
    for line in out.splitlines():
        name = line.split()[0] if line.strip() else ""
        parts = name.split("-")
        if len(parts) >= 3 and name.startswith(PREFIX) and parts[1].isdigit():
            if not pid_alive(int(parts[1])):
                kill_netns_pids(name)
                run([IP, "netns", "del", name], check=False)
                shutil.rmtree(os.path.join("/etc/netns", name), ignore_errors=True)
                removed.append(name)
    return removed


def kill_netns_pids(ns):
    out = run([IP, "netns", "pids", ns], check=False).stdout
    for tok in out.split():
        if tok.isdigit():
            try:
                os.kill(int(tok), signal.SIGKILL)
            except ProcessLookupError:
                pass


class Daemon:
    def __init__(self, name, ns, argv, logdir, env=None):
        self.name, self.ns, self.argv, self.env = name, ns, argv, env
        self.log = os.path.join(logdir, name + ".log")
        self.proc = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def start(self):
        # ns None: in the caller's own namespace.
        logf = open(self.log, "ab")
        self.proc = subprocess.Popen(([IP, "netns", "exec", self.ns] if self.ns else []) + self.argv,
                                     stdin=subprocess.DEVNULL, stdout=logf,
                                     stderr=subprocess.STDOUT, start_new_session=True,
                                     env=self.env)
        logf.close()

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
            except ProcessLookupError:
                pass
        self.proc = None

    def tail(self, n=40):
        try:
            with open(self.log, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""


# ---------------------------------------------------------------------------------------------
# The world
# ---------------------------------------------------------------------------------------------

_LIVE = []


def down_all():
    """Tear down every world this process brought up (for signal handlers)."""
    for w in list(_LIVE):
        w.down()


class World:
    def __init__(self, keep_dir=None):
        pid = os.getpid()
        self.user = "%s%d-user" % (PREFIX, pid)
        self.world = "%s%d-world" % (PREFIX, pid)
        self.vantage = "%s%d-vantage" % (PREFIX, pid)
        self.dir = None
        self.daemons = {}
        self.nginx_modes = {}
        self.active = None
        self._up = False
        self.keep_dir = keep_dir if keep_dir is not None else bool(os.environ.get("FARO_WORLD_KEEP"))

    # -- paths -------------------------------------------------------------------------------
    @property
    def ca_file(self):
        return os.path.join(self.dir, "pki", "ca.pem")

    def p(self, *parts):
        return os.path.join(self.dir, *parts)

    # -- life cycle --------------------------------------------------------------------------
    def up(self):
        if os.geteuid() != 0:
            raise RuntimeError("the test world needs root (network namespaces, nft, daemons on port 53)")
        for tool in (NSD, UNBOUND, NGINX):
            if not os.access(tool, os.X_OK):
                raise RuntimeError("missing %s (apt-get install nsd unbound nginx-light)" % tool)
        cleanup_stale()
        atexit.register(self.down)
        _LIVE.append(self)
        self._up = True
        self.dir = tempfile.mkdtemp(prefix="faro-world-")
        os.makedirs(self.p("logs"))
        try:
            self._make_pki()
            self._make_netns()
            self._make_nft()
            self._make_dns()
            self._start_dns()
            self.set_nginx({})
            self.wait_ready()
        except BaseException:
            self.down()
            raise
        return self

    def down(self):
        if not self._up:
            return
        self._up = False
        if self in _LIVE:
            _LIVE.remove(self)
        for d in list(self.daemons.values()):
            try:
                d.stop()
            except Exception:
                pass
        for ns in (self.user, self.vantage, self.world):
            kill_netns_pids(ns)
            run([IP, "netns", "del", ns], check=False)
            shutil.rmtree(os.path.join("/etc/netns", ns), ignore_errors=True)
        if self.dir and not self.keep_dir:
            shutil.rmtree(self.dir, ignore_errors=True)
        elif self.dir:
            sys.stderr.write("faro world: kept %s\n" % self.dir)

    def __enter__(self):
        return self.up()

    def __exit__(self, *exc):
        self.down()

    def ns_exec(self, ns, argv, **kw):
        return run([IP, "netns", "exec", ns] + argv, **kw)

    def logs(self, n=30):
        return "\n".join("--- %s ---\n%s" % (k, d.tail(n)) for k, d in self.daemons.items())

    # -- PKI ---------------------------------------------------------------------------------
    def _make_pki(self):
        d = self.p("pki")
        os.makedirs(os.path.join(d, "newcerts"))
        o = lambda *a: run([OPENSSL] + list(a), cwd=d)
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        o("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
          "-subj", "/O=Faro test world/CN=Faro Test World CA",
          "-addext", "basicConstraints=critical,CA:TRUE",
          "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        names = list(HOSTS)

        def leaf(stem, cn, sans, signer="ca", dates=None):
            san = ",".join("DNS:" + n for n in sans)
            o("req", *ec, "-keyout", stem + ".key", "-out", stem + ".csr", "-subj", "/CN=" + cn,
              "-addext", "subjectAltName=" + san)
            ext = os.path.join(d, stem + ".ext")
            with open(ext, "w") as f:
                f.write("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n"
                        "extendedKeyUsage=serverAuth\nsubjectAltName=%s\n" % san)
            if signer == "self":
                o("x509", "-req", "-in", stem + ".csr", "-signkey", stem + ".key", "-days", "30",
                  "-extfile", ext, "-out", stem + ".pem")
            elif dates:
                with open(os.path.join(d, "ca.cnf"), "w") as f:
                    f.write("[ca]\ndefault_ca=cad\n[cad]\ndatabase=index.txt\nnew_certs_dir=newcerts\n"
                            "serial=serial\ndefault_md=sha256\npolicy=pol\nunique_subject=no\n"
                            "[pol]\ncommonName=supplied\n")
                open(os.path.join(d, "index.txt"), "w").close()
                with open(os.path.join(d, "serial"), "w") as f:
                    f.write("1000\n")
                o("ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key",
                  "-in", stem + ".csr", "-out", stem + ".pem", "-notext", "-extfile", ext,
                  "-startdate", dates[0], "-enddate", dates[1])
            else:
                o("x509", "-req", "-in", stem + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                  "-CAcreateserial", "-days", "30", "-extfile", ext, "-out", stem + ".pem")

        leaf("good", names[0], names)
        leaf("wrongname", "wrong-name.invalid", ["wrong-name.invalid"])          # trusted CA, other name
        leaf("untrusted", names[0], names, signer="self")                       # self-signed
        leaf("expired", names[0], names, dates=("20200101000000Z", "20200201000000Z"))

    # -- namespaces and routes ----------------------------------------------------------------
    def _make_netns(self):
        for ns in (self.user, self.world, self.vantage):
            run([IP, "netns", "add", ns])
            run([IP, "-n", ns, "link", "set", "lo", "up"])
        w = self.world
        run([IP, "-n", w, "link", "add", "to-user", "type", "veth", "peer", "name", "eth0",
             "netns", self.user])
        run([IP, "-n", w, "link", "add", "to-vantage", "type", "veth", "peer", "name", "eth0",
             "netns", self.vantage])
        run([IP, "-n", w, "addr", "add", USER_GW + "/28", "dev", "to-user"])
        run([IP, "-n", w, "addr", "add", VANTAGE_GW + "/28", "dev", "to-vantage"])
        run([IP, "-n", w, "link", "set", "to-user", "up"])
        run([IP, "-n", w, "link", "set", "to-vantage", "up"])
        for ns, addr, gw in ((self.user, USER_IP, USER_GW), (self.vantage, VANTAGE_IP, VANTAGE_GW)):
            run([IP, "-n", ns, "addr", "add", addr + "/28", "dev", "eth0"])
            run([IP, "-n", ns, "link", "set", "eth0", "up"])
            run([IP, "-n", ns, "route", "add", "default", "via", gw])
        self.ns_exec(w, ["sysctl", "-qw", "net.ipv4.ip_forward=1"])
        service = [NSD_META_IP, NSD_OTHER_IP, ISP_RESOLVER, BLACKHOLE_IP] + PUBLIC_RESOLVERS
        service += list(all_names().values()) + TELEGRAM_DCS
        batch = "".join("address add %s/32 dev lo\n" % a for a in sorted(set(service)))
        run([IP, "-n", w, "-batch", "-"], input=batch)
        for ns, resolver in ((self.user, ISP_RESOLVER), (self.vantage, PUBLIC_RESOLVERS[0])):
            d = os.path.join("/etc/netns", ns)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "resolv.conf"), "w") as f:
                f.write("# faro test world\nnameserver %s\noptions timeout:2 attempts:1\n" % resolver)

    def _make_nft(self):
        rules = """
table inet faro {
    chain input {
        type filter hook input priority 0; policy accept;
        ip daddr %s tcp dport %d drop
        jump scenario
    }
    chain scenario {
    }
}
""" % (BLACKHOLE_IP, BLACKHOLE_PORT)
        self.ns_exec(self.world, [NFT, "-f", "-"], input=rules)

    def nft_scenario(self, rules):
        self.ns_exec(self.world, [NFT, "-f", "-"],
                     input="".join("add rule inet faro scenario %s\n" % r for r in rules))

    def nft_clear(self):
        self.ns_exec(self.world, [NFT, "flush", "chain", "inet", "faro", "scenario"])

    # -- DNS ----------------------------------------------------------------------------------
    def _make_dns(self):
        names = all_names()
        for inst, ip, zones in (("nsd-meta", NSD_META_IP, META_ZONES),
                                ("nsd-other", NSD_OTHER_IP, ["."] + OTHER_ZONES)):
            d = self.p(inst)
            os.makedirs(d)
            conf = ["server:",
                    "    ip-address: %s" % ip,
                    "    port: 53",
                    "    do-ip6: no",
                    "    username: \"\"",
                    "    chroot: \"\"",
                    "    database: \"\"",
                    "    zonesdir: \"%s\"" % d,
                    "    zonelistfile: \"%s/zone.list\"" % d,
                    "    xfrdfile: \"%s/xfrd.state\"" % d,
                    "    xfrdir: \"%s\"" % d,
                    "    pidfile: \"%s/nsd.pid\"" % d,
                    "    server-count: 1",
                    "    verbosity: 1",
                    "    hide-version: yes",
                    "remote-control:",
                    "    control-enable: no"]
            nsname = "ns.%s." % inst
            for z in zones:
                fname = "root.zone" if z == "." else z + ".zone"
                origin = "." if z == "." else z + "."
                lines = ["$ORIGIN %s" % origin, "$TTL 5",
                         "@ IN SOA %s hostmaster.faro.invalid. 1 3600 600 86400 5" % nsname,
                         "@ IN NS %s" % nsname]
                if z != ".":
                    for n, a in sorted(names.items()):
                        if zone_of(n) == z:
                            lines.append("%s. IN A %s" % (n, a))
                with open(os.path.join(d, fname), "w") as f:
                    f.write("\n".join(lines) + "\n")
                conf += ["zone:", "    name: \"%s\"" % origin, "    zonefile: \"%s\"" % fname]
            with open(os.path.join(d, "nsd.conf"), "w") as f:
                f.write("\n".join(conf) + "\n")
            self.daemons[inst] = Daemon(inst, self.world, [NSD, "-d", "-c", os.path.join(d, "nsd.conf")],
                                        self.p("logs"))

        for inst, ip in (("unbound-isp", ISP_RESOLVER), ("unbound-public1", PUBLIC_RESOLVERS[0]),
                         ("unbound-public2", PUBLIC_RESOLVERS[1])):
            d = self.p(inst)
            os.makedirs(d)
            conf = ["server:",
                    "    interface: %s" % ip,
                    "    port: 53",
                    "    do-ip6: no",
                    "    do-daemonize: no",
                    "    username: \"\"",
                    "    chroot: \"\"",
                    "    directory: \"%s\"" % d,
                    "    pidfile: \"%s/unbound.pid\"" % d,
                    "    use-syslog: no",
                    "    logfile: \"\"",
                    "    verbosity: 1",
                    "    num-threads: 1",
                    "    access-control: 0.0.0.0/0 allow",
                    "    module-config: \"iterator\"",
                    "    qname-minimisation: no",
                    "    prefetch: no",
                    "    serve-expired: no",
                    "    cache-max-ttl: 5",
                    "    cache-max-negative-ttl: 1",
                    "    infra-host-ttl: 60",
                    # Unbound takes an ICMP error for a timeout; capping the retransmission
                    # timeout makes an unreachable authoritative server a SERVFAIL in < 1 s
                    # (instead of a silently dropped query after discard-timeout).
                    "    infra-cache-max-rtt: 500",
                    "    udp-connect: yes",
                    "    outgoing-range: 256",
                    "    so-reuseport: no",
                    "remote-control:",
                    "    control-enable: no",
                    "stub-zone:",
                    "    name: \".\"",
                    "    stub-addr: %s" % NSD_OTHER_IP]
            for z in OTHER_ZONES:
                conf += ["stub-zone:", "    name: \"%s.\"" % z, "    stub-addr: %s" % NSD_OTHER_IP]
            for z in META_ZONES:
                conf += ["stub-zone:", "    name: \"%s.\"" % z, "    stub-addr: %s" % NSD_META_IP]
            with open(os.path.join(d, "unbound.conf"), "w") as f:
                f.write("\n".join(conf) + "\n")
            self.daemons[inst] = Daemon(inst, self.world,
                                        [UNBOUND, "-d", "-c", os.path.join(d, "unbound.conf")],
                                        self.p("logs"))

    def _start_dns(self):
        for name in ("nsd-meta", "nsd-other", "unbound-isp", "unbound-public1", "unbound-public2"):
            self.daemons[name].start()

    def restart_resolvers(self):
        """Forget every cached answer and every server marked down."""
        for name in ("unbound-isp", "unbound-public1", "unbound-public2"):
            self.daemons[name].stop()
            self.daemons[name].start()
        self.wait_dns([ISP_RESOLVER] + PUBLIC_RESOLVERS)

    def dig(self, ns, name, server=None, rtype="A", extra=()):
        argv = ["dig", "+time=4", "+tries=1", name, rtype]
        if server:
            argv.insert(1, "@" + server)
        argv += list(extra)
        t0 = time.monotonic()
        p = self.ns_exec(ns, argv, check=False, timeout=20)
        dt = time.monotonic() - t0
        status = None
        for line in p.stdout.splitlines():
            if "->>HEADER<<-" in line and "status:" in line:
                status = line.split("status:")[1].split(",")[0].strip()
        answers = [l.split()[-1] for l in p.stdout.splitlines()
                   if l and not l.startswith(";") and "\tA\t" in l.replace(" ", "\t")]
        return {"status": status or "TIMEOUT", "answers": answers, "seconds": dt, "raw": p.stdout}

    def wait_dns(self, servers, deadline=10.0):
        end = time.monotonic() + deadline
        for s in servers:
            while True:
                r = self.dig(self.world, "connectivitycheck.gstatic.com", s)
                if r["status"] == "NOERROR" and r["answers"]:
                    break
                if time.monotonic() > end:
                    raise RuntimeError("resolver %s not ready: %s\n%s" % (s, r["raw"], self.logs()))
                time.sleep(0.1)

    def wait_link(self, deadline=5.0):
        """The kernel reports a new link's operstate asynchronously (linkwatch): wait for it."""
        end = time.monotonic() + deadline
        for ns in (self.user, self.vantage):
            while True:
                st = self.ns_exec(ns, ["cat", "/sys/class/net/eth0/operstate"], check=False).stdout.strip()
                if st == "up":
                    break
                if time.monotonic() > end:
                    raise RuntimeError("eth0 in %s stays %r" % (ns, st))
                time.sleep(0.05)

    def wait_ready(self):
        self.wait_link()
        self.wait_dns([ISP_RESOLVER] + PUBLIC_RESOLVERS)
        r = self.dig(self.world, "www.facebook.com", ISP_RESOLVER)
        if r["answers"] != [HOSTS["www.facebook.com"][1]]:
            raise RuntimeError("meta nsd not answering: %s\n%s" % (r["raw"], self.logs()))

    # -- web ---------------------------------------------------------------------------------
    def _nginx_conf(self, modes):
        """modes: host -> ok | 503 | slow | absent | wrongname | untrusted | expired"""
        d = self.p("nginx")
        os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
        pki = self.p("pki")
        out = ["daemon off;", "master_process on;", "worker_processes 1;",
               "pid %s/nginx.pid;" % d, "error_log %s/error.log warn;" % d,
               "events { worker_connections 4096; }",
               "http {",
               "  access_log off;",
               "  server_tokens off;",
               "  client_body_temp_path %s/tmp/body;" % d,
               "  proxy_temp_path %s/tmp/proxy;" % d,
               "  fastcgi_temp_path %s/tmp/fastcgi;" % d,
               "  uwsgi_temp_path %s/tmp/uwsgi;" % d,
               "  scgi_temp_path %s/tmp/scgi;" % d,
               "  default_type text/plain;",
               "  keepalive_timeout 5s;",
               "  ssl_protocols TLSv1.2 TLSv1.3;"]
        # Reference hosts: exactly what the real connectivity checks answer.
        ref_body = {
            "connectivitycheck.gstatic.com": "location = /generate_204 { return 204; }",
            "detectportal.firefox.com":
                "location = /success.txt { return 200 \"success\\n\"; }",
            "www.msftconnecttest.com":
                "location = /connecttest.txt { return 200 \"Microsoft Connect Test\"; }",
            "captive.apple.com":
                "location = /hotspot-detect.html { default_type text/html; return 200 "
                "\"<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>\"; }",
        }
        for host, ip in REFERENCES.items():
            out += ["  server { listen %s:80; server_name %s;" % (ip, host),
                    "    " + ref_body[host],
                    "    location / { return 404; } }"]

        for host, (platform, ip, extra_ports) in HOSTS.items():
            mode = modes.get(host, "ok")
            if mode == "absent":
                continue
            if mode == "503":
                body = "location / { return 503 \"service unavailable\\n\"; }"
                plain = body
            elif mode == "slow":
                body = ("location / { proxy_pass http://%s:%d; proxy_connect_timeout %ds; "
                        "error_page 502 504 = @late; }\n"
                        "    location @late { default_type text/html; return 200 \"<html>%s (late)</html>\\n\"; }"
                        % (BLACKHOLE_IP, BLACKHOLE_PORT, SLOW_SECONDS, host))
                plain = body
            elif host == STATUS_HOST:
                indicator = modes.get("status-indicator", "none")
                status = json.dumps({"page": {"id": "world", "name": "X"},
                                     "status": {"indicator": indicator,
                                                "description": "Major Service Outage" if indicator == "major"
                                                else "All Systems Operational"}})
                body = ("location = /api/v2/status.json { default_type application/json; return 200 '%s'; }"
                        % status)
                plain = "location / { return 301 https://$host$request_uri; }"
            else:
                body = ("location / { default_type text/html; return 200 \"<html>%s</html>\\n\"; }" % host)
                plain = "location / { return 301 https://$host$request_uri; }"
            cert = {"wrongname": "wrongname", "untrusted": "untrusted", "expired": "expired"}.get(mode, "good")
            out += ["  server { listen %s:80; server_name %s;" % (ip, host), "    " + plain, "  }",
                    "  server { listen %s:443 ssl; server_name %s;" % (ip, host),
                    "    ssl_certificate %s/%s.pem; ssl_certificate_key %s/%s.key;" % (pki, cert, pki, cert),
                    "    " + body, "  }"]
            for port in extra_ports:
                out += ["  server { listen %s:%d; server_name %s;" % (ip, port, host),
                        "    location / { return 200 \"ok\\n\"; } }"]
        # Telegram's data centres: TCP on 80 and 443.
        if modes.get("telegram-dc", "ok") != "absent":
            for ip in TELEGRAM_DCS:
                for port in (80, 443):
                    out += ["  server { listen %s:%d; location / { return 200 \"dc\\n\"; } }" % (ip, port)]
        out.append("}")
        path = os.path.join(d, "nginx-%d.conf" % int(time.monotonic() * 1000))
        with open(path, "w") as f:
            f.write("\n".join(out) + "\n")
        return path

    def set_nginx(self, modes):
        """(Re)start nginx with the given per-host modes; returns once it listens."""
        conf = self._nginx_conf(modes)
        self.ns_exec(self.world, [NGINX, "-t", "-q", "-c", conf, "-e", "stderr"])
        old = self.daemons.get("nginx")
        if old:
            old.stop()
        pidfile = self.p("nginx", "nginx.pid")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(pidfile)
        d = Daemon("nginx", self.world, [NGINX, "-c", conf, "-e", "stderr"], self.p("logs"))
        self.daemons["nginx"] = d
        d.start()
        end = time.monotonic() + 10
        while not os.path.exists(pidfile):   # nginx writes its pid file after binding every socket
            if not d.running() or time.monotonic() > end:
                raise RuntimeError("nginx did not start:\n" + d.tail())
            time.sleep(0.05)
        self.nginx_modes = dict(modes)

    # -- curl from a namespace ---------------------------------------------------------------
    def curl(self, ns, url, max_time=12, extra=()):
        """-> (exit code, http status, body, seconds)"""
        argv = ["curl", "-sS", "--cacert", self.ca_file, "-m", str(max_time), "-o", "-",
                "-w", "\n%{http_code} %{time_total}"] + list(extra) + [url]
        p = self.ns_exec(ns, argv, check=False, timeout=max_time + 10)
        body, _, tail = p.stdout.rpartition("\n")
        code, _, secs = tail.partition(" ")
        return p.returncode, int(code or 0), body, float(secs or 0), p.stderr

    def tcp(self, ns, ip, port, timeout=3):
        """-> 'ok' | 'refused' | 'timeout' | 'unreachable' | other errno name"""
        code = ("import socket,sys\n"
                "s=socket.socket(); s.settimeout(%f)\n"
                "try:\n s.connect((%r,%d)); print('ok')\n"
                "except socket.timeout: print('timeout')\n"
                "except ConnectionRefusedError: print('refused')\n"
                "except OSError as e: print('unreachable' if e.errno in (101,113) else 'errno%%d' %% e.errno)\n"
                % (timeout, ip, port))
        return self.ns_exec(ns, ["python3", "-c", code], check=False, timeout=timeout + 10).stdout.strip()

    # -- scenarios ---------------------------------------------------------------------------
    SCENARIOS = ["healthy", "fb2021", "http503", "slow", "badcert", "refused",
                 "linkdown", "resolverdead", "regional", "partial"]

    def apply(self, name):
        if name == "healthy":
            pass
        elif name == "fb2021":
            # Meta's authoritative servers drop off the internet: every packet to them is
            # answered "host unreachable", so resolvers give SERVFAIL at once.
            self.nft_scenario(["ip daddr %s reject with icmp type host-unreachable" % NSD_META_IP])
            self.restart_resolvers()
        elif name == "http503":
            # X's servers answer 503, and its official status page admits a major outage.
            modes = {h: "503" for h in platform_hosts("x")}
            modes["status-indicator"] = "major"
            self.set_nginx(modes)
        elif name == "slow":
            self.set_nginx({h: "slow" for h in platform_hosts("tiktok")})
        elif name == "badcert":
            self.set_nginx({"www.linkedin.com": "wrongname", "api.linkedin.com": "untrusted",
                            "media.licdn.com": "expired"})
        elif name == "refused":
            self.set_nginx({h: "absent" for h in platform_hosts("youtube")})
        elif name == "linkdown":
            run([IP, "-n", self.user, "link", "set", "eth0", "down"])
            end = time.monotonic() + 5
            while self.ns_exec(self.user, ["cat", "/sys/class/net/eth0/operstate"],
                               check=False).stdout.strip() == "up" and time.monotonic() < end:
                time.sleep(0.05)
        elif name == "resolverdead":
            self.daemons["unbound-isp"].stop()
        elif name == "regional":
            addrs = ", ".join(platform_addresses("telegram"))
            self.nft_scenario(["ip saddr %s ip daddr { %s } drop" % (USER_NET, addrs)])
        elif name == "partial":
            self.set_nginx({h: "absent" for h in platform_hosts("whatsapp-edge")})
        else:
            raise ValueError("unknown scenario " + name)
        self.active = name

    def restore(self):
        name, self.active = self.active, None
        if name in (None, "healthy"):
            return
        if name == "fb2021":
            self.nft_clear()
            self.restart_resolvers()
        elif name in ("http503", "slow", "badcert", "refused", "partial"):
            self.set_nginx({})
        elif name == "linkdown":
            run([IP, "-n", self.user, "link", "set", "eth0", "up"])
            run([IP, "-n", self.user, "route", "replace", "default", "via", USER_GW])
            self.wait_link()
        elif name == "resolverdead":
            self.daemons["unbound-isp"].start()
            self.wait_dns([ISP_RESOLVER])
        elif name == "regional":
            self.nft_clear()

    @contextlib.contextmanager
    def scenario(self, name):
        self.apply(name)
        try:
            yield self
        finally:
            self.restore()


# ---------------------------------------------------------------------------------------------
# Self-check: every scenario's effect seen with dig and curl (no faro needed)
# ---------------------------------------------------------------------------------------------

def selfcheck(w, out=sys.stdout):
    """Yields (scenario, check description, ok, detail)."""
    U, V = w.user, w.vantage

    def https(ns, host, path="/"):
        return w.curl(ns, "https://%s%s" % (host, path))

    def http(ns, url):
        return w.curl(ns, url)

    results = []

    def check(scn, what, ok, detail=""):
        results.append((scn, what, bool(ok), detail))
        out.write("%-4s %-12s %s%s\n" % ("ok" if ok else "FAIL", scn, what,
                                        "" if ok else "\n      " + str(detail)[:600]))
        out.flush()

    with w.scenario("healthy"):
        for ns in (U, V):
            for host, ip in all_names().items():
                r = w.dig(ns, host)
                if r["answers"] != [ip]:
                    check("healthy", "dig %s from %s" % (host, ns), False, r["raw"])
                    break
            else:
                check("healthy", "every name resolves from %s" % ns, True)
        for s in PUBLIC_RESOLVERS:
            r = w.dig(U, "web.whatsapp.com", s)
            check("healthy", "public resolver %s answers" % s, r["answers"] == [HOSTS["web.whatsapp.com"][1]], r["raw"])
        r = w.dig(U, "metastatus.com")
        check("healthy", "names outside the world are NXDOMAIN", r["status"] == "NXDOMAIN", r["raw"])
        rc, code, body, _, err = http(U, "http://connectivitycheck.gstatic.com/generate_204")
        check("healthy", "generate_204 -> 204", code == 204 and body == "", (rc, code, body, err))
        rc, code, body, _, err = http(U, "http://detectportal.firefox.com/success.txt")
        check("healthy", "success.txt -> 200 success", code == 200 and body.strip() == "success", (rc, code, body, err))
        rc, code, body, _, err = http(U, "http://www.msftconnecttest.com/connecttest.txt")
        check("healthy", "connecttest.txt", code == 200 and body == "Microsoft Connect Test", (rc, code, body, err))
        rc, code, body, _, err = http(U, "http://captive.apple.com/hotspot-detect.html")
        check("healthy", "hotspot-detect.html", code == 200 and "Success" in body, (rc, code, body, err))
        bad = []
        for host in HOSTS:
            rc, code, body, _, err = https(U, host)
            if code != 200:
                bad.append((host, rc, code, err))
        check("healthy", "https 200 on every platform host (user)", not bad, bad)
        rc, code, body, _, err = https(V, "web.whatsapp.com")
        check("healthy", "https from the vantage", code == 200, (rc, code, err))
        rc, code, body, _, err = http(U, "http://web.whatsapp.com/")
        check("healthy", "http://web.whatsapp.com/ -> 301", code == 301, (rc, code, err))
        check("healthy", "tcp e1.whatsapp.net:5222", w.tcp(U, HOSTS["e1.whatsapp.net"][1], 5222) == "ok")
        check("healthy", "tcp telegram DC :443", w.tcp(U, TELEGRAM_DCS[0], 443) == "ok")

    with w.scenario("fb2021"):
        for s in [ISP_RESOLVER] + PUBLIC_RESOLVERS:
            r = w.dig(U, "www.facebook.com", s)
            check("fb2021", "www.facebook.com @%s SERVFAIL in <3s" % s,
                  r["status"] == "SERVFAIL" and r["seconds"] < 3, "%s %.2fs" % (r["status"], r["seconds"]))
        r = w.dig(U, "web.whatsapp.com")
        check("fb2021", "web.whatsapp.com SERVFAIL again (cached or not)", r["status"] == "SERVFAIL", r["raw"])
        r = w.dig(V, "i.instagram.com")
        check("fb2021", "vantage also SERVFAIL", r["status"] == "SERVFAIL", r["raw"])
        r = w.dig(U, "web.telegram.org")
        check("fb2021", "telegram still resolves", r["answers"] == [HOSTS["web.telegram.org"][1]], r["raw"])
    r = w.dig(U, "www.facebook.com")
    check("fb2021", "restored: facebook resolves", r["answers"] == [HOSTS["www.facebook.com"][1]], r["raw"])

    with w.scenario("http503"):
        rc, code, *_ = https(U, "x.com")
        check("http503", "https://x.com/ -> 503", code == 503, code)
        rc, code, *_ = https(V, "pbs.twimg.com")
        check("http503", "pbs.twimg.com -> 503 from vantage", code == 503, code)
        rc, code, *_ = https(U, "web.telegram.org")
        check("http503", "telegram still 200", code == 200, code)
    check("http503", "restored", https(U, "x.com")[1] == 200)

    with w.scenario("slow"):
        rc, code, body, secs, err = https(U, "www.tiktok.com")
        check("slow", "tiktok answers 200 after >= %ds" % SLOW_SECONDS,
              code == 200 and SLOW_SECONDS - 0.5 <= secs < SLOW_SECONDS + 3, (rc, code, secs, err))
        rc, code, body, secs, err = https(U, "x.com")
        check("slow", "x is fast", code == 200 and secs < 1, (code, secs))
    rc, code, body, secs, err = https(U, "www.tiktok.com")
    check("slow", "restored", code == 200 and secs < 1, (code, secs))

    with w.scenario("badcert"):
        for host, why in (("www.linkedin.com", "wrong name"), ("api.linkedin.com", "untrusted"),
                          ("media.licdn.com", "expired")):
            rc, code, body, secs, err = https(U, host)
            check("badcert", "%s fails TLS (%s)" % (host, why), rc in (35, 51, 60), (rc, err.strip()))
    check("badcert", "restored", https(U, "www.linkedin.com")[1] == 200)

    with w.scenario("refused"):
        for host in platform_hosts("youtube"):
            rc, code, body, secs, err = https(U, host)
            check("refused", "%s connection refused" % host, rc == 7 and secs < 1, (rc, err.strip(), secs))
    check("refused", "restored", https(U, "www.youtube.com")[1] == 200)

    with w.scenario("linkdown"):
        rc, code, body, secs, err = http(U, "http://connectivitycheck.gstatic.com/generate_204")
        check("linkdown", "references unreachable", code == 0 and rc != 0, (rc, err.strip()))
        r = w.dig(U, "web.whatsapp.com")
        check("linkdown", "resolver unreachable", r["status"] == "TIMEOUT", r["raw"][-300:])
        out_ = w.ns_exec(U, [IP, "route", "show", "default"]).stdout.strip()
        check("linkdown", "no default route", out_ == "", out_)
    check("linkdown", "restored", http(U, "http://connectivitycheck.gstatic.com/generate_204")[1] == 204)

    with w.scenario("resolverdead"):
        r = w.dig(U, "web.whatsapp.com")
        check("resolverdead", "user resolver fails", not r["answers"], r["raw"][-300:])
        r = w.dig(U, "web.whatsapp.com", PUBLIC_RESOLVERS[1])
        check("resolverdead", "public resolver answers", r["answers"] == [HOSTS["web.whatsapp.com"][1]], r["raw"])
        rc, code, *_ = http(U, "http://connectivitycheck.gstatic.com/generate_204")  # by name: fails
        check("resolverdead", "by-name fetch fails", code == 0, rc)
    r = w.dig(U, "web.whatsapp.com")
    check("resolverdead", "restored", r["answers"] == [HOSTS["web.whatsapp.com"][1]], r["raw"])

    with w.scenario("regional"):
        rc, code, body, secs, err = w.curl(U, "https://web.telegram.org/", max_time=3)
        check("regional", "telegram times out from the user", code == 0 and rc == 28, (rc, err.strip()))
        check("regional", "telegram DC times out from the user", w.tcp(U, TELEGRAM_DCS[0], 443, 2) == "timeout")
        rc, code, *_ = https(V, "web.telegram.org")
        check("regional", "telegram works from the vantage", code == 200, (rc, code))
        check("regional", "telegram DC works from the vantage", w.tcp(V, TELEGRAM_DCS[1], 80) == "ok")
        r = w.dig(U, "api.telegram.org")
        check("regional", "telegram names still resolve for the user", r["answers"] == [HOSTS["api.telegram.org"][1]])
    check("regional", "restored", https(U, "web.telegram.org")[1] == 200)

    with w.scenario("partial"):
        rc, code, *_ = https(U, "web.whatsapp.com")
        check("partial", "whatsapp web still 200", code == 200, code)
        res = [w.tcp(U, HOSTS["e%d.whatsapp.net" % i][1], port) for i in range(1, 5) for port in (443, 5222)]
        check("partial", "e1..e4 refuse on 443 and 5222", res == ["refused"] * 8, res)
    check("partial", "restored", w.tcp(U, HOSTS["e2.whatsapp.net"][1], 5222) == "ok")
    return results


def _sigterm(*_):
    down_all()
    os._exit(143)


def main(argv):
    cmd = argv[1] if len(argv) > 1 else "up"
    signal.signal(signal.SIGTERM, _sigterm)
    if cmd == "cleanup":
        print("removed:", " ".join(cleanup_stale()) or "nothing")
        return 0
    w = World()
    if cmd == "selfcheck":
        w.up()
        try:
            res = selfcheck(w)
        finally:
            w.down()
        failed = [r for r in res if not r[2]]
        print("%d checks, %d failed" % (len(res), len(failed)))
        return 1 if failed else 0
    if cmd == "up":
        w.up()
        try:
            scn = argv[2] if len(argv) > 2 else "healthy"
            w.apply(scn)
            print("world up (scenario %s); run dir %s" % (scn, w.dir))
            print("  user ns:    %s  (resolver %s)" % (w.user, ISP_RESOLVER))
            print("  vantage ns: %s  (%s, resolver %s)" % (w.vantage, VANTAGE_IP, PUBLIC_RESOLVERS[0]))
            print("  world ns:   %s" % w.world)
            print("  CA:         %s" % w.ca_file)
            print("  try: ip netns exec %s curl --cacert %s https://web.whatsapp.com/" % (w.user, w.ca_file))
            print("Ctrl-C to tear down")
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            w.down()
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
