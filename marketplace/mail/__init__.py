"""Sending e-mail over SMTP with the standard library.

Settings (``AXBRIDGE_*``): SMTP_HOST, SMTP_PORT (587), SMTP_USER, SMTP_PASSWORD, SMTP_TLS
(``starttls`` default, ``ssl`` for implicit TLS on 465, ``none`` for a local relay) and MAIL_FROM.
Without SMTP_HOST, development prints each message to the log; production refuses (the message stays
queued and is retried), so an e-mail is never counted as sent when no server took it.

Messages are UTF-8: a Korean subject (and sender name) is encoded by RFC 2047, the body is base64 UTF-8.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.header import Header
from email.message import Message
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, make_msgid, parseaddr

from flask import current_app

from marketplace.notifications.outbox import DeliveryError

logger = logging.getLogger(__name__)

DEFAULT_FROM = "AX Bridge <no-reply@axbridge.example>"
TLS_MODES = ("starttls", "ssl", "none")


def build_message(*, sender: str, to: str, subject: str, body: str) -> Message:
    """A text/plain UTF-8 message. The subject is one run of RFC 2047 encoded words made by
    ``email.header.Header``: the newer ``EmailMessage`` folding drops the space between two encoded
    Korean words (tests/marketplace/mail reads the subject back)."""
    message = MIMEText(body, "plain", "utf-8")
    name, address = parseaddr(sender)
    message["From"] = formataddr((str(Header(name, "utf-8")) if not name.isascii() else name, address))
    message["To"] = to
    message["Subject"] = Header(subject, "utf-8") if not subject.isascii() else subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=address.rpartition("@")[2] or None)
    return message


def settings(config) -> dict:
    tls = str(config.get("SMTP_TLS") or "starttls").lower()
    if tls in ("1", "true", "yes"):
        tls = "starttls"
    if tls in ("0", "false", "no"):
        tls = "none"
    if tls not in TLS_MODES:
        raise DeliveryError(f"AXBRIDGE_SMTP_TLS must be one of {', '.join(TLS_MODES)}, not {tls!r}")
    return {"host": config.get("SMTP_HOST") or None, "port": int(config.get("SMTP_PORT") or (465 if tls == "ssl" else 587)),
            "user": config.get("SMTP_USER") or None, "password": config.get("SMTP_PASSWORD") or "",
            "tls": tls, "sender": config.get("MAIL_FROM") or DEFAULT_FROM,
            "timeout": float(config.get("SMTP_TIMEOUT") or 20)}


def send_message(message: Message, smtp: dict) -> None:
    """Hand one message to the SMTP server; any refusal or network error becomes a DeliveryError."""
    try:
        if smtp["tls"] == "ssl":
            client = smtplib.SMTP_SSL(smtp["host"], smtp["port"], timeout=smtp["timeout"],
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(smtp["host"], smtp["port"], timeout=smtp["timeout"])
        with client:
            if smtp["tls"] == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp["user"]:
                client.login(smtp["user"], smtp["password"])
            refused = client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
    if refused:
        raise DeliveryError(f"recipients refused: {', '.join(refused)}")


def send(email) -> None:
    """Send one outbox row (to_email, subject, body) with the current app's settings."""
    config = current_app.config
    smtp = settings(config)
    message = build_message(sender=smtp["sender"], to=email.to_email, subject=email.subject, body=email.body)
    if smtp["host"] is None:
        if config.get("ENV") == "production":
            raise DeliveryError("no SMTP server configured (set AXBRIDGE_SMTP_HOST)")
        logger.info("e-mail to %s (no SMTP server configured, printed here): %s\n%s", email.to_email,
                    email.subject, email.body)
        return
    send_message(message, smtp)
    logger.info("e-mail %s sent to %s", getattr(email, "id", ""), email.to_email)
