#!/usr/bin/python3
"""A real SMTP server for weibao's tests (aiosmtpd on 127.0.0.1).

Run with Debian's /usr/bin/python3 (it has python3-aiosmtpd):

    /usr/bin/python3 tests/smtpd.py DIR [--tls] [--tickets] [--auth USER:PASSWORD]
                                        [--no-auth-mechs] [--tempfail-data N]
                                        [--reject-rcpt ADDR]... [--drop-after N]
                                        [--lifetime SECONDS]

Binds port 0 and prints the port as the first line on stdout. Every accepted message is
stored in DIR as NNNN.eml (the bytes received after DATA, CRLF line ends, dot-unstuffed)
with NNNN.env beside it: line 1 "MAIL FROM" address, then one line per RCPT TO address.
The .env file is written first and the .eml renamed into place last, so a reader that
sees NNNN.eml sees a complete message. DIR/sessions gets one line per connection accepted
(to count SMTP sessions).

--tls               offer STARTTLS with a self-signed certificate for DNS:localhost, made at
                    start-up and written to DIR/ca.pem (the client's CA file); messages are
                    refused until TLS is on.
--tickets           leave TLS 1.3 session tickets on (default: num_tickets = 0, see NOTES.md).
--auth U:P          offer AUTH PLAIN/LOGIN (over TLS only) and require it before MAIL.
--no-auth-mechs     with --auth: require a login but offer no mechanism for it.
--tempfail-data N   answer "451 4.3.0" to the first N DATA commands.
--reject-rcpt A     answer "550 5.1.1" to RCPT TO:<A> (repeatable).
--drop-after N      once N messages were accepted, hang up without a word at the next
                    MAIL FROM (only once: later sessions work).
--lifetime S        exit after S seconds even if nobody stops us (default 120).
"""
import argparse
import asyncio
import os
import ssl
import subprocess
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, outdir, tempfail, reject, drop_after=None):
        self.outdir = outdir
        self.tempfail = tempfail
        self.reject = {a.lower() for a in reject}
        self.drop_after = drop_after
        self.count = 0

    def connected(self):
        with open(os.path.join(self.outdir, "sessions"), "a") as f:
            f.write("session\n")

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.drop_after is not None and self.count >= self.drop_after:
            self.drop_after = None
            server.transport.abort()
            return "421 4.3.2 (connection already closed)"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 <%s>: no such user here" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.tempfail > 0:
            self.tempfail -= 1
            return "451 4.3.0 Temporary failure, try again later"
        self.count += 1
        base = os.path.join(self.outdir, "%04d" % self.count)
        with open(base + ".env", "w") as f:
            f.write(envelope.mail_from + "\n")
            for r in envelope.rcpt_tos:
                f.write(r + "\n")
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 2.0.0 Message accepted as %04d" % self.count


def make_cert(outdir):
    key = os.path.join(outdir, "key.pem")
    cert = os.path.join(outdir, "ca.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost",
         "-addext", "basicConstraints=critical,CA:TRUE"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--tls", action="store_true")
    ap.add_argument("--tickets", action="store_true")
    ap.add_argument("--auth")
    ap.add_argument("--no-auth-mechs", action="store_true")
    ap.add_argument("--tempfail-data", type=int, default=0)
    ap.add_argument("--reject-rcpt", action="append", default=[])
    ap.add_argument("--drop-after", type=int)
    ap.add_argument("--lifetime", type=float, default=120)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)

    kwargs = {"hostname": "localhost"}
    if a.tls:
        cert, key = make_cert(a.dir)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(cert, key)
        if not a.tickets:
            ctx.num_tickets = 0
        kwargs.update(tls_context=ctx, require_starttls=True)
    if a.auth:
        user, _, password = a.auth.partition(":")

        def authenticator(server, session, envelope, mechanism, data):
            ok = (isinstance(data, LoginPassword) and data.login.decode() == user
                  and data.password.decode() == password)
            return AuthResult(success=ok, handled=False, auth_data=data if ok else None)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=True)
        if a.no_auth_mechs:
            kwargs.update(auth_exclude_mechanism=["LOGIN", "PLAIN"])

    handler = Handler(a.dir, a.tempfail_data, a.reject_rcpt, a.drop_after)

    def session():
        handler.connected()
        return SMTP(handler, **kwargs)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(session, "127.0.0.1", 0))
    print(server.sockets[0].getsockname()[1], flush=True)
    loop.call_later(a.lifetime, loop.stop)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
