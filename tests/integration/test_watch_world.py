"""Integration tests: `faro serve`'s always-on watch in the test world (tests/world/world.py).

`faro serve` runs in the user namespace with the fake Telegram and WhatsApp providers and a
real SMTP server (aiosmtpd) on the namespace's loopback; a `faro agent --server` pushes
readings from the vantage namespace. The 4 October 2021 scenario is switched on: the watch
must see WhatsApp down for everyone, alert the team (Telegram and email), fail the WhatsApp
channel over and start the broadcast; when the world is restored, the failover is undone. A
platform that flaps produces one alert, not a storm. Needs root; run with tests/integration/run.
"""
import json
import os
import re
import sys
import time
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tests", "world"))
from test_check_world import shorten  # noqa: E402
from serve_world import ServeWorldTestCase, NsFake, urllib_in_ns  # noqa: E402

PORT = 8790
ADMIN = "watch-admin-token-0123456789"
VIEWER = "watch-viewer-token-0123456789"
AGENT = "watch-agent-token-0123456789abc"
TG_TOKEN = "123456:TEST-token_abc"
LEO_CHAT, ANA_MAIL = "4242", "ana@example.com"
CUSTOMERS = [("Eva", "+5491155550001", "", "7001"), ("Juan", "+5491155550002", "juan@example.com", ""),
             ("Sol", "+5491155550003", "", "7003")]


class TestWatchWorld(ServeWorldTestCase):
    PORT, ADMIN, VIEWER, AGENT = PORT, ADMIN, VIEWER, AGENT

    @classmethod
    def _start_serve(cls):
        w = cls.world
        d = cls.dir
        write = cls.write
        cls.fakes = [NsFake(w, "telegram", "--token", TG_TOKEN, "--per-chat-rate", "50", "--per-chat-burst", "5"),
                     NsFake(w, "whatsapp"),
                     NsFake(w, "smtp", "--maildir", os.path.join(d, "mail"))]
        cls.addClassCleanup(lambda: [f.stop() for f in cls.fakes])
        tg, wa, smtp = cls.fakes
        cls.telegram = tg
        write("tg.token", TG_TOKEN + "\n")
        write("wa.token", "EAAB-test\n")
        write("agent.token", AGENT + "\n")
        cls.write_api_tokens()
        # The watch is quick here (quick_watch: 2 s rounds, 2 of 3 to confirm, 2 good rounds to
        # recover), and a platform that fails again within a minute of recovering is flapping.
        flapping = "  flapping: { changes: 3, window: 2m, calm: 30s }\n"
        write("faro.yaml", f"""
business: {{ name: "Nutrición Ana", lang: es, timezone: UTC, region: AR }}
storage: {{ sqlite: {d}/faro.db, durability: process-crash }}
channels:
  - {{ id: whatsapp, type: whatsapp_cloud, platform: whatsapp, phone_number_id: "106540352242922",
      token_file: wa.token, base_url: "{wa.url}", public_address: "+54 9 11 5555-0000" }}
  - {{ id: telegram, type: telegram_bot, platform: telegram, token_file: tg.token, base_url: "{tg.url}",
      per_chat_rate: 50/s, public_address: t.me/nutricion_ana }}
  - {{ id: email, type: smtp, host: 127.0.0.1, port: {smtp.port}, starttls: none,
      from: "Nutrición Ana <hola@example.com>", public_address: hola@example.com }}
failover:
  whatsapp: {{ broadcast: reachable-elsewhere }}
outbox: {{ retry: {{ base: 200ms, cap: 2s }} }}
{cls.quick_watch(["whatsapp", "telegram", "x"], flapping)}team:
  - {{ name: Leo, role: community-manager, lang: es, reach: [{{ channel: telegram, chat_id: "{LEO_CHAT}" }}] }}
  - {{ name: Ana, role: owner, lang: es, reach: [{{ channel: email, address: {ANA_MAIL} }}] }}
alerts:
  notify: [community-manager, owner]
server: {{ listen: "0.0.0.0:{PORT}", api_tokens_file: api.tokens }}
""")
        cls.import_contacts(CUSTOMERS)
        cls.start_serve_and_agent()

    # -- helpers ---------------------------------------------------------------------------
    def daemon_logs(self):
        return "--- faro serve ---\n%s\n--- agent ---\n%s" % (shorten(self.serve.tail(80)),
                                                              self.world.daemons["faro-agent-push"].tail(20))

    def platform(self, pid):
        code, view = self.api("/api/v1/watch")
        self.assertEqual(code, 200, view)
        return next(p for p in view["platforms"] if p["id"] == pid)

    def events(self, **query):
        q = "&".join("%s=%s" % kv for kv in query.items())
        code, body = self.api("/api/v1/events?limit=200&" + q)
        self.assertEqual(code, 200, body)
        return body["events"]

    def telegram_texts(self, chat):
        with urllib_in_ns(self.world, self.telegram.url + "/_fake/sent") as sent:
            return [m.get("text", "") for m in sent if str(m.get("chat_id")) == chat]

    # -- tests -----------------------------------------------------------------------------
    def test_1_fb2021_alerts_fails_over_and_recovers(self):
        # Warm-up: both vantages see WhatsApp up.
        self.wait_for("whatsapp up from here and from the vantage",
                      lambda: (lambda p: p["health"] == "up" and {r["vantage"] for r in p["readings"]} >= {"here", "vantage"})(
                          self.platform("whatsapp")), timeout=60)
        with self.world.scenario("fb2021"):
            # Timed from when the outage is in place (switching the world restarts its resolvers).
            started = time.monotonic()
            # From here first (unconfirmed, maybe), then confirmed by the vantage: global.
            down = self.wait_for("platform-down/global for whatsapp", lambda: [
                e for e in self.events(kind="platform-down", subject="whatsapp")
                if not e["suppressed_by"] and e["scope"] == "global"], timeout=40)
            detected = time.monotonic() - started
            e = down[0]
            self.assertEqual(e["cause"], "dns-servfail", e)
            vantages = {v["vantage"] for v in e["evidence"]["vantages"]}
            self.assertEqual(vantages, {"here", "vantage"}, e["evidence"])
            self.assertLess(detected, 20, "detection took %.1f s at a 2 s interval" % detected)
            # The team is told: Leo on Telegram, Ana by email, in Spanish.
            leo = self.wait_for("the alert on Telegram", lambda: [t for t in self.telegram_texts(LEO_CHAT) if "WhatsApp" in t])
            self.assertIn("Responde OK", leo[0])
            ana = self.wait_for("the alert by email", lambda: self.mails_to(ANA_MAIL))
            self.assertIn("WhatsApp", ana[0])
            # The watch records who was told, then fails the channel over, after the messages
            # are queued: the email can arrive before either is stored.
            alerts = self.settled("Leo and Ana recorded as told", lambda: self.api("/api/v1/alerts?state=open")[1],
                                  lambda a: {n["person"] for x in a["alerts"] if x["subject"] == "whatsapp"
                                             for n in x["notified"]} == {"Leo", "Ana"})
            wa_alerts = [a for a in alerts["alerts"] if a["subject"] == "whatsapp"]
            self.assertEqual(len(wa_alerts), 1, alerts)
            # The WhatsApp channel is failed over and the broadcast started.
            fo = self.settled("the failover with its broadcast", lambda: self.api("/api/v1/failovers")[1],
                              lambda fo: any(f["channel"] == "whatsapp" and f["state"] == "active" and f["broadcast"]
                                             for f in fo["failovers"]))
            active = [f for f in fo["failovers"] if f["channel"] == "whatsapp" and f["state"] == "active"]
            self.assertEqual(len(active), 1, fo)
            self.assertIsNotNone(active[0]["broadcast"], fo)
            self.assertEqual(active[0]["broadcast"]["progress"]["total"], len(CUSTOMERS), fo)
            # Customers hear where to write: Eva and Sol on Telegram, Juan by email; never by WhatsApp.
            self.wait_for("the broadcast on Telegram", lambda: len(self.telegram_texts("7001")) >= 1 and
                          len(self.telegram_texts("7003")) >= 1)
            self.wait_for("the broadcast by email", lambda: self.mails_to("juan@example.com"))
            code, status = self.api("/status.json", token=None)
            working = {c["id"]: c["working"] for c in status["channels"]}
            self.assertEqual(working, {"whatsapp": False, "telegram": True, "email": True}, status)
            self.assertIn("t.me/nutricion_ana", status["notice"]["es"])
            # A viewer cannot acknowledge; no token is refused outright.
            code, body = self.api("/api/v1/alerts/%d/ack" % wa_alerts[0]["id"], token=VIEWER, body={})
            self.assertEqual(code, 403, body)
            code, body = self.api("/api/v1/alerts/%d/ack" % wa_alerts[0]["id"], token=None, body={})
            self.assertEqual(code, 401, body)
        # Restored: the failover is undone, the alert resolved, the team told.
        self.wait_for("platform-restored for whatsapp",
                      lambda: self.events(kind="platform-restored", subject="whatsapp"), timeout=40)
        # The event is stored first; the watch then resolves the alert and undoes the failover
        # (the channel is marked up last), so each is waited for.
        fo = self.settled("the failover undone", lambda: self.api("/api/v1/failovers")[1],
                          lambda fo: [f["state"] for f in fo["failovers"] if f["channel"] == "whatsapp"] == ["undone"])
        self.assertEqual([f["state"] for f in fo["failovers"] if f["channel"] == "whatsapp"], ["undone"], fo)
        self.settled("every channel working in /status.json", lambda: self.api("/status.json", token=None)[1],
                     lambda status: all(c["working"] for c in status["channels"]))
        self.settled("the WhatsApp alert resolved", lambda: self.api("/api/v1/alerts?state=resolved")[1],
                     lambda alerts: "whatsapp" in [a["subject"] for a in alerts["alerts"]])
        self.wait_for("the recovery on Telegram", lambda: [t for t in self.telegram_texts(LEO_CHAT) if "Resuelto" in t])

    def test_2_a_flapping_platform_alerts_once(self):
        self.wait_for("x up", lambda: self.platform("x")["health"] == "up", timeout=40)
        for cycle in range(4):
            with self.world.scenario("http503"):
                self.wait_for("x not up (cycle %d)" % cycle, lambda: self.platform("x")["health"] != "up", timeout=30)
            self.wait_for("x up again (cycle %d)" % cycle, lambda: self.platform("x")["health"] == "up", timeout=30)
        changes = [e for e in self.events(subject="x") if e["kind"].startswith("platform-")]
        self.assertGreaterEqual(len(changes), 6, changes)
        self.assertTrue([e for e in self.events(kind="flapping", subject="x")], "no flapping event")
        code, alerts = self.api("/api/v1/alerts?state=all")
        x_alerts = [a for a in alerts["alerts"] if a["subject"] == "x"]
        # On failure, X's events in order say which change paged (and what was suppressed).
        story = [(e.get("id"), e.get("at"), e.get("kind"), e.get("previous"), e.get("state"), e.get("scope"),
                  e.get("suppressed_by"))
                 for e in sorted(self.events(subject="x"), key=lambda e: e.get("id", 0))]
        self.assertEqual(len(x_alerts), 1, "%d state changes must give one alert: %s\nevents: %s"
                         % (len(changes), x_alerts, story))
        self.assertTrue(self.platform("x")["flapping"])

    def test_3_metrics_and_vantage_auth(self):
        # X's official status page is read with its rounds (healthy again by now).
        self.assertEqual(self.platform("x")["signals"]["feed"], "ok")
        # test_2 restarted the world's nginx eight times, under WhatsApp's hosts too, so WhatsApp
        # may still be coming back (and flapping, which delays "up"): wait for the gauge to say up.
        up = 'faro_platform_health{platform="whatsapp",health="up"} 1'
        code, text = self.wait_for("WhatsApp up in /metrics", lambda: (lambda r: r if up in r[1] else None)(
            self.api("/metrics", token=None)), timeout=60)
        self.assertEqual(code, 200)
        self.assertIn(up, text)
        self.assertRegex(text, r"faro_watch_agent_readings_total [1-9]")
        code, body = self.api("/api/v1/vantage/assignment", token="not-a-vantage-token")
        self.assertEqual(code, 401, body)
        code, body = self.api("/api/v1/vantage/assignment", token=AGENT)
        self.assertEqual(code, 200, body)
        self.assertEqual(body["vantage"], "vantage")

    def test_4_the_event_log_is_sent_compressed_and_tagged(self):
        url = "http://127.0.0.1:%d/api/v1/events?limit=20" % PORT
        auth = ["-H", "Authorization: Bearer " + VIEWER, "--compressed", "-D", "/dev/stderr"]
        rc, code, text, _, headers = self.world.curl(self.world.user, url, extra=auth)
        self.assertEqual(code, 200, text)
        self.assertRegex(headers, r"(?im)^content-encoding: gzip")
        first = json.loads(text)["events"]
        self.assertTrue(first, "the earlier tests stored events")
        # The same page as uncompressed, unless the watch stored an event in between.
        now = self.events()
        if now[0]["id"] == first[0]["id"]:
            self.assertEqual(first, now[:20])
        else:
            self.assertGreater(now[0]["id"], first[0]["id"])
            self.assertEqual(first, [e for e in now if e["id"] <= first[0]["id"]][:20])
        etag = re.search(r"(?im)^etag: (.*?)\s*$", headers).group(1)
        self.assertTrue(etag.endswith('-gzip"'), etag)
        # Unchanged log: 304. Changed meanwhile (a new event): the new page, newest first.
        rc, code, text, _, headers = self.world.curl(self.world.user, url, extra=auth + ["-H", "If-None-Match: " + etag])
        if code == 200:
            self.assertGreater(json.loads(text)["events"][0]["id"], first[0]["id"])
        else:
            self.assertEqual(code, 304, headers)


if __name__ == "__main__":
    unittest.main()
