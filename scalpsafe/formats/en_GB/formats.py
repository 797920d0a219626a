"""British English as the site writes times: the 24-hour clock everywhere.

Django's en-GB formats write times as "4:36 p.m." (`P`), which is what the admin showed beside
the queue's "Wed 02 Dec 16:36" and the pages' "2 December 2026, 16:36". Only the formats with a
time change; dates stay Django's.
"""

DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
