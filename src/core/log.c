/* SPDX-License-Identifier: MIT */
/* log.c: stderr logger (text or JSON lines). */
#include "core/compat.h"
#include "core/log.h"
#include "core/buf.h"
#include "core/timeutil.h"

#include <stdarg.h>
#include <strings.h>
#include <unistd.h>
#include <jansson.h>

static int cur_level = LOG_INFO;
static int json_fmt;

static const char *const names[] = { "error", "warn", "info", "debug" };

int
log_level_parse(const char *s)
{
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcasecmp(s, names[i]))
			return (int)i;
	if (!strcasecmp(s, "fatal") || !strcasecmp(s, "silent"))
		return LOG_ERROR;
	if (!strcasecmp(s, "trace") || !strcasecmp(s, "verbose") ||
	    !strcasecmp(s, "http"))
		return LOG_DEBUG;
	return -1;
}

void
log_setup(enum log_level level, int json_format)
{
	cur_level = level;
	json_fmt = json_format;
}

int
log_enabled(enum log_level level)
{
	return (int)level <= cur_level;
}

static void
emit(struct buf *b)
{
	ssize_t w;
	size_t off = 0;

	while (off < b->len) {
		w = write(2, b->ptr + off, b->len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
}

static void
line(enum log_level level, const char *msg, json_t *extra)
{
	struct buf b = BUF_INIT;
	char ts[32];

	time_iso8601(time_now_ms(), ts);
	if (json_fmt) {
		json_t *o = extra ? json_incref(extra) : json_object();
		char *s;

		json_object_set_new(o, "time", json_string(ts));
		json_object_set_new(o, "level", json_string(names[level]));
		json_object_set_new(o, "msg", json_string(msg));
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (s) {
			buf_addstr(&b, s);
			free(s);
		}
	} else {
		buf_addf(&b, "[%s] %-5s %s", ts, names[level], msg);
	}
	buf_addch(&b, '\n');
	emit(&b);
	buf_release(&b);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	line(level, msg, NULL);
}

void
log_access(const char *method, const char *path, int status,
	   double duration_ms, long long token_id)
{
	char msg[1024];

	if (!log_enabled(LOG_INFO))
		return;
	if (json_fmt) {
		json_t *o = json_object();

		json_object_set_new(o, "method", json_string(method));
		json_object_set_new(o, "path", json_stringn(path, strnlen(path, 512)));
		json_object_set_new(o, "status", json_integer(status));
		json_object_set_new(o, "durationMs", json_real(duration_ms));
		if (token_id)
			json_object_set_new(o, "tokenId", json_integer(token_id));
		line(LOG_INFO, "http", o);
		json_decref(o);
		return;
	}
	if (token_id)
		snprintf(msg, sizeof(msg), "%s %.512s %d %.2fms token=%lld",
			 method, path, status, duration_ms, token_id);
	else
		snprintf(msg, sizeof(msg), "%s %.512s %d %.2fms", method, path,
			 status, duration_ms);
	line(LOG_INFO, msg, NULL);
}
