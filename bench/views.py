"""The baseline for the webhook figures: the cheapest Django view that answers like Twilio's.

It runs through the same middleware, server and workers as the real webhook, so the ratio
between the two is the cost of what the webhook does (signature, contact match, storing the
message, the reply), not of Django itself.
"""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


@csrf_exempt
@require_POST
def twiml_baseline(request):
    return HttpResponse(TWIML, content_type="text/xml")
