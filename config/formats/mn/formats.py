# Mongolian (CLDR "mn"): 2026.12.02, 24-hour clock, 1,234.5.
DATE_FORMAT = "Y оны n сарын j"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y оны n сарын j, H:i"
YEAR_MONTH_FORMAT = "Y оны n сар"
MONTH_DAY_FORMAT = "n сарын j"
SHORT_DATE_FORMAT = "Y.m.d"
SHORT_DATETIME_FORMAT = "Y.m.d H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%Y.%m.%d", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%Y.%m.%d %H:%M:%S",
    "%Y.%m.%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
