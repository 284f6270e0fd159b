/*
 * Tests of the users of the web interface (index/users.c): names and
 * roles checked, Argon2id hashes stored (never the password), verify
 * right/wrong/unknown/disabled, role and password changes, and the
 * events every change records with its actor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sohoa/archive.h"
#include "archive_private.h"
#include "sohoa/history.h"
#include "sohoa/users.h"
#include "check.h"

static char tmpdir[64];

static char *
query_text(struct sohoa_archive *a, const char *sql)
{
	sqlite3_stmt *st = NULL;
	char *v = NULL;

	if (sqlite3_prepare_v2(sohoa_archive_db(a), sql, -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0) != NULL)
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

struct seen {
	int n;
	char names[8][65];
	int roles[8];
	int disabled[8];
};

static int
on_user(void *arg, const struct sohoa_user *u)
{
	struct seen *s = arg;

	if (s->n < 8) {
		snprintf(s->names[s->n], sizeof(s->names[0]), "%s", u->name);
		s->roles[s->n] = u->role;
		s->disabled[s->n] = u->disabled;
	}
	s->n++;
	return 0;
}

struct evs {
	int n;
	char last[256];
};

static int
on_event(void *arg, const struct sohoa_event *ev)
{
	struct evs *e = arg;

	if (e->n == 0)
		snprintf(e->last, sizeof(e->last), "%s %s %s %s %s %s",
		    ev->who, ev->source, ev->action, ev->key ? ev->key : "-",
		    ev->old_value ? ev->old_value : "-",
		    ev->new_value ? ev->new_value : "-");
	e->n++;
	return 0;
}

static void
test_roles(void)
{
	CHECK_STR_EQ("clerk", sohoa_role_name(SOHOA_ROLE_CLERK));
	CHECK_INT_EQ(SOHOA_ROLE_ADMIN, sohoa_role_parse("admin"));
	CHECK_INT_EQ(SOHOA_ROLE_NONE, sohoa_role_parse("root"));
	CHECK_INT_EQ(SOHOA_ROLE_NONE, sohoa_role_parse(NULL));
	CHECK(SOHOA_ROLE_OFFICER < SOHOA_ROLE_CLERK &&
	    SOHOA_ROLE_CLERK < SOHOA_ROLE_ARCHIVIST &&
	    SOHOA_ROLE_ARCHIVIST < SOHOA_ROLE_ADMIN);
}

static void
test_users(struct sohoa_ctx *ctx)
{
	struct sohoa_archive *a = NULL;
	struct seen s;
	struct evs e;
	struct sohoa_event_filter f;
	char *hash;

	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_open(ctx, tmpdir,
	    SOHOA_ARCHIVE_CREATE, &a));
	if (a == NULL)
		return;
	sohoa_archive_set_actor(a, "tester", "cli");

	/* bad input is refused with a message, nothing stored */
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_user_add(a, "", SOHOA_ROLE_CLERK,
	    "long enough"));
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_user_add(a, "../x",
	    SOHOA_ROLE_CLERK, "long enough"));
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_user_add(a, "Lan Anh",
	    SOHOA_ROLE_CLERK, "long enough"));
	CHECK(strstr(sohoa_errmsg(ctx), "not a user name") != NULL);
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_user_add(a, "lan", 0,
	    "long enough"));
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_user_add(a, "lan",
	    SOHOA_ROLE_CLERK, "short"));
	CHECK(strstr(sohoa_errmsg(ctx), "at least 8") != NULL);

	/* names are kept in small letters; a second one is refused */
	CHECK_INT_EQ(SOHOA_OK, sohoa_user_add(a, "Lan.Nguyen",
	    SOHOA_ROLE_CLERK, "mật khẩu dài"));
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_user_add(a, "lan.nguyen",
	    SOHOA_ROLE_ADMIN, "another one"));
	CHECK(strstr(sohoa_errmsg(ctx), "already exists") != NULL);
	CHECK_INT_EQ(SOHOA_OK, sohoa_user_add(a, "minh", SOHOA_ROLE_OFFICER,
	    "officer pass"));

	/* only an Argon2id hash with the OWASP parameters is stored */
	hash = query_text(a, "SELECT pwhash FROM users WHERE name = "
	    "'lan.nguyen'");
	CHECK(hash != NULL && strncmp(hash,
	    "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0);
	CHECK(hash != NULL && strstr(hash, "mật") == NULL);
	free(hash);

	memset(&s, 0, sizeof(s));
	CHECK_INT_EQ(SOHOA_OK, sohoa_user_list(a, on_user, &s));
	CHECK_INT_EQ(2, s.n);
	CHECK_STR_EQ("lan.nguyen", s.names[0]);
	CHECK_INT_EQ(SOHOA_ROLE_CLERK, s.roles[0]);
	CHECK_STR_EQ("minh", s.names[1]);

	/* verify: right, wrong, unknown, all but the first the same error */
	CHECK_INT_EQ(SOHOA_OK, sohoa_user_verify(a, "LAN.NGUYEN",
	    "mật khẩu dài"));
	CHECK_INT_EQ(SOHOA_ERR_INVALID, sohoa_user_verify(a, "lan.nguyen",
	    "mật khẩu dai"));
	CHECK_INT_EQ(SOHOA_ERR_INVALID, sohoa_user_verify(a, "nobody",
	    "mật khẩu dài"));
	CHECK_INT_EQ(SOHOA_ERR_INVALID, sohoa_user_verify(a, "bad name!",
	    "x"));
	CHECK_INT_EQ(SOHOA_ERR_INVALID, sohoa_user_verify(a, "minh", ""));

	/* disabled users cannot sign in; enabled again they can */
	CHECK_INT_EQ(SOHOA_OK, sohoa_user_set_disabled(a, "minh", 1));
	CHECK_INT_EQ(SOHOA_ERR_INVALID, sohoa_user_verify(a, "minh",
	    "officer pass"));
	memset(&s, 0, sizeof(s));
	CHECK_INT_EQ(SOHOA_OK, sohoa_user_get(a, "minh", on_user, &s));
	CHECK_INT_EQ(1, s.disabled[0]);
	CHECK_INT_EQ(SOHOA_OK, sohoa_user_set_disabled(a, "minh", 0));
	CHECK_INT_EQ(SOHOA_OK, sohoa_user_verify(a, "minh", "officer pass"));

	/* a new password replaces the old one */
	CHECK_INT_EQ(SOHOA_OK, sohoa_user_set_password(a, "minh",
	    "new officer pass"));
	CHECK_INT_EQ(SOHOA_ERR_INVALID, sohoa_user_verify(a, "minh",
	    "officer pass"));
	CHECK_INT_EQ(SOHOA_OK, sohoa_user_verify(a, "minh",
	    "new officer pass"));
	CHECK_INT_EQ(SOHOA_ERR_INPUT, sohoa_user_set_password(a, "minh", "x"));

	CHECK_INT_EQ(SOHOA_OK, sohoa_user_set_role(a, "minh",
	    SOHOA_ROLE_ARCHIVIST));
	CHECK_INT_EQ(SOHOA_ERR_NOTFOUND, sohoa_user_set_role(a, "nobody",
	    SOHOA_ROLE_CLERK));
	CHECK_INT_EQ(SOHOA_ERR_NOTFOUND, sohoa_user_get(a, "nobody", on_user,
	    &s));

	/* every change is an event, by the actor, without a password */
	memset(&f, 0, sizeof(f));
	memset(&e, 0, sizeof(e));
	f.action = SOHOA_EV_USER_CHANGE;
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_event_list(a, &f, on_event, &e));
	CHECK_INT_EQ(4, e.n);
	CHECK_STR_EQ("tester cli user_change minh officer archivist", e.last);
	memset(&e, 0, sizeof(e));
	f.action = SOHOA_EV_USER_ADD;
	CHECK_INT_EQ(SOHOA_OK, sohoa_archive_event_list(a, &f, on_event, &e));
	CHECK_INT_EQ(2, e.n);
	CHECK_STR_EQ("tester cli user_add minh - officer", e.last);
	hash = query_text(a, "SELECT count(*) FROM events WHERE"
	    " coalesce(old_value, '') || coalesce(new_value, '') ||"
	    " coalesce(detail, '') LIKE '%officer pass%'");
	CHECK_STR_EQ("0", hash);
	free(hash);
	sohoa_archive_close(&a);
}

int
main(void)
{
	struct sohoa_ctx *ctx = sohoa_ctx_new();
	char cmd[128];

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_users_XXXXXX");
	if (ctx == NULL || mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	sohoa_global_init();
	test_roles();
	test_users(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	sohoa_ctx_destroy(&ctx);
	return check_done("test_index_users");
}
