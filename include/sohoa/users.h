/*
 * People who may sign in to the archive's web interface ('sohoa serve'),
 * with their role.  Passwords are hashed with Argon2id (libargon2, OWASP
 * parameters m = 19 MiB, t = 2, p = 1) and never stored, logged or
 * returned.  Every change is recorded in the archive's history
 * (SOHOA_EV_USER_ADD, SOHOA_EV_USER_CHANGE) by the archive's actor
 * (sohoa_archive_set_actor), in the same transaction as the change.
 *
 *   sohoa_role_name / _parse     roles and what each may do
 *   sohoa_user_add               a new user
 *   sohoa_user_list / _get       read users
 *   sohoa_user_set_role          change a role
 *   sohoa_user_set_disabled      disable or enable
 *   sohoa_user_set_password      new password
 *   sohoa_user_verify            check a password at login
 *
 * User names are 1 to 64 characters of a-z, 0-9, '.', '_' and '-',
 * starting with a letter or a digit; capitals are taken as small letters.
 */
#ifndef SOHOA_USERS_H
#define SOHOA_USERS_H

#include <stddef.h>
#include <stdint.h>
#include "sohoa/sohoa.h"
#include "sohoa/buf.h"

struct sohoa_archive;

/*
 * Roles, each allowed what the one before it is, and more.  An officer
 * searches and views; a clerk also corrects fields, accepts flagged
 * values, changes a document's type and retries failed pages; an
 * archivist also edits dossier metadata, exports and imports bundles;
 * an admin also manages users and reads the audit log.
 */
enum sohoa_role {
	SOHOA_ROLE_NONE = 0,
	SOHOA_ROLE_OFFICER,
	SOHOA_ROLE_CLERK,
	SOHOA_ROLE_ARCHIVIST,
	SOHOA_ROLE_ADMIN,
};

/* "officer", "clerk", "archivist", "admin" ("" for none). */
const char *sohoa_role_name(int role);
/* The role named S, SOHOA_ROLE_NONE when S names none. */
int sohoa_role_parse(const char *s);

/* Shortest and longest password accepted, in bytes. */
#define SOHOA_PASSWORD_MIN 8
#define SOHOA_PASSWORD_MAX 1024

struct sohoa_user {
	int64_t id;
	const char *name;
	int role;		/* enum sohoa_role */
	int disabled;
	const char *created_at;
	const char *changed_at;	/* last change of role, password, state */
};

/*
 * Check NAME as a user name and append its stored form (small letters)
 * to OUT.  SOHOA_ERR_INPUT with a message saying what is allowed.
 */
int sohoa_user_name_check(struct sohoa_ctx *ctx, const char *name,
    struct sohoa_buf *out);

/*
 * Add user NAME with ROLE and PASSWORD.  An existing name, a bad name or
 * role, or a password shorter than SOHOA_PASSWORD_MIN is
 * SOHOA_ERR_INPUT.
 */
int sohoa_user_add(struct sohoa_archive *a, const char *name, int role,
    const char *password);

/*
 * Call CB for each user, ordered by name; a non-zero return from CB stops
 * the walk and is returned.
 */
int sohoa_user_list(struct sohoa_archive *a,
    int (*cb)(void *arg, const struct sohoa_user *u), void *arg);

/* Call CB once with user NAME; SOHOA_ERR_NOTFOUND when there is none. */
int sohoa_user_get(struct sohoa_archive *a, const char *name,
    int (*cb)(void *arg, const struct sohoa_user *u), void *arg);

int sohoa_user_set_role(struct sohoa_archive *a, const char *name, int role);
int sohoa_user_set_disabled(struct sohoa_archive *a, const char *name,
    int disabled);
int sohoa_user_set_password(struct sohoa_archive *a, const char *name,
    const char *password);

/*
 * Check PASSWORD for user NAME.  SOHOA_OK when it is right and the user
 * is not disabled; otherwise SOHOA_ERR_INVALID, the same for a wrong
 * password, an unknown user and a disabled one (a hash is computed in
 * every case, so the time taken does not tell them apart).  Nothing is
 * recorded: the caller records the login or the failed attempt.
 */
int sohoa_user_verify(struct sohoa_archive *a, const char *name,
    const char *password);

#endif
