"""The waiting-queue priority score of a submitted case (higher waits less).

score = age points      (1 per year over 60, at most 40)
      + 20 when the person lives alone
      + disability points (half the percentage of lost working capacity, at most 50)
      + 25 per urgency level set by the district worker (0-3, so at most 75)

Ties are broken by submission time (earlier first), then by case id.
"""

from __future__ import annotations

import datetime as dt

from .models import Case


def priority_score(case: Case, *, today: dt.date) -> int:
    person = case.beneficiary
    age = person.age_on(today) or 0
    score = min(max(age - 60, 0), 40)
    if person.lives_alone:
        score += 20
    if case.has_disability and case.disability_percent:
        score += min(case.disability_percent // 2, 50)
    score += 25 * min(case.urgency, 3)
    return score
