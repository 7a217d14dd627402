"""The baseline for the webhook figures: the cheapest Django view that answers like Twilio's.

It runs on the same server and workers as the real webhook, through the whole middleware
stack a page gets. The real provider webhooks skip the browser's part of that stack
(``channels_app.webhooks``), then check the signature and store the delivery: the ratio is
what a webhook costs against the cheapest view Django serves by default.
"""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


@csrf_exempt
@require_POST
def twiml_baseline(request):
    return HttpResponse(TWIML, content_type="text/xml")
