/* SPDX-License-Identifier: MIT */
/*
 * cmd_serve.c: 'tollgate serve'. Opens the project, starts the HTTP server
 * and waits for SIGINT/SIGTERM, then stops accepting, lets requests in
 * flight finish and closes the store.
 */
#include "core/compat.h"
#include "app/app.h"
#include "cli/cli.h"
#include "core/log.h"

#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <pthread.h>

static const char help[] =
	"usage: tollgate serve [--dir DIR] [--host HOST] [--port PORT]\n\n"
	"Serve the project in DIR (default: the current folder): the Content API\n"
	"under /api, and /_health. Settings come from DIR/.env, overridden by the\n"
	"environment, overridden by these options. On first run (no .env and no\n"
	"database) a .env with fresh secrets is written and the default tokens\n"
	"\"Read Only\" and \"Full Access\" are created.\n\n"
	"  --dir DIR     project folder\n"
	"  --host HOST   address to listen on (HOST)\n"
	"  --port PORT   port to listen on (PORT; 0 picks a free one)\n";

int
cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct http_server_options so = { 0 };
	struct http_server *srv = NULL;
	const char *dir = ".", *host = NULL, *port = NULL;
	struct err e = ERR_INIT;
	struct app app;
	sigset_t set;
	int c, sig = 0, ret = EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:H:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'H': host = optarg; break;
		case 'p': port = optarg; break;
		case 'h': fputs(help, stdout); return EXIT_OK;
		default: return cli_usage_error("serve", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("serve", "unexpected argument '%.100s'",
				       argv[optind]);
	if (host)
		setenv("HOST", host, 1);
	if (port)
		setenv("PORT", port, 1);

	/*
	 * Large blocks (response bodies of long lists, SQLite's page cache
	 * growth) are mapped and unmapped on their own: glibc would raise this
	 * threshold after the first such free and then serve them from the
	 * heap, where freed memory stays resident. A fixed threshold turns
	 * that off, so resident memory falls back after a burst.
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);

	/* signals are taken by sigwait() below, never by worker threads */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (app_open(&app, dir, APP_FIRST_RUN | APP_DEFAULT_TOKENS, &e) < 0) {
		cli_print_error(&e);
		err_release(&e);
		return EXIT_FAIL;
	}
	so.host = app.cfg.host;
	so.port = app.cfg.port;
	so.threads = app.cfg.threads;
	so.max_connections = app.cfg.max_connections;
	so.idle_timeout_s = app.cfg.idle_timeout_s;
	so.max_body = app.cfg.max_body;
	so.max_header_bytes = app.cfg.max_header_bytes;
	so.too_large = app_too_large;
	so.access_log = log_enabled(LOG_INFO);
	if (http_server_start(&so, app_handle, &app, &srv, &e) < 0) {
		cli_print_error(&e);
		goto out;
	}
	log_info("tollgate %s listening on http://%s:%u (%s, %zu content "
		 "types)", TOLLGATE_VERSION, app.cfg.host,
		 http_server_port(srv),
		 app.cfg.production ? "production" : "development",
		 app.reg.n_types);
	sigwait(&set, &sig);
	log_info("received %s: finishing requests in flight",
		 sig == SIGINT ? "SIGINT" : "SIGTERM");
	http_server_stop(srv);
	ret = EXIT_OK;
out:
	app_close(&app);
	err_release(&e);
	return ret;
}
