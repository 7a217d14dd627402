"""What the channel hub announces (after commit), for the console to push to agents."""

from django.dispatch import Signal

# kwargs: callback_id, contact_id, channel
callback_requested = Signal()
