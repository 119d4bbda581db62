/* SPDX-License-Identifier: MIT */
/*
 * cli.h: the command table. main() hands argv to cli_main(); each command
 * lives in cli/cmd_<name>.c. Exit codes: 0 ok, 1 failure, 2 usage.
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stdio.h>

#include "core/err.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int cli_main(int argc, char **argv);

int cmd_admin(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_seed(int argc, char **argv);
int cmd_token(int argc, char **argv);

/* Print "error: <message>" and any validation details to stderr. */
void cli_print_error(const struct err *e);
/* Print a usage error and a hint to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
