/*
 * sohoa user: the people who may sign in to 'sohoa serve', with their
 * roles (library: sohoa/users.h).  Every change is recorded in the
 * archive's history with who made it.
 */
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
#include "opt.h"

enum { OPT_JSON = CLI_OPT_LONG, OPT_ROLE, OPT_PASSWORD_STDIN };

static const struct cli_opt options[] = {
	{ "role", OPT_ROLE, "ROLE", "officer, clerk, archivist or admin (add)" },
	{ "password-stdin", OPT_PASSWORD_STDIN, NULL, "read the password as "
	    "one line of standard\ninput (add, passwd)" },
	{ "json", OPT_JSON, NULL, "(list) print [{name, role, disabled,\n"
	    "created_at, changed_at}]" },
	{ NULL, 0, NULL, NULL }
};

static const struct cli_help help = {
	"add NAME --role ROLE [--password-stdin]\n"
	"       sohoa user list [--json]\n"
	"       sohoa user passwd NAME [--password-stdin]\n"
	"       sohoa user role NAME ROLE\n"
	"       sohoa user disable NAME\n"
	"       sohoa user enable NAME",
	"Manage who may sign in to 'sohoa serve'.  ROLE is one of:\n"
	"  officer    search and view documents\n"
	"  clerk      also correct fields, accept flagged values, change a\n"
	"             document's type\n"
	"  archivist  also edit dossier metadata, export, verify and import\n"
	"             bundles\n"
	"  admin      also manage users and read the audit log\n"
	"NAME is 1 to 64 of a-z, 0-9, '.', '_', '-' (capitals are taken as small\n"
	"letters).  The password is asked twice on the terminal, or read as one\n"
	"line from standard input with --password-stdin; it needs at least 8\n"
	"characters and is stored only as an Argon2id hash.  A change ends the\n"
	"user's sessions in the browser.  Changes are in the archive's history\n"
	"as made by $SOHOA_USER (else $USER): see 'sohoa audit'.\n",
	options,
	"Exit status: 0 done, 1 failed, 2 usage.\n",
};

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

struct list {
	struct sohoa_json *j;
};

static int
list_cb(void *arg, const struct sohoa_user *u)
{
	struct list *l = arg;

	if (l->j == NULL) {
		printf("%-20s %-10s %s%s\n", cli_esc(u->name),
		    sohoa_role_name(u->role),
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

static int
known_verb(const char *v)
{
	static const char *const verbs[] = {
		"add", "list", "passwd", "role", "disable", "enable", NULL,
	};
	size_t i;

	for (i = 0; verbs[i] != NULL; i++)
		if (strcmp(v, verbs[i]) == 0)
			return 1;
	return 0;
}

int
cmd_user(int argc, char **argv, struct cli *cli)
{
	struct sohoa_archive *a = NULL;
	struct cli_parser p;
	const char *verb, *name = NULL, *role_arg = NULL;
	char *password = NULL;
	int json = 0, from_stdin = 0, role = SOHOA_ROLE_NONE, c, rc;
	int ret = EXIT_FAILED, want;

	cli_parse_init(&p, cli, &help, argc, argv);
	while ((c = cli_parse(&p)) != CLI_OPT_END) {
		switch (c) {
		case OPT_JSON:
			json = 1;
			break;
		case OPT_PASSWORD_STDIN:
			from_stdin = 1;
			break;
		case OPT_ROLE:
			role_arg = p.arg;
			break;
		default:
			return p.status;
		}
	}
	if (cli_operands(&p, 1, 3, "a command (add, list, passwd, role, "
	    "disable, enable)") != 0)
		return EXIT_USAGE;
	verb = p.argv[0];
	if (!known_verb(verb))
		return cli_usage(cli, "'%s' is not a 'sohoa user' command "
		    "(add, list, passwd, role, disable, enable)",
		    cli_esc(verb));
	want = strcmp(verb, "list") == 0 ? 1 : strcmp(verb, "role") == 0 ?
	    3 : 2;
	if (p.argc != want)
		return cli_usage(cli, "'sohoa user %s' takes %s", verb,
		    want == 1 ? "no operand" : want == 3 ? "NAME ROLE" :
		    "one NAME");
	if (want > 1)
		name = p.argv[1];
	if (want == 3)
		role_arg = p.argv[2];
	if (strcmp(verb, "add") == 0 && role_arg == NULL)
		return cli_usage(cli, "'sohoa user add' needs --role ROLE");
	if (role_arg != NULL && (role = sohoa_role_parse(role_arg)) ==
	    SOHOA_ROLE_NONE)
		return cli_usage(cli, "'%s' is not a role (officer, clerk, "
		    "archivist, admin)", cli_esc(role_arg));
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
	sohoa_archive_set_actor(a, cli_who(), "cli");
	if (strcmp(verb, "list") == 0) {
		ret = do_list(cli, a, json);
		goto out;
	}
	if (strcmp(verb, "add") == 0)
		rc = sohoa_user_add(a, name, role, password);
	else if (strcmp(verb, "passwd") == 0)
		rc = sohoa_user_set_password(a, name, password);
	else if (strcmp(verb, "role") == 0)
		rc = sohoa_user_set_role(a, name, role);
	else
		rc = sohoa_user_set_disabled(a, name,
		    strcmp(verb, "disable") == 0);
	if (rc != SOHOA_OK) {
		ret = cli_fail(cli, NULL);
		goto out;
	}
	cli_info(cli, "user '%s': %s", cli_esc(name),
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
