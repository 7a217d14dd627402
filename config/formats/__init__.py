"""Date and number formats per staff language where Django's own are missing or unsuited.

Django ships full formats for Russian, only a few lines for Mongolian (with a 12-hour clock
that offices there do not use) and none for Kazakh; English staff read dates the way the
ministries' own papers print them (2026-12-02), not the US month-first order.
"""
