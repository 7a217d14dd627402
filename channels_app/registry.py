"""The channel-type registry: what the hub knows about each channel adapter.

Each adapter (sms, telegram, ivr...) registers one ``ChannelType`` in its AppConfig.ready(),
so the hub can send, parse commands and render replies without ``if channel == "sms"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crm.models import Contact

    from .models import InboundDelivery, OutboundMessage


@dataclass(frozen=True)
class ParsedCommand:
    """A keyword the citizen typed: ``name`` is one of commands.COMMANDS."""

    name: str
    language: str | None = None
    argument: str = ""


@dataclass(frozen=True)
class SendResult:
    """What the provider said when it accepted a message."""

    status: str  # an OutboundMessage.Status value
    provider_message_id: str | None = None
    transport: str = ""


class SendError(Exception):
    """A provider refused a message. ``code`` is the provider's error code."""

    def __init__(self, code: str, message: str, *, opted_out: bool = False) -> None:
        super().__init__(f"{code}: {message}" if code else message)
        self.code = code
        self.message = message
        # The provider says the citizen unsubscribed there: honour it here too.
        self.opted_out = opted_out


class TemporarySendError(SendError):
    """Worth trying again later (rate limit, provider outage, network)."""


class PermanentSendError(SendError):
    """Will never succeed as is (unsubscribed, invalid or landline number...)."""


class AmbiguousSendError(SendError):
    """The request may have reached the provider (a read timeout, a broken answer).

    Sending again could text the citizen twice, so the message waits in ``sending`` until
    ``ChannelType.reconcile`` asks the provider what became of it.
    """


class InboundRejected(Exception):
    """A stored delivery that can never become a message (no usable sender, no content).

    The delivery is kept as ``rejected`` with this reason: refused with a reason, not lost.
    """


class ChannelType:
    """Base class of a channel adapter as the hub sees it.

    Outbound: ``send``, ``reconcile``, ``can_deliver``, ``address_for``. Inbound, for a
    channel whose webhook is accepted fast (``channels_app.intake``): ``inbound_process``,
    which a worker calls for each stored delivery, plus ``parse_command`` for its keywords.
    """

    slug: str = ""
    identity_scheme: str = ""  # crm Identity.Scheme the channel's addresses live in

    def can_deliver(self, address: str) -> bool:
        """Whether ``address`` looks like something this channel can send to."""
        return bool(address)

    def address_for(self, contact: Contact) -> str | None:
        """The contact's address on this channel, if any (prefers verified, then newest)."""
        identity = (
            contact.identities.filter(scheme=self.identity_scheme)
            .order_by("-verified", "opted_out_at", "-created_at")
            .first()
        )
        if identity is None or not self.can_deliver(identity.value):
            return None
        return identity.value

    def send(self, message: OutboundMessage) -> SendResult:
        raise NotImplementedError

    def reconcile(self, message: OutboundMessage) -> SendResult | None:
        """What the provider did with a message whose send we never heard back from.

        A ``SendResult`` when the provider has it; None when it has not (or the channel cannot
        tell), and the message is sent again. Network errors propagate: try again later.
        """
        return None

    def inbound_process(self, delivery: InboundDelivery) -> None:
        """Turn one stored webhook delivery into CRM records; runs in a worker.

        Called inside a transaction (rolled back if this raises) holding the sender's queue,
        so one sender's deliveries arrive in order. It must be safe to run again for the same
        delivery (a retry after a failure): ``channels_app.inbound.inbound_handle`` is, through
        the delivery's provider id. Raise ``InboundRejected`` for a delivery that can never be
        processed; any other exception is retried with backoff, then parked as failed.
        """
        raise NotImplementedError(f"{self.slug} does not accept webhook deliveries.")

    def parse_command(self, text: str) -> ParsedCommand | None:
        """A keyword command in ``text``, or None for free text for the agents."""
        return None


_registry: dict[str, ChannelType] = {}


def channel_type_register(channel_type: ChannelType) -> None:
    if not channel_type.slug:
        raise ValueError("A channel type needs a slug.")
    _registry[channel_type.slug] = channel_type


def channel_type_get(slug: str) -> ChannelType:
    try:
        return _registry[slug]
    except KeyError:
        raise LookupError(f"No channel adapter is registered for {slug!r}.") from None


def channel_types() -> list[ChannelType]:
    """Registered channel types in registration order (INSTALLED_APPS order)."""
    return list(_registry.values())
