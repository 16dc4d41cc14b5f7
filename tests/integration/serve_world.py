"""What the integration tests of `faro serve` share (test_watch_world, test_plan_world): fake
providers started in the user namespace, the serve's folder (token files, API tokens, the
customers imported), `faro serve` with a pushing `faro agent` in the vantage namespace, and
asking its API. Each test keeps its own faro.yaml, fakes and constants; a test class sets
PORT, ADMIN, VIEWER and AGENT and writes `_start_serve`.
"""
import email
import email.policy
import json
import os
import select
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tests", "world"))
import world as W  # noqa: E402
from test_check_world import CATALOG, WorldTestCase, FARO_BIN, shorten  # noqa: E402

PYTHON = "/usr/bin/python3"
FAKES = os.path.join(REPO, "tests", "fakes")


class NsFake:
    """A fake provider started inside a namespace (its loopback is the namespace's)."""

    def __init__(self, world, name, *args):
        self.log = world.p("logs", "fake-%s.log" % name)
        with open(self.log, "wb") as err:
            self.proc = subprocess.Popen([W.IP, "netns", "exec", world.user, PYTHON, os.path.join(FAKES, name + ".py"),
                                          "--port", "0", *args], stdout=subprocess.PIPE, stderr=err,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 20)
        line = self.proc.stdout.readline().decode() if ready else ""
        if not line.startswith("listening on "):
            raise RuntimeError("fake %s did not start: %r" % (name, line))
        self.port = int(line.split()[2])
        self.url = "http://127.0.0.1:%d" % self.port

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class urllib_in_ns:
    """GET a JSON URL on the user namespace's loopback (the fakes live there)."""

    def __init__(self, world, url):
        self.world, self.url = world, url

    def __enter__(self):
        rc, code, text, _, err = self.world.curl(self.world.user, self.url, max_time=10)
        if code != 200:
            raise AssertionError("GET %s: %s %s %s" % (self.url, code, text, err))
        return json.loads(text)

    def __exit__(self, *exc):
        return False


_ADMIN = object()  # api()'s default token: the class's ADMIN


class ServeWorldTestCase(WorldTestCase):
    """The test world with `faro serve` in the user namespace, started by the class's
    `_start_serve` (with the helpers below) once the world is up; a failure to start is
    reported by every test of the class."""

    PORT = ADMIN = VIEWER = AGENT = None
    dir = None    # the serve's folder (world/serve): its config, token files and mail
    serve = None  # the faro serve daemon

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.setup_error:
            return
        try:
            cls.dir = cls.world.p("serve")
            os.makedirs(os.path.join(cls.dir, "mail"), exist_ok=True)
            cls._start_serve()
        except Exception as e:  # noqa: BLE001 - reported by every test
            cls.setup_error = "faro serve did not come up: %s\n%s" % (e, cls.world.logs(60))

    # -- setting up ------------------------------------------------------------------------
    @classmethod
    def write(cls, name, text, mode=0o600):
        """Writes `text` to `name` in the serve's folder, readable by its owner only unless `mode`
        says otherwise; -> its path."""
        path = os.path.join(cls.dir, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    @classmethod
    def write_api_tokens(cls):
        """api.tokens with the hashes of ADMIN (role and name "admin") and VIEWER ("viewer")."""
        lines = []
        for role, token in (("admin", cls.ADMIN), ("viewer", cls.VIEWER)):
            p = subprocess.run([FARO_BIN, "serve", "--hash-token", role, "--token-name", role], input=token + "\n",
                               capture_output=True, text=True, timeout=30)
            if p.returncode != 0:
                raise RuntimeError("--hash-token failed: " + p.stderr)
            lines.append(p.stdout.strip())
        cls.write("api.tokens", "\n".join(lines) + "\n")

    @classmethod
    def import_contacts(cls, customers):
        """`faro contacts import` of (name, phone, email, telegram chat) rows, each reachable on
        WhatsApp, Telegram and email and opted in to WhatsApp."""
        csv = "name,phone,email,telegram,channels,consent:whatsapp\n" + "".join(
            "%s,%s,%s,%s,whatsapp|telegram|email,opt-in\n" % c for c in customers)
        cls.write("clients.csv", csv)
        p = subprocess.run([FARO_BIN, "contacts", "import", "--config", os.path.join(cls.dir, "faro.yaml"),
                            os.path.join(cls.dir, "clients.csv")], capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise RuntimeError("contacts import failed: %s %s" % (p.stdout, p.stderr))

    @classmethod
    def quick_watch(cls, platforms, extra=""):
        """faro.yaml's watch section for a test: 2 s rounds, one attempt within 1.5 s, 2 of 3 to
        confirm, 2 good rounds to recover, the feeds read every 2 s, and the agent of
        start_serve_and_agent as vantage "vantage" (silent after 10 s). `extra`: more keys, as
        YAML lines indented by two spaces."""
        return f"""watch:
  platforms: [{", ".join(platforms)}]
  catalog: {CATALOG}
  ca_file: {cls.world.ca_file}
  interval: 2s
  timeout: 1500ms
  attempts: 1
  confirm: 2/3
  recover_after: 2
  feed_every: 2s
  vantages: [{{ name: vantage, token_file: agent.token }}]
  vantage_silent_after: 10s
{extra}"""

    @classmethod
    def start_serve_and_agent(cls):
        """Starts `faro serve` with the folder's faro.yaml, waits (up to 20 s) for its /health,
        then starts a `faro agent` in the vantage namespace pushing to it as "vantage" (token in
        agent.token)."""
        w = cls.world
        serve = W.Daemon("faro-serve", w.user, [FARO_BIN, "serve", "--config", os.path.join(cls.dir, "faro.yaml")],
                         w.p("logs"), env=dict(os.environ, LANG="C.UTF-8"))
        w.daemons["faro-serve"] = serve
        serve.start()
        cls.serve = serve
        end = time.monotonic() + 20
        while cls.api("/health", token=None)[0] != 200:
            if not serve.running() or time.monotonic() > end:
                raise RuntimeError("no /health:\n" + serve.tail())
            time.sleep(0.2)
        agent = W.Daemon("faro-agent-push", w.vantage,
                         [FARO_BIN, "agent", "--server", "http://%s:%d" % (W.USER_IP, cls.PORT), "--token-file",
                          os.path.join(cls.dir, "agent.token"), "--name", "vantage", "--ca-file", w.ca_file],
                         w.p("logs"), env=dict(os.environ, LANG="C.UTF-8"))
        w.daemons["faro-agent-push"] = agent
        agent.start()

    # -- asking ----------------------------------------------------------------------------
    @classmethod
    def api(cls, path, token=_ADMIN, body=None, raw=False):
        """-> (status, json or text; the text when `raw`), asked from inside the user namespace
        with `token` (ADMIN unless given; None: no token), POSTing `body` as JSON when given."""
        if token is _ADMIN:
            token = cls.ADMIN
        extra = []
        if token:
            extra += ["-H", "Authorization: Bearer " + token]
        if body is not None:
            extra += ["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", json.dumps(body)]
        rc, code, text, _, err = cls.world.curl(cls.world.user, "http://127.0.0.1:%d%s" % (cls.PORT, path), max_time=10,
                                                extra=extra)
        if raw:
            return code, text
        try:
            return code, json.loads(text)
        except ValueError:
            return code, text

    def daemon_logs(self):
        """What a test that timed out shows of the daemons."""
        return "--- faro serve ---\n%s" % shorten(self.serve.tail(120), 12000)

    def wait_for(self, what, predicate, timeout=60, interval=0.5):
        """The first true value of `predicate()`, asked every `interval` s; fails after `timeout`."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            last = predicate()
            if last:
                return last
            time.sleep(interval)
        self.fail("timed out waiting for %s\n%s" % (what, self.daemon_logs()))

    def settled(self, what, read, ok, timeout=20, interval=0.25):
        """`read()` once `ok(value)` holds, asked every `interval` s: for state the daemon writes
        after the step a test waited for. Fails after `timeout` with the last value read."""
        end = time.monotonic() + timeout
        while True:
            value = read()
            if ok(value):
                return value
            if time.monotonic() >= end:
                self.fail("timed out waiting for %s; last read: %r" % (what, value))
            time.sleep(interval)

    def mails_to(self, address):
        """The decoded subject and text of every message delivered to `address`."""
        out = []
        maildir = os.path.join(self.dir, "mail")
        for name in sorted(os.listdir(maildir)):
            with open(os.path.join(maildir, name), "rb") as f:
                msg = email.message_from_binary_file(f, policy=email.policy.default)
            if msg["Delivered-To"] != address:
                continue
            part = msg.get_body(preferencelist=("plain",))
            out.append("%s\n%s" % (msg["Subject"], part.get_content() if part else ""))
        return out
