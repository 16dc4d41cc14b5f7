"""Integration tests: `faro check` and `faro agent` in a small real world of network namespaces.

The world (tests/world/world.py) runs real daemons: nsd (two authoritative servers, one for
Meta's zones), unbound (the user's resolver and two public ones), nginx (every platform host,
HTTP and HTTPS under a private CA) and `faro agent` in a vantage namespace. Each scenario is
switched on, checked with the faro binary from the user namespace, and switched off again.

Needs root. The binary comes from $FARO_BIN (default: build/faro in the repository).
Run with tests/integration/run.
"""

import collections
import json
import os
import subprocess
import sys
import time
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tests", "world"))
import world as W  # noqa: E402

FARO_BIN = os.path.abspath(os.environ.get("FARO_BIN") or os.path.join(REPO, "build", "faro"))
SCHEMA_PATH = os.path.join(REPO, "docs", "check.schema.json")
CATALOG = os.path.join(REPO, "tests", "world", "catalog.yaml")
TOKEN = "faro-test-token-3f9c1e"
AGENT_URL = "http://%s:%d" % (W.VANTAGE_IP, W.AGENT_PORT)
ALL_PLATFORMS = ["whatsapp", "facebook", "instagram", "telegram", "x", "tiktok", "youtube", "linkedin"]
RUN_TIMEOUT = 15          # faro's --timeout
HARD_LIMIT = 60           # we kill faro if it runs longer than this

try:
    import jsonschema
except ImportError:  # reported by every test, never skipped
    jsonschema = None


def precondition_error():
    if os.geteuid() != 0:
        return ("integration tests must run as root (they create network namespaces, nft rules "
                "and daemons on port 53); run: sudo tests/integration/run")
    if jsonschema is None:
        return "python3-jsonschema is missing: apt-get install python3-jsonschema"
    for tool in ("nsd", "unbound", "nginx"):
        if not os.access("/usr/sbin/" + tool, os.X_OK):
            return "/usr/sbin/%s is missing: apt-get install nsd unbound nginx-light" % tool
    return None


def shorten(text, n=6000):
    text = text or ""
    return text if len(text) <= n else text[:n] + "\n... (%d more characters)" % (len(text) - n)


class WorldTestCase(unittest.TestCase):
    """Brings the world up once per class; always tears it down."""

    world = None
    setup_error = None
    start_agent = False

    @classmethod
    def setUpClass(cls):
        cls.setup_error = precondition_error()
        if cls.setup_error:
            return
        cls.world = W.World()
        cls.addClassCleanup(cls._teardown_world)
        try:
            cls.world.up()
            if cls.start_agent:
                cls._start_agent()
        except Exception as e:  # noqa: BLE001 - reported by every test of the class
            cls.setup_error = "the test world did not come up: %s\n%s" % (e, cls.world.logs())

    @classmethod
    def _teardown_world(cls):
        if cls.world is not None:
            cls.world.down()
            cls.world = None

    @classmethod
    def tearDownClass(cls):
        cls._teardown_world()

    @classmethod
    def _start_agent(cls):
        if not os.access(FARO_BIN, os.X_OK):
            raise RuntimeError("faro binary not found at %s (set FARO_BIN)" % FARO_BIN)
        w = cls.world
        env = dict(os.environ, FARO_AGENT_TOKEN=TOKEN, LANG="C.UTF-8")
        agent = W.Daemon("faro-agent", w.vantage,
                         [FARO_BIN, "agent", "--listen", "%s:%d" % (W.VANTAGE_IP, W.AGENT_PORT),
                          "--name", "vantage", "--ca-file", w.ca_file],
                         w.p("logs"), env=env)
        w.daemons["faro-agent"] = agent
        agent.start()
        end = time.monotonic() + 10
        while True:
            rc, code, body, _, _ = w.curl(w.user, AGENT_URL + "/v1/health", max_time=2)
            if code == 200:
                return
            if not agent.running() or time.monotonic() > end:
                raise RuntimeError("faro agent did not answer /v1/health (last: %s %r)\n%s"
                                   % (code, body, agent.tail()))
            time.sleep(0.1)

    def setUp(self):
        if self.setup_error:
            self.fail(self.setup_error)


class TestWorld(WorldTestCase):
    """The world itself, seen with dig and curl (no faro needed)."""

    def test_catalog_hosts_live_in_the_world(self):
        import re
        with open(CATALOG) as f:
            urls = re.findall(r'url:\s*"([^"]+)"', f.read())
        names = W.all_names()
        for url in urls:
            host = re.match(r"^[a-z]+://([^/:]+)", url).group(1)
            if re.match(r"^[0-9.]+$", host):
                self.assertIn(host, W.TELEGRAM_DCS, "IP literal outside the world: " + url)
            else:
                self.assertIn(host, names, "catalog host not served by the world: " + url)

    def test_every_scenario_has_its_effect(self):
        import io
        buf = io.StringIO()
        results = W.selfcheck(self.world, out=buf)
        failed = [r for r in results if not r[2]]
        self.assertFalse(failed, "world self-check failures:\n" + buf.getvalue())


