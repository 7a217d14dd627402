"""The form fields Twilio Messaging posts for an incoming SMS (webhook API 2010-04-01).

The operator's simulator (``sms_simulate``) and the benchmark's load both post exactly this.
"""

from __future__ import annotations

from channels_app.segments import sms_segments


def twilio_inbound_fields(
    *, sid: str, sender: str, to: str, body: str, account_sid: str
) -> dict[str, str]:
    """Every field of the incoming SMS ``sid`` from ``sender`` to our number ``to``."""
    return {
        "ToCountry": "MN",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "MN",
        "To": to,
        "ToZip": "",
        "NumSegments": str(max(sms_segments(body).segments, 1)),
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }
