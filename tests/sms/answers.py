"""Reading what the hub answered to an inbound SMS: the outbox row of the keyword's answer."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from channels_app.models import InboundDelivery, InboundReply, OutboundMessage


def answer_of(response) -> str | None:
    """The text sent back for the SMS ``tt.sms`` posted, None when nothing was answered.

    The webhook itself answers empty TwiML at once; the answer is an outbox message.
    """
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "Response" and len(root) == 0, response.content
    delivery = InboundDelivery.objects.get(channel="sms", provider_id=response.sid)
    assert delivery.status == InboundDelivery.Status.PROCESSED, delivery.error
    reply = InboundReply.objects.get(inbound=delivery.interaction)
    if reply.reply_interaction_id is None:
        return None
    message = OutboundMessage.objects.get(interaction_id=reply.reply_interaction_id)
    assert message.purpose == OutboundMessage.Purpose.KEYWORD
    assert message.address == delivery.interaction.address
    return message.body
