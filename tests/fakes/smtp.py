#!/usr/bin/python3
"""A real SMTP server on loopback for the email channel's tests (Debian's python3-aiosmtpd).

Prints "listening on PORT" (the SMTP port) once it accepts connections and nothing after it.
Every accepted message is written to --maildir as one NNNN.eml file, prefixed with the
Return-Path and Delivered-To lines a final delivery agent adds, so tests can check both the
envelope and the exact bytes the client sent.

Scripted answers, by the local part of the recipient:
  tempfail…  450 4.2.1   full…  452 4.2.2   nouser…  550 5.1.1   policy…  550 5.7.26
--drop-after N answers 421 to the Nth message (counted at MAIL FROM) and closes the connection.
"""
import argparse
import asyncio
import logging
import os
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

SCRIPTED = (
    ("tempfail", "450 4.2.1 Mailbox temporarily unavailable, try again later"),
    ("full", "452 4.2.2 Mailbox full"),
    ("nouser", "550 5.1.1 No such user here"),
    ("policy", "550 5.7.26 Unauthenticated email is not accepted from this domain"),
)


class Mailbox:
    """The handler aiosmtpd calls for MAIL, RCPT and DATA."""

    def __init__(self, maildir, drop_after):
        self.maildir = maildir
        self.drop_after = drop_after
        self.messages_started = 0
        self.accepted = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.messages_started += 1
        if self.drop_after and self.messages_started == self.drop_after:
            # Closing after the reply is flushed: transport.close() sends buffered data first.
            server.loop.call_soon(server.transport.close)
            return "421 4.3.2 Service shutting down, closing transmission channel"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        for prefix, reply in SCRIPTED:
            if local.startswith(prefix):
                return reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.accepted += 1
        queue_id = "Q%04d" % self.accepted
        if self.maildir:
            head = "Return-Path: <%s>\r\n" % envelope.mail_from
            head += "".join("Delivered-To: %s\r\n" % rcpt for rcpt in envelope.rcpt_tos)
            name = os.path.join(self.maildir, "%04d.eml" % self.accepted)
            with open(name + ".tmp", "wb") as out:
                out.write(head.encode("ascii", "replace") + envelope.original_content)
            os.rename(name + ".tmp", name)  # readers never see half a message
        return "250 2.0.0 Ok: queued as " + queue_id


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode("utf-8", "replace") == user
              and auth_data.password.decode("utf-8", "replace") == password)
        # handled=False: aiosmtpd itself answers 535 5.7.8 to a refused login.
        return AuthResult(success=ok, handled=False)
    return authenticate


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls-cert", help="PEM certificate: offer STARTTLS")
    parser.add_argument("--tls-key", help="PEM private key for --tls-cert")
    parser.add_argument("--require-starttls", action="store_true",
                        help="refuse everything but EHLO/STARTTLS/QUIT before TLS")
    parser.add_argument("--implicit-tls", action="store_true",
                        help="TLS from the first byte (smtps, port 465 style) instead of STARTTLS")
    parser.add_argument("--auth", metavar="USER:PASS",
                        help="require AUTH PLAIN/LOGIN (only after TLS when TLS is offered)")
    parser.add_argument("--drop-after", type=int, default=0, metavar="N")
    parser.add_argument("--maildir", help="write each accepted message here as NNNN.eml")
    args = parser.parse_args()

    # aiosmtpd logs and warns on stderr; the tests read only the first stdout line.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL + 1)
    warnings.simplefilter("ignore")

    context = None
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    starttls_context = None if args.implicit_tls else context

    handler = Mailbox(args.maildir, args.drop_after)
    options = {"hostname": "fake-smtp.test", "tls_context": starttls_context,
               "require_starttls": args.require_starttls and starttls_context is not None}
    if args.auth:
        user, _, password = args.auth.partition(":")
        options.update(authenticator=make_authenticator(user, password), auth_required=True,
                       auth_require_tls=starttls_context is not None)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, loop=loop, **options), host="127.0.0.1", port=args.port,
        ssl=context if args.implicit_tls else None))
    port = server.sockets[0].getsockname()[1]
    print("listening on %d" % port, flush=True)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
