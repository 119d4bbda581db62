/* SPDX-License-Identifier: MIT */
/*
 * timeutil.h: wall-clock milliseconds and the ISO-8601 forms Strapi uses.
 * All times are UTC milliseconds since the epoch (int64_t).
 */
#ifndef CORE_TIMEUTIL_H
#define CORE_TIMEUTIL_H

#include <stdint.h>
#include <stdbool.h>

int64_t time_now_ms(void);
/* Monotonic milliseconds with fractions, for durations. */
double time_mono_ms(void);

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" into 'out' (at least 25 bytes). */
void time_iso8601(int64_t ms, char out[32]);

/*
 * Parse an ISO-8601 date-time ("2024-05-06T10:00:00+02:00", "...Z", with
 * or without fractions, or a date alone, taken as midnight UTC) into UTC ms.
 * Returns false when 's' is not such a value or names an impossible date.
 */
bool time_parse_iso(const char *s, int64_t *ms);
/* Parse "YYYY-MM-DD" (a valid calendar day) into y/m/d. */
bool time_parse_date(const char *s, int *y, int *m, int *d);
/* Days from 1970-01-01 for a proleptic Gregorian date. */
int64_t time_days_from_civil(int y, int m, int d);

#endif
