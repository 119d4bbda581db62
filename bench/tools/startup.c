/* SPDX-License-Identifier: MIT */
/*
 * startup.c: time a server's start-up as a client sees it, from exec to the
 * first "204" answer of GET /_health on 127.0.0.1:PORT. The clock starts
 * just before fork(); the child execs the command at once. Polls every
 * 0.5 ms (a refused connect costs microseconds), gives up after
 * --timeout-ms, then stops the server (SIGTERM, SIGKILL after 5 s) unless
 * --keep is given. Built by bench/run with cc; not part of the product.
 *
 * usage: startup --port P [--timeout-ms N] [--keep] -- COMMAND [ARGS...]
 * Prints "startup_ms=<ms> pid=<pid>"; exit 0 when the server answered,
 * 1 when it did not in time or exited, 2 on usage errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One GET /_health; true when the status line says 204. */
static bool
health_ok(unsigned short port)
{
	static const char req[] = "GET /_health HTTP/1.1\r\n"
				  "Host: 127.0.0.1\r\n"
				  "Connection: close\r\n\r\n";
	struct sockaddr_in a;
	struct timeval tv = { 1, 0 };
	char buf[64];
	size_t got = 0;
	ssize_t n;
	bool ok = false;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		goto out;
	if (write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1))
		goto out;
	while (got < 12) {
		n = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (n <= 0)
			goto out;
		got += (size_t)n;
	}
	buf[got] = '\0';
	ok = !strncmp(buf, "HTTP/1.1 204", 12) || !strncmp(buf, "HTTP/1.0 204", 12);
out:
	close(fd);
	return ok;
}

static void
stop(pid_t pid)
{
	int i;

	kill(pid, SIGTERM);
	for (i = 0; i < 500; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void
usage(void)
{
	fprintf(stderr, "usage: startup --port P [--timeout-ms N] [--keep] "
			"-- COMMAND [ARGS...]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	long port = 0, timeout_ms = 10000;
	bool keep = false, up = false;
	double t0, t;
	pid_t pid;
	int i, status;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--port") && i + 1 < argc)
			port = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--timeout-ms") && i + 1 < argc)
			timeout_ms = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--keep"))
			keep = true;
		else if (!strcmp(argv[i], "--"))
			break;
		else
			usage();
	}
	if (port < 1 || port > 65535 || timeout_ms < 1 ||
	    timeout_ms > 600000 || i + 1 >= argc)
		usage();

	t0 = now_ms();
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[i + 1], argv + i + 1);
		perror("exec");
		_exit(127);
	}
	for (;;) {
		if (health_ok((unsigned short)port)) {
			up = true;
			break;
		}
		t = now_ms();
		if (t - t0 > (double)timeout_ms)
			break;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			fprintf(stderr, "startup: the server exited (status "
					"%d)\n", status);
			return 1;
		}
		usleep(500);
	}
	t = now_ms();
	if (up)
		printf("startup_ms=%.2f pid=%ld\n", t - t0, (long)pid);
	else
		fprintf(stderr, "startup: no 204 from /_health within %ld ms\n",
			timeout_ms);
	fflush(stdout);
	if (!keep || !up)
		stop(pid);
	return up ? 0 : 1;
}