class TestCheckWorld(WorldTestCase):
    """faro check against every scenario."""

    start_agent = True
    _validator = None

    # -- running faro ------------------------------------------------------------------------
    def faro(self, targets, json_out=True, lang="en", token=TOKEN, vantage=True, extra=()):
        w = self.world
        # Targets first: the repeatable options take one value each ("--opt=value").
        argv = [FARO_BIN, "check"] + list(targets)
        if json_out:
            argv.append("--json")
        argv += ["--catalog", CATALOG, "--ca-file", w.ca_file, "--timeout", str(RUN_TIMEOUT),
                 "--lang", lang]
        argv += ["--alt-resolver=" + r for r in W.PUBLIC_RESOLVERS]
        if vantage:
            argv.append("--vantage=vantage=" + AGENT_URL)
        argv += list(extra)
        env = dict(os.environ, LANG="C.UTF-8", FARO_AGENT_TOKEN=token)
        env.pop("NO_COLOR", None)
        t0 = time.monotonic()
        try:
            p = subprocess.run(["ip", "netns", "exec", w.user] + argv, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env, timeout=HARD_LIMIT)
        except subprocess.TimeoutExpired as e:
            self.fail("faro ran longer than %ds (--timeout %d): %s\nstdout:\n%s\nstderr:\n%s"
                      % (HARD_LIMIT, RUN_TIMEOUT, " ".join(argv),
                         shorten((e.stdout or b"").decode(errors="replace")),
                         shorten((e.stderr or b"").decode(errors="replace"))))
        elapsed = time.monotonic() - t0
        out = p.stdout.decode("utf-8", errors="replace")
        err = p.stderr.decode("utf-8", errors="replace")
        run = {"argv": " ".join(argv), "rc": p.returncode, "stdout": out, "stderr": err,
               "elapsed": elapsed, "doc": None}
        self.last = run
        if json_out:
            try:
                run["doc"] = json.loads(out)
            except ValueError as e:
                self.fail("faro --json did not print JSON (%s)\n%s" % (e, self.describe(run)))
            self.validate(run)
        self.assertLess(elapsed, RUN_TIMEOUT + 5,
                        "faro took %.1fs with --timeout %d\n%s" % (elapsed, RUN_TIMEOUT, self.describe(run)))
        return run

    def describe(self, run, target=None):
        s = "command: ip netns exec %s %s\nexit code: %s, %.1fs\n" % (
            self.world.user, run["argv"], run["rc"], run["elapsed"])
        if run.get("doc") is not None:
            doc = run["doc"]
            if target is not None:
                s += "target %s:\n%s\n" % (target, shorten(json.dumps(self.target(run, target, must=False),
                                                                      indent=1), 8000))
            s += "local: %s\n" % shorten(json.dumps(doc.get("local"), indent=1), 3000)
            if doc.get("errors"):
                s += "errors: %s\n" % doc["errors"]
        else:
            s += "stdout:\n%s\n" % shorten(run["stdout"])
        if run["stderr"].strip():
            s += "stderr:\n%s\n" % shorten(run["stderr"], 3000)
        return s

    def validate(self, run):
        cls = type(self)
        if cls._validator is None:
            with open(SCHEMA_PATH) as f:
                schema = json.load(f)
            vcls = jsonschema.validators.validator_for(schema)
            vcls.check_schema(schema)
            cls._validator = vcls(schema)
        errors = sorted(cls._validator.iter_errors(run["doc"]), key=lambda e: list(e.absolute_path))
        if errors:
            msg = "\n".join("  at /%s: %s" % ("/".join(map(str, e.absolute_path)), e.message[:300])
                            for e in errors[:15])
            self.fail("faro --json output does not match docs/check.schema.json:\n%s\n%s"
                      % (msg, self.describe(run)))

    def target(self, run, tid, must=True):
        for t in run["doc"]["targets"]:
            if t["target"] == tid:
                return t
        if must:
            self.fail("target %s missing from the output\n%s" % (tid, self.describe(run)))
        return None

    def expect(self, run, tid, verdict, scope="any", cause="any"):
        t = self.target(run, tid)
        got = (t["verdict"], t["scope"], t["cause"])
        want = (verdict, got[1] if scope == "any" else scope, got[2] if cause == "any" else cause)
        self.assertEqual(got, want, "%s: (verdict, scope, cause) is %s, expected %s\n%s"
                         % (tid, got, want, self.describe(run, tid)))

    def expect_rc(self, run, rc):
        self.assertEqual(run["rc"], rc, "exit code %s, expected %s\n%s" % (run["rc"], rc, self.describe(run)))

    def expect_vantage_reached(self, run, tid):
        t = self.target(run, tid)
        vs = t["vantages"]
        self.assertTrue(vs and all(v["reachable"] for v in vs),
                        "%s: the vantage was not reached\n%s" % (tid, self.describe(run, tid)))

    # -- scenarios ---------------------------------------------------------------------------
    def test_01_healthy(self):
        with self.world.scenario("healthy"):
            r = self.faro(ALL_PLATFORMS)
        for p in ALL_PLATFORMS:
            self.expect(r, p, "up", scope=None, cause=None)
        self.expect_vantage_reached(r, "whatsapp")
        local = r["doc"]["local"]
        self.assertEqual((local["network"]["status"], local["dns"]["status"]), ("ok", "ok"),
                         self.describe(r))
        self.assertEqual(len(local["network"]["references"]), 4, self.describe(r))
        self.assertEqual(sorted(a["resolver"].rsplit(":", 1)[0] for a in local["dns"]["alternatives"]),
                         sorted(W.PUBLIC_RESOLVERS), self.describe(r))
        self.expect_rc(r, 0)

    def test_02_fb2021(self):
        with self.world.scenario("fb2021"):
            r = self.faro(["facebook", "instagram", "whatsapp", "telegram"])
        for p in ("facebook", "instagram", "whatsapp"):
            self.expect(r, p, "down", scope="global", cause="dns-servfail")
        self.expect(r, "telegram", "up")
        self.assertEqual(r["doc"]["local"]["dns"]["status"], "ok", self.describe(r))
        self.expect_rc(r, 1)

    def test_03_http503(self):
        with self.world.scenario("http503"):
            r = self.faro(["x", "telegram"])
        self.expect(r, "x", "down", scope="global", cause="http-5xx")
        self.expect(r, "telegram", "up")
        self.expect_rc(r, 1)

    def test_04_slow(self):
        with self.world.scenario("slow"):
            r = self.faro(["tiktok", "telegram"])
        self.expect(r, "tiktok", "degraded", cause="slow")
        self.expect(r, "telegram", "up")
        self.expect_rc(r, 0)

    def test_05_badcert(self):
        with self.world.scenario("badcert"):
            r = self.faro(["linkedin", "telegram"])
        self.expect(r, "linkedin", "down", scope="global", cause="tls")
        self.expect(r, "telegram", "up")
        self.expect_rc(r, 1)

    def test_06_refused(self):
        with self.world.scenario("refused"):
            r = self.faro(["youtube", "telegram"])
        self.expect(r, "youtube", "down", scope="global", cause="tcp-refused")
        self.expect(r, "telegram", "up")
        self.expect_rc(r, 1)

    def test_07_linkdown(self):
        with self.world.scenario("linkdown"):
            r = self.faro(["whatsapp", "telegram", "x"])
        for p in ("whatsapp", "telegram", "x"):
            self.expect(r, p, "local-network")
        self.assertEqual(r["doc"]["local"]["network"]["status"], "down", self.describe(r))
        self.expect_rc(r, 2)

    def test_08_resolverdead(self):
        with self.world.scenario("resolverdead"):
            r = self.faro(["whatsapp", "telegram", "x"])
        for p in ("whatsapp", "telegram", "x"):
            self.expect(r, p, "local-dns")
        self.assertEqual(r["doc"]["local"]["dns"]["status"], "failing", self.describe(r))
        self.expect_rc(r, 2)

    def test_09_regional(self):
        with self.world.scenario("regional"):
            r = self.faro(["telegram", "x"])
        self.expect(r, "telegram", "down", scope="regional", cause="tcp-timeout")
        self.expect(r, "x", "up")
        self.expect_vantage_reached(r, "telegram")
        self.expect_rc(r, 1)
        # The worst case (timeouts everywhere) still ends within --timeout (15 s here).
        self.assertLessEqual(r["doc"]["duration_ms"], 15000, self.describe(r))

    def test_10_partial(self):
        with self.world.scenario("partial"):
            r = self.faro(["whatsapp", "telegram"])
        self.expect(r, "whatsapp", "partial", scope="global", cause="tcp-refused")
        self.expect(r, "telegram", "up")
        self.expect_rc(r, 1)

    def test_11_agent_auth(self):
        w = self.world
        rc, code, body, _, _ = w.curl(w.user, AGENT_URL + "/v1/health", max_time=5)
        self.assertEqual(code, 200, "GET /v1/health without a token: %s %r" % (code, body))
        probe = json.dumps({"endpoints": [{"url": "https://web.whatsapp.com/", "expect_status": "200-399"}],
                            "attempts": 1, "timeout_ms": 5000, "slow_ms": 2000})
        post = ["-X", "POST", "-H", "Content-Type: application/json", "--data", probe]
        rc, code, body, _, _ = w.curl(w.user, AGENT_URL + "/v1/probe", max_time=10, extra=post)
        self.assertEqual(code, 401, "POST /v1/probe without a token: %s %r" % (code, body))
        rc, code, body, _, _ = w.curl(w.user, AGENT_URL + "/v1/probe", max_time=10,
                                      extra=post + ["-H", "Authorization: Bearer wrong-" + TOKEN])
        self.assertEqual(code, 401, "POST /v1/probe with a wrong token: %s %r" % (code, body))
        rc, code, body, _, _ = w.curl(w.user, AGENT_URL + "/v1/probe", max_time=10,
                                      extra=post + ["-H", "Authorization: Bearer " + TOKEN])
        self.assertEqual(code, 200, "POST /v1/probe with the token: %s %r" % (code, body))
        doc = json.loads(body)
        self.assertEqual(doc.get("vantage"), "vantage", body)
        self.assertEqual([e["result"] for e in doc.get("endpoints", [])], ["ok"], body)

        with w.scenario("healthy"):
            r = self.faro(["telegram"], token="wrong-" + TOKEN)
        self.expect_rc(r, 3)
        t = self.target(r, "telegram")
        self.assertTrue(t["vantages"] and not t["vantages"][0]["reachable"],
                        "a refusing vantage should be reported unreachable\n" + self.describe(r, "telegram"))
        with w.scenario("healthy"):
            r = self.faro(["telegram"])
        self.expect(r, "telegram", "up")
        self.expect_vantage_reached(r, "telegram")
        self.expect_rc(r, 0)

    def test_12_table_spanish(self):
        with self.world.scenario("http503"):
            r = self.faro(["x", "telegram"], json_out=False, lang="es", extra=["--no-color"])
        out = r["stdout"]
        for word in ("caído", "funciona"):
            self.assertIn(word, out, "Spanish table lacks %r\n%s" % (word, self.describe(r)))
        self.assertNotIn("\x1b[", out, "colour codes with --no-color\n" + self.describe(r))
        self.expect_rc(r, 1)

    def test_13_options_before_targets(self):
        # docs/cli.md: FARO_AGENT_TOKEN=... faro check --vantage NAME=URL whatsapp
        w = self.world
        argv = [FARO_BIN, "check", "--json", "--catalog", CATALOG, "--ca-file", w.ca_file,
                "--alt-resolver", W.PUBLIC_RESOLVERS[0], "--vantage", "vantage=" + AGENT_URL,
                "telegram", "x"]
        env = dict(os.environ, LANG="C.UTF-8", FARO_AGENT_TOKEN=TOKEN)
        p = subprocess.run(["ip", "netns", "exec", w.user] + argv, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=env, timeout=HARD_LIMIT)
        run = {"argv": " ".join(argv), "rc": p.returncode, "elapsed": 0, "doc": None,
               "stdout": p.stdout.decode(errors="replace"), "stderr": p.stderr.decode(errors="replace")}
        self.assertEqual(p.returncode, 0, "a repeatable option before the targets must take one value\n"
                         + self.describe(run))
        run["doc"] = json.loads(run["stdout"])
        self.assertEqual(sorted(t["target"] for t in run["doc"]["targets"]), ["telegram", "x"],
                         self.describe(run))

    def test_15_official_status_feed(self):
        # Healthy: the feed is read and says so.
        with self.world.scenario("healthy"):
            r = self.faro(["x"], vantage=False)
        feed = self.target(r, "x")["status_feed"]
        self.assertEqual((feed["reachable"], feed["indicator"]), (True, "none"), self.describe(r, "x"))
        # X answers 503 and its status page admits a major outage: with no vantage point at all,
        # the official feed is what makes the outage "for everyone".
        with self.world.scenario("http503"):
            r = self.faro(["x"], vantage=False)
        self.expect(r, "x", "down", scope="global", cause="http-5xx")
        self.assertEqual(self.target(r, "x")["status_feed"]["indicator"], "major", self.describe(r, "x"))
        self.expect_rc(r, 1)

    def test_14_thousands_of_url_arguments(self):
        # "faro check with thousands of URL arguments must work": how a user checks their sites.
        urls = ["http://web.telegram.org/?n=%d" % i for i in range(3000)]
        with self.world.scenario("healthy"):
            r = self.faro(urls, vantage=False)
        verdicts = collections.Counter(t["verdict"] for t in r["doc"]["targets"])
        self.assertEqual(verdicts, collections.Counter({"up": 3000}), self.describe(r))
        self.assertEqual([t["target"] for t in r["doc"]["targets"]], urls, "targets keep the order asked")
        self.expect_rc(r, 0)


if __name__ == "__main__":
    unittest.main()
