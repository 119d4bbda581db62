/* SPDX-License-Identifier: MIT */
/* err.c: the error record. The HTTP mapping lives in api/errors.c. */
#include "core/compat.h"
#include "core/err.h"

#include <stdarg.h>

static void __attribute__((format(printf, 3, 0)))
vset(struct err *e, int code, const char *fmt, va_list ap)
{
	e->code = code;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

int
err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	json_decref(e->details);
	e->details = NULL;
	va_start(ap, fmt);
	vset(e, code, fmt, ap);
	va_end(ap);
	return code;
}

int
err_set_details_new(struct err *e, int code, json_t *details, const char *fmt,
		    ...)
{
	va_list ap;

	if (!e) {
		json_decref(details);
		return code;
	}
	json_decref(e->details);
	e->details = details;
	va_start(ap, fmt);
	vset(e, code, fmt, ap);
	va_end(ap);
	return code;
}

void
err_release(struct err *e)
{
	if (!e)
		return;
	json_decref(e->details);
	e->details = NULL;
	e->code = 0;
	e->msg[0] = '\0';
}

void
err_move(struct err *to, struct err *from)
{
	if (!to) {
		err_release(from);
		return;
	}
	err_release(to);
	*to = *from;
	from->details = NULL;
	from->code = 0;
	from->msg[0] = '\0';
}

void
err_add_validation(struct err *e, const char *const *path, json_t *value,
		   const char *fmt, ...)
{
	json_t *errors, *item, *jpath;
	char msg[512];
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!e->details || !json_is_object(e->details)) {
		json_decref(e->details);
		e->details = json_object();
	}
	errors = json_object_get(e->details, "errors");
	if (!errors) {
		errors = json_array();
		json_object_set_new(e->details, "errors", errors);
	}
	jpath = json_array();
	for (; path && *path; path++)
		json_array_append_new(jpath, json_string(*path));
	item = json_object();
	json_object_set_new(item, "path", jpath);
	json_object_set_new(item, "message", json_string(msg));
	json_object_set_new(item, "name", json_string("ValidationError"));
	if (value)
		json_object_set(item, "value", value);
	json_array_append_new(errors, item);
	e->code = ERR_VALIDATION;
	snprintf(e->msg, sizeof(e->msg), "%s", msg);
}

int
err_finish_validation(struct err *e)
{
	json_t *errors;
	size_t n;

	if (!e || !e->details)
		return 0;
	errors = json_object_get(e->details, "errors");
	n = json_array_size(errors);
	if (n == 0)
		return 0;
	if (n == 1)
		snprintf(e->msg, sizeof(e->msg), "%s",
			 json_string_value(json_object_get(
				 json_array_get(errors, 0), "message")));
	else
		snprintf(e->msg, sizeof(e->msg), "%zu errors occurred", n);
	e->code = ERR_VALIDATION;
	return ERR_VALIDATION;
}
