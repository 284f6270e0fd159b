/*
 * sohoa user: the people who may sign in to 'sohoa serve', with their
 * roles (library: sohoa/users.h).  Every change is recorded in the
 * archive's history with who made it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sohoa/archive.h"
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "sohoa/users.h"
#include "cli.h"

static const char usage_text[] =
"usage: sohoa user add NAME --role ROLE [--password-stdin]\n"
"       sohoa user list [--json]\n"
"       sohoa user passwd NAME [--password-stdin]\n"
"       sohoa user role NAME ROLE\n"
"       sohoa user disable NAME\n"
"       sohoa user enable NAME\n"
"\n"
"Manage who may sign in to 'sohoa serve'.  ROLE is one of:\n"
"  officer    search and view documents\n"
"  clerk      also correct fields, accept flagged values, change a\n"
"             document's type, retry failed pages\n"
"  archivist  also edit dossier metadata, export, verify and import bundles\n"
"  admin      also manage users and read the audit log\n"
"NAME is 1 to 64 of a-z, 0-9, '.', '_', '-'.  The password is asked twice\n"
"on the terminal, or read as one line from standard input with\n"
"--password-stdin; it needs at least 8 characters and is stored only as an\n"
"Argon2id hash.  A change ends the user's sessions in the browser.\n"
"Changes are recorded as made by $SOHOA_USER (else $USER).\n"
"\n"
"  --json   (list) print [{name, role, disabled, created_at, changed_at}]\n"
"\n"
"Exit status: 0 done, 1 failed, 2 usage.\n";

/* One line of standard input without its line end; NULL at EOF/error */
static char *
read_line(FILE *f)
{
	struct sohoa_buf b = SOHOA_BUF_INIT;
	int c;

	while ((c = fgetc(f)) != EOF && c != '\n') {
		if (b.len > SOHOA_PASSWORD_MAX + 1)
			continue;	/* too long: checked by the library */
		if (sohoa_buf_addch(&b, c) != SOHOA_OK) {
			sohoa_buf_release(&b);
			return NULL;
		}
	}
	if (c == EOF && b.len == 0) {
		sohoa_buf_release(&b);
		return NULL;
	}
	if (b.len > 0 && b.buf[b.len - 1] == '\r')
		sohoa_buf_truncate(&b, b.len - 1);
	return sohoa_buf_detach(&b, NULL);
}

static char *
prompt(const char *what)
{
	struct termios old, quiet;
	char *line;

	fprintf(stderr, "%s: ", what);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &old) != 0)
		return NULL;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	line = read_line(stdin);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return line;
}

