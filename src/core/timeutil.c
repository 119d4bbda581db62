/* SPDX-License-Identifier: MIT */
/* timeutil.c: clocks and ISO-8601 without locale or timezone state. */
#include "core/compat.h"
#include "core/timeutil.h"

#include <ctype.h>
#include <time.h>

int64_t
time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double
time_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int64_t
time_days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void
time_iso8601(int64_t ms, char out[32])
{
	int64_t days, rem;
	int y, m, d, v[6], i;
	char *p = out;

	days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
	rem = ms - days * 86400000;
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) { /* outside ISO's four digits: rare, slow path */
		snprintf(out, 32, "%d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d,
			 (int)(rem / 3600000), (int)(rem / 60000 % 60),
			 (int)(rem / 1000 % 60), (int)(rem % 1000));
		return;
	}
	/* hand-formatted: lists print three timestamps per entry */
	*p++ = (char)('0' + y / 1000);
	*p++ = (char)('0' + y / 100 % 10);
	*p++ = (char)('0' + y / 10 % 10);
	*p++ = (char)('0' + y % 10);
	v[0] = m;
	v[1] = d;
	v[2] = (int)(rem / 3600000);
	v[3] = (int)(rem / 60000 % 60);
	v[4] = (int)(rem / 1000 % 60);
	for (i = 0; i < 5; i++) {
		*p++ = "--T::"[i];
		*p++ = (char)('0' + v[i] / 10);
		*p++ = (char)('0' + v[i] % 10);
	}
	v[5] = (int)(rem % 1000);
	*p++ = '.';
	*p++ = (char)('0' + v[5] / 100);
	*p++ = (char)('0' + v[5] / 10 % 10);
	*p++ = (char)('0' + v[5] % 10);
	*p++ = 'Z';
	*p = '\0';
}

static bool
digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30,
				  31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

bool
time_parse_date(const char *s, int *y, int *m, int *d)
{
	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return false;
	if (!digits(s, 4, y) || !digits(s + 5, 2, m) || !digits(s + 8, 2, d))
		return false;
	if (*m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return false;
	return true;
}

bool
time_parse_iso(const char *s, int64_t *ms)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, oh = 0, om = 0;
	const char *p;
	int sign = 0;

	if (!time_parse_date(s, &y, &mo, &d))
		return false;
	p = s + 10;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &mi))
			return false;
		p += 5;
		if (*p == ':') {
			if (!digits(p + 1, 2, &sec))
				return false;
			p += 3;
			if (*p == '.') {
				int n = 0;

				p++;
				while (isdigit((unsigned char)*p)) {
					if (n < 3)
						frac = frac * 10 + (*p - '0');
					n++;
					p++;
				}
				if (n == 0)
					return false;
				for (; n < 3; n++)
					frac *= 10;
			}
		}
		if (h > 23 || mi > 59 || sec > 59)
			return false;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			sign = *p == '+' ? 1 : -1;
			p++;
			if (!digits(p, 2, &oh))
				return false;
			p += 2;
			if (*p == ':')
				p++;
			if (*p && !digits(p, 2, &om))
				return false;
			if (*p)
				p += 2;
			if (oh > 23 || om > 59)
				return false;
		}
	}
	if (*p)
		return false;
	*ms = time_days_from_civil(y, mo, d) * 86400000LL +
	      (int64_t)h * 3600000 + (int64_t)mi * 60000 + sec * 1000 + frac -
	      (int64_t)sign * (oh * 3600000LL + om * 60000LL);
	return true;
}
