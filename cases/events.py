"""What the case core announces, after commit, for channels and the console to act on.

Send with ``crm.events.publish_after_commit(signal, sender=Case, **kwargs)``; listeners
connect in their AppConfig.ready().
"""

from django.dispatch import Signal

# kwargs: case_id, actor_id, origin_channel
case_created = Signal()
# kwargs: case_id, event_id, action, from_status, to_status, actor_id
case_transitioned = Signal()
# kwargs: breach_id, recipient_ids (who to tell), level (0 the holder, 1 district, 2 province)
deadline_missed = Signal()
