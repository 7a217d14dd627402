"""The baseline for the webhook figures: the cheapest Django view that answers like Twilio's.

It runs on the same server and workers as the real webhook and takes the same path through
the middleware: like the provider webhooks it is marked ``@provider_webhook``, so it skips the
browser's part of the stack (``channels_app.webhooks``). The ratio between the two is then the
cost of what the webhook itself does (the signature, storing the delivery, the kick), not of a
shorter middleware path.
"""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from channels_app.webhooks import provider_webhook

TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


@provider_webhook
@csrf_exempt
@require_POST
def twiml_baseline(request):
    return HttpResponse(TWIML, content_type="text/xml")