static void
wipe(char **p)
{
	if (*p != NULL) {
		memset(*p, 0, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

/* The new password: from standard input, or asked twice on a terminal */
static char *
get_password(int from_stdin)
{
	char *a, *b;

	if (from_stdin) {
		a = read_line(stdin);
		if (a == NULL)
			cli_error("no password on standard input");
		return a;
	}
	if (!isatty(STDIN_FILENO)) {
		cli_error("standard input is not a terminal: pass the password "
		    "with --password-stdin");
		return NULL;
	}
	a = prompt("new password");
	b = a ? prompt("again") : NULL;
	if (a == NULL || b == NULL || strcmp(a, b) != 0) {
		cli_error("the two passwords differ");
		wipe(&a);
	}
	wipe(&b);
	return a;
}

static const char *
actor(void)
{
	const char *who = getenv("SOHOA_USER");

	if (who == NULL || *who == '\0')
		who = getenv("USER");
	return who && *who ? who : "unknown";
}

struct list {
	struct sohoa_json *j;
};

static int
list_cb(void *arg, const struct sohoa_user *u)
{
	struct list *l = arg;

	if (l->j == NULL) {
		printf("%-20s %-10s %s%s\n", u->name, sohoa_role_name(u->role),
		    u->created_at, u->disabled ? "  disabled" : "");
		return 0;
	}
	sohoa_json_obj_open(l->j);
	sohoa_json_key(l->j, "name");
	sohoa_json_str(l->j, u->name);
	sohoa_json_key(l->j, "role");
	sohoa_json_str(l->j, sohoa_role_name(u->role));
	sohoa_json_key(l->j, "disabled");
	sohoa_json_bool(l->j, u->disabled);
	sohoa_json_key(l->j, "created_at");
	sohoa_json_str(l->j, u->created_at);
	sohoa_json_key(l->j, "changed_at");
	sohoa_json_str(l->j, u->changed_at);
	sohoa_json_obj_close(l->j);
	return 0;
}

static int
do_list(struct cli *cli, struct sohoa_archive *a, int json)
{
	struct sohoa_buf out = SOHOA_BUF_INIT;
	struct sohoa_json j;
	struct list l = { json ? &j : NULL };
	int ret;

	if (json) {
		sohoa_json_init(&j, &out, 0);
		sohoa_json_arr_open(&j);
	}
	if (sohoa_user_list(a, list_cb, &l) != SOHOA_OK) {
		sohoa_buf_release(&out);
		return cli_fail(cli, "cannot list users");
	}
	if (!json)
		return fflush(stdout) == 0 ? EXIT_DONE : EXIT_FAILED;
	sohoa_json_arr_close(&j);
	ret = j.rc == SOHOA_OK ? cli_print(&out) : EXIT_FAILED;
	sohoa_buf_release(&out);
	return ret;
}

int cmd_user(int argc, char **argv, struct cli *cli);

int
cmd_user(int argc, char **argv, struct cli *cli)
{
	struct sohoa_archive *a = NULL;
	const char *verb = NULL, *args[2] = { NULL, NULL }, *role_arg = NULL;
	char *password = NULL;
	int i, nargs = 0, json = 0, from_stdin = 0, role, rc, ret = EXIT_FAILED;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_text, stdout);
			return EXIT_DONE;
		} else if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (strcmp(argv[i], "--password-stdin") == 0) {
			from_stdin = 1;
		} else if (strcmp(argv[i], "--role") == 0 && i + 1 < argc) {
			role_arg = argv[++i];
		} else if (strncmp(argv[i], "--role=", 7) == 0) {
			role_arg = argv[i] + 7;
		} else if (argv[i][0] == '-') {
			cli_error("unknown option '%s'", argv[i]);
			return cli_usage(usage_text);
		} else if (verb == NULL) {
			verb = argv[i];
		} else if (nargs < 2) {
			args[nargs++] = argv[i];
		} else {
			cli_error("unexpected argument '%s'", argv[i]);
			return cli_usage(usage_text);
		}
	}
	if (verb == NULL)
		return cli_usage(usage_text);
	if (strcmp(verb, "role") == 0 && nargs == 2) {
		role_arg = args[1];
		nargs = 1;
	}
	if ((strcmp(verb, "list") == 0 && nargs != 0) ||
	    (strcmp(verb, "list") != 0 && nargs != 1) ||
	    ((strcmp(verb, "add") == 0 || strcmp(verb, "role") == 0) &&
	    role_arg == NULL))
		return cli_usage(usage_text);
	role = role_arg ? sohoa_role_parse(role_arg) : SOHOA_ROLE_NONE;
	if (role_arg != NULL && role == SOHOA_ROLE_NONE) {
		cli_error("'%s' is not a role (officer, clerk, archivist, "
		    "admin)", role_arg);
		return cli_usage(usage_text);
	}
	if (strcmp(verb, "add") != 0 && strcmp(verb, "list") != 0 &&
	    strcmp(verb, "passwd") != 0 && strcmp(verb, "role") != 0 &&
	    strcmp(verb, "disable") != 0 && strcmp(verb, "enable") != 0) {
		cli_error("'%s' is not a 'sohoa user' command", verb);
		return cli_usage(usage_text);
	}
	if (strcmp(verb, "add") == 0 || strcmp(verb, "passwd") == 0) {
		password = get_password(from_stdin);
		if (password == NULL)
			return EXIT_FAILED;
	}
	if (sohoa_archive_open(cli->ctx, cli->archive, strcmp(verb, "list") ==
	    0 ? SOHOA_ARCHIVE_READONLY : 0, &a) != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	sohoa_archive_set_actor(a, actor(), "cli");
	if (strcmp(verb, "list") == 0) {
		ret = do_list(cli, a, json);
		goto out;
	}
	if (strcmp(verb, "add") == 0)
		rc = sohoa_user_add(a, args[0], role, password);
	else if (strcmp(verb, "passwd") == 0)
		rc = sohoa_user_set_password(a, args[0], password);
	else if (strcmp(verb, "role") == 0)
		rc = sohoa_user_set_role(a, args[0], role);
	else
		rc = sohoa_user_set_disabled(a, args[0],
		    strcmp(verb, "disable") == 0);
	if (rc != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	fprintf(stderr, "sohoa: user '%s': %s\n", args[0],
	    strcmp(verb, "add") == 0 ? "added" :
	    strcmp(verb, "passwd") == 0 ? "password changed" :
	    strcmp(verb, "role") == 0 ? "role changed" :
	    strcmp(verb, "disable") == 0 ? "disabled" : "enabled");
	ret = EXIT_DONE;
out:
	wipe(&password);
	sohoa_archive_close(&a);
	return ret;
}
