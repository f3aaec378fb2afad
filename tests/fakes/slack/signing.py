"""Signing HTTP requests the way Slack does, so that Bolt's request verification accepts them."""

from __future__ import annotations

import time

from slack_sdk.signature import SignatureVerifier


def signed_headers(
    signing_secret: str,
    body: str,
    *,
    timestamp: int | None = None,
    retry_num: int | None = None,
    retry_reason: str | None = None,
) -> dict[str, str]:
    """Headers Slack sends with ``body``: ``X-Slack-Signature`` (``v0=`` HMAC-SHA256 of
    ``v0:{ts}:{body}``), ``X-Slack-Request-Timestamp`` (now by default) and the content type
    (JSON if ``body`` starts with ``{``, else form); ``retry_num``/``retry_reason`` add
    ``X-Slack-Retry-Num``/``X-Slack-Retry-Reason`` as on a redelivery."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(signing_secret).generate_signature(timestamp=ts, body=body)
    json_body = body.lstrip().startswith("{")
    headers = {
        "Content-Type": "application/json" if json_body else "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": str(signature),
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
    if retry_reason is not None:
        headers["X-Slack-Retry-Reason"] = retry_reason
    return headers
