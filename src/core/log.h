/* SPDX-License-Identifier: MIT */
/*
 * log.h: leveled logging to stderr, as text or one JSON object per line.
 * Never pass a secret (token, salt, key, password) to these functions.
 * Thread-safe: each line is written with one write(2).
 */
#ifndef CORE_LOG_H
#define CORE_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Parse "error|warn|info|debug" (also "fatal", "trace", "silent"). -1 if unknown. */
int log_level_parse(const char *s);
void log_setup(enum log_level level, int json_format);
int log_enabled(enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/*
 * One access-log line. 'path' must already be stripped of its query string;
 * 'token_id' is 0 when the request was not authenticated by a token.
 */
void log_access(const char *method, const char *path, int status,
		double duration_ms, long long token_id);

#endif
