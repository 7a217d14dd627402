"""Figure 4: 100 district workers' allocate requests at once for a home with 10 free beds.

Each request is a real ``POST /api/v1/cases/{id}/actions/allocate/`` for a different
submitted case (decree and letter attached), released together from a barrier. Exactly 10
must succeed, the others must be refused for lack of a bed, and the ward must end with
exactly 10 beds reserved.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections import Counter

ATTEMPTS = 100
FREE_BEDS = 10


def _setup(ds) -> tuple[int, list[int], str]:
    from django.utils import timezone

    from cases.models import Case, CaseDocument, Facility, Service, Ward

    district_path = "MN/UB/BGD/"
    unit_path = "MN/UB/BGD/01/"
    today = timezone.localdate()
    facility = Facility.objects.create(
        name="Bench contention home",
        name_en="Bench contention home",
        unit_id=ds.units[district_path],
        accreditation=Facility.Accreditation.ACCREDITED,
        accreditation_valid_until=today.replace(year=today.year + 1),
    )
    Ward.objects.create(facility=facility, sex="", capacity=FREE_BEDS)
    service = Service.objects.filter(workflow="placement").order_by("id").first()
    rng = random.Random(5)
    now = timezone.now()
    cases = Case.objects.bulk_create(
        Case(
            number=f"BENCH-A{n:03d}",
            service=service,
            status="submitted",
            beneficiary_id=rng.randrange(1, len(ds.contact_phone) + 1),
            origin_channel="walk_in",
            unit_id=ds.units[unit_path],
            district_id=ds.units[district_path],
            reason_for_care="bench",
            has_disability=False,
            submitted_at=now,
        )
        for n in range(ATTEMPTS)
    )
    CaseDocument.objects.bulk_create(
        CaseDocument(
            case=case,
            kind=kind,
            file=f"bench/{kind}.pdf",
            content_type="application/pdf",
            size=1024,
        )
        for case in cases
        for kind in (CaseDocument.Kind.GOVERNOR_DECREE, CaseDocument.Kind.WELFARE_LETTER)
    )
    return facility.pk, [c.pk for c in cases], ds.tokens["bench.district.bgd"]


def run(*, base_url: str, ds, log=print) -> dict:
    from importlib.util import find_spec

    if find_spec("cases.api.urls") is None:
        return {"skipped": "cases API not present"}
    from cases.models import Case, Ward

    facility_id, case_ids, token = _setup(ds)
    port = int(base_url.rsplit(":", 1)[1])
    barrier = threading.Barrier(ATTEMPTS + 1, timeout=30)
    outcomes: list[tuple[int, float, str]] = [(0, 0.0, "")] * ATTEMPTS
    body = json.dumps({"facility": facility_id})

    def attempt(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.connect()  # connected before the barrier, so only the requests race
        headers = {
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "X-Forwarded-Proto": "https",
        }
        barrier.wait()
        t0 = time.perf_counter()
        try:
            conn.request("POST", f"/api/v1/cases/{case_ids[i]}/actions/allocate/", body, headers)
            resp = conn.getresponse()
            text = resp.read().decode(errors="replace")
            outcomes[i] = (resp.status, time.perf_counter() - t0, text[:200])
        except Exception as exc:
            outcomes[i] = (-1, time.perf_counter() - t0, repr(exc))
        finally:
            conn.close()

    threads = [threading.Thread(target=attempt, args=(i,), daemon=True) for i in range(ATTEMPTS)]
    for t in threads:
        t.start()
    log(f"allocation: {ATTEMPTS} concurrent allocate requests for {FREE_BEDS} free beds")
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join(timeout=90)
    seconds = time.perf_counter() - started
    codes = Counter(status for status, _, _ in outcomes)
    latencies = sorted(lat for _, lat, _ in outcomes)
    ward = Ward.objects.get(facility_id=facility_id)
    allocated = Case.objects.filter(pk__in=case_ids, status="allocated").count()
    successes = codes.get(200, 0)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        db_connections = cur.fetchone()[0]
    refusals = [text for status, _, text in outcomes if status == 400]
    other = [f"{s}: {text}" for s, _, text in outcomes if s not in (200, 400)]
    return {
        "attempts": ATTEMPTS,
        "free_beds": FREE_BEDS,
        "successes": successes,
        "status_codes": {str(k): v for k, v in sorted(codes.items())},
        "seconds": round(seconds, 3),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "reserved_after": ward.reserved,
        "cases_allocated_after": allocated,
        "refusal_example": refusals[0] if refusals else "",
        "unexpected": other[:3],
        # Connections to the bench database right after the burst (server + this process).
        "db_connections_after": db_connections,
        "targets": {
            "exactly": FREE_BEDS,
            "met": successes == FREE_BEDS == ward.reserved == allocated and not other,
        },
    }
