/* testutil.h — shared set-up for the cmocka unit tests. */
#ifndef WB_TESTUTIL_H
#define WB_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A fresh temporary directory for one test; the caller frees the string. */
static inline char *test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl = malloc(256);
	snprintf(tmpl, 256, "%s/wbtest.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpl)) {
		free(tmpl);
		return NULL;
	}
	return tmpl;
}

/* Removes a directory made by test_tmpdir and everything in it. */
static inline void test_rmtree(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

/* Project root (for test data such as ../shared/mail-corpus). */
static inline const char *test_root(void)
{
	const char *r = getenv("WB_TEST_ROOT");
	return r && *r ? r : ".";
}

/* Milliseconds on the monotonic clock (for deadlines and timings). */
static inline long test_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* A whole file, NUL-terminated; NULL when it cannot be read. The caller frees. */
static inline char *test_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc(n > 0 ? (size_t)n + 1 : 1);
	size_t r = n > 0 ? fread(s, 1, (size_t)n, f) : 0;
	s[r] = '\0';
	fclose(f);
	return s;
}

/* ---- a real SMTP server: tests/smtpd.py (aiosmtpd) on 127.0.0.1 ---- */

#define TEST_PYTHON "/usr/bin/python3"
#define TEST_AIOSMTPD "/usr/lib/python3/dist-packages/aiosmtpd"

struct smtpd {
	pid_t pid;
	int port;
	char *tmp;  /* removed by smtpd_stop */
	char *mail; /* where the server stores NNNN.eml / NNNN.env, ca.pem and its session log */
	char *ca;
};

static struct smtpd *smtpd_running; /* the one to stop in a teardown if a test failed half-way */

/* Starts tests/smtpd.py with extra arguments (NULL-terminated; see the script for them).
 * Skips the test when python3 or aiosmtpd is missing; fails it when the server does not come
 * up within 10 s (its log is shown). */
static inline void smtpd_start(struct smtpd *sv, const char *const *extra)
{
	memset(sv, 0, sizeof *sv);
	if (access(TEST_PYTHON, X_OK) != 0 || access(TEST_AIOSMTPD, F_OK) != 0) {
		fprintf(stderr, "skipping: %s with aiosmtpd is not installed (make deps)\n", TEST_PYTHON);
		skip();
	}
	sv->tmp = test_tmpdir();
	assert_non_null(sv->tmp);
	assert_true(asprintf(&sv->mail, "%s/mail", sv->tmp) > 0);
	assert_true(asprintf(&sv->ca, "%s/ca.pem", sv->mail) > 0);
	char *script, *log;
	assert_true(asprintf(&script, "%s/tests/smtpd.py", test_root()) > 0);
	assert_true(asprintf(&log, "%s/server.log", sv->tmp) > 0);

	const char *argv[32] = {TEST_PYTHON, script, sv->mail, "--lifetime", "60"};
	size_t n = 5;
	for (size_t i = 0; extra && extra[i] && n < 31; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;

	int fd[2];
	assert_int_equal(pipe(fd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		FILE *e = freopen(log, "w", stderr);
		(void)e;
		execv(TEST_PYTHON, (char *const *)argv);
		_exit(127);
	}
	close(fd[1]);
	sv->pid = pid;
	smtpd_running = sv;
	char buf[64] = {0};
	size_t got = 0;
	long deadline = test_now_ms() + 10000;
	while (got < sizeof buf - 1 && !memchr(buf, '\n', got)) {
		struct pollfd p = {.fd = fd[0], .events = POLLIN};
		long left = deadline - test_now_ms();
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		ssize_t r = read(fd[0], buf + got, sizeof buf - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd[0]);
	sv->port = atoi(buf);
	if (sv->port <= 0) {
		char cmd[600];
		snprintf(cmd, sizeof cmd, "cat '%s' >&2", log);
		if (system(cmd) != 0)
			fprintf(stderr, "(no server log)\n");
	}
	free(script);
	free(log);
	assert_true(sv->port > 0);
}

/* Stops the server (if started), removes its files and zeroes sv. */
static inline void smtpd_stop(struct smtpd *sv)
{
	if (smtpd_running == sv)
		smtpd_running = NULL;
	if (sv->pid > 0) {
		kill(sv->pid, SIGTERM);
		long deadline = test_now_ms() + 3000;
		while (waitpid(sv->pid, NULL, WNOHANG) == 0) {
			if (test_now_ms() > deadline) {
				kill(sv->pid, SIGKILL);
				waitpid(sv->pid, NULL, 0);
				break;
			}
			usleep(10000);
		}
	}
	if (sv->tmp)
		test_rmtree(sv->tmp);
	free(sv->tmp);
	free(sv->mail);
	free(sv->ca);
	memset(sv, 0, sizeof *sv);
}

/* How many messages the server accepted so far. */
static inline size_t smtpd_count(const struct smtpd *sv)
{
	DIR *d = opendir(sv->mail);
	if (!d)
		return 0;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strlen(e->d_name) > 4 && strcmp(e->d_name + strlen(e->d_name) - 4, ".eml") == 0)
			n++;
	closedir(d);
	return n;
}

/* How many SMTP sessions (connections) the server saw so far. */
static inline size_t smtpd_sessions(const struct smtpd *sv)
{
	char path[600];
	snprintf(path, sizeof path, "%s/sessions", sv->mail);
	char *s = test_slurp(path);
	size_t n = 0;
	for (const char *p = s; p && *p; p++)
		n += *p == '\n';
	free(s);
	return n;
}

/* The i-th accepted message (1-based) and, when env is not NULL, its envelope (line 1 the
 * MAIL FROM address, then one line per recipient). NULL when there is none; caller frees. */
static inline char *smtpd_received(const struct smtpd *sv, int i, char **env)
{
	char path[600];
	snprintf(path, sizeof path, "%s/%04d.env", sv->mail, i);
	if (env)
		*env = test_slurp(path);
	snprintf(path, sizeof path, "%s/%04d.eml", sv->mail, i);
	return test_slurp(path);
}

#endif
