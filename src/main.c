/* SPDX-License-Identifier: MIT */
/* main.c: argv -> the command table. */
#include "core/compat.h"
#include "cli/cli.h"

int
main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
