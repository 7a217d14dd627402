"""Demo data of the hotline: the call-centre agents' own phones, and how to try a call."""

from __future__ import annotations

from crm.models import Identity, Role, User

# Numbers of the demo agents' phones (Mongolian mobile ranges); an operator sets real ones.
DEMO_AGENT_PHONES = {"agent.tuya": "+97688110001", "agent.bolor": "+97688110002"}


def seed(context) -> None:
    for username, phone in DEMO_AGENT_PHONES.items():
        User.objects.filter(username=username, role=Role.AGENT, phone="").update(phone=phone)
    dorj = context.contacts.get("dorj")
    number = dorj.identities.filter(scheme=Identity.Scheme.PHONE).first() if dorj else None
    if number is not None:
        context.notes.append(
            "A phone call without a phone: start the server with TWILIO_AUTH_TOKEN=dev-token, "
            f"then TWILIO_AUTH_TOKEN=dev-token python manage.py ivr_simulate --from {number.value}"
            " (type keys at each question; Enter alone is a timeout)."
        )
