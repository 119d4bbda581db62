/* SPDX-License-Identifier: MIT */
/*
 * replay_main.c: a main() for any fuzz target built without libFuzzer. It
 * feeds LLVMFuzzerTestOneInput() every file in each directory named on the
 * command line (a missing directory is skipped, a named file is run
 * directly), so the corpus and the regressions run as an ordinary test.
 * A crash aborts the run; a file that cannot be read counts as failed.
 */
#include "core/compat.h"

#include <dirent.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct tally {
	size_t passed, failed;
};

/* Read the whole file 'path'; returns 0 and a new buffer, or -1. */
static int
read_file(const char *path, uint8_t **out, size_t *len)
{
	uint8_t *buf = NULL, *tmp;
	size_t n = 0, alloc = 0, got;
	FILE *fp;
	int ret = -1;

	fp = fopen(path, "rb");
	if (!fp)
		return -1;
	for (;;) {
		if (alloc - n < 4096) {
			alloc = alloc ? alloc * 2 : 8192;
			tmp = realloc(buf, alloc);
			if (!tmp)
				goto out;
			buf = tmp;
		}
		got = fread(buf + n, 1, alloc - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp))
		goto out;
	*out = buf;
	*len = n;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	fclose(fp);
	return ret;
}

static void
run_file(const char *path, struct tally *t)
{
	uint8_t *data = NULL;
	size_t len = 0;

	if (read_file(path, &data, &len)) {
		fprintf(stderr, "replay: cannot read %s: %s\n", path,
			strerror(errno));
		t->failed++;
		return;
	}
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	t->passed++;
}

static int
skip_entry(const struct dirent *d)
{
	return d->d_name[0] != '.'; /* ".", "..", ".gitkeep" */
}

static void
run_dir(const char *dir, struct tally *t)
{
	struct dirent **names = NULL;
	struct stat st;
	char *path;
	int n, i;

	n = scandir(dir, &names, skip_entry, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: skipping %s: %s\n", dir,
			strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		if (asprintf(&path, "%s/%s", dir, names[i]->d_name) < 0) {
			t->failed++;
			free(names[i]);
			continue;
		}
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			run_file(path, t);
		free(path);
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char **argv)
{
	struct tally t = {0, 0};
	struct stat st;
	int i;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISREG(st.st_mode))
			run_file(argv[i], &t);
		else
			run_dir(argv[i], &t);
	}
	printf("%zu passed, %zu failed\n", t.passed, t.failed);
	return t.failed ? 1 : 0;
}
