/*
 * The users table: who may sign in to 'sohoa serve', with which role.
 * See include/sohoa/users.h.  Passwords go through libargon2's Argon2id
 * and only its encoded string ($argon2id$v=19$m=19456,t=2,p=1$salt$hash)
 * is stored; each change writes its event in the same transaction.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "sohoa/users.h"
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "archive_private.h"

/* OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB, 2 passes, 1 lane */
#define PW_T_COST 2
#define PW_M_COST (19 * 1024)
#define PW_LANES 1
#define PW_SALT 16
#define PW_HASH 32

static const char *const role_names[] = {
	"", "officer", "clerk", "archivist", "admin",
};

const char *
sohoa_role_name(int role)
{
	if (role < SOHOA_ROLE_NONE || role > SOHOA_ROLE_ADMIN)
		return "";
	return role_names[role];
}

int
sohoa_role_parse(const char *s)
{
	int r;

	for (r = SOHOA_ROLE_OFFICER; s != NULL && r <= SOHOA_ROLE_ADMIN; r++)
		if (strcmp(s, role_names[r]) == 0)
			return r;
	return SOHOA_ROLE_NONE;
}

int
sohoa_user_name_check(struct sohoa_ctx *ctx, const char *name,
    struct sohoa_buf *out)
{
	size_t i, n = name ? strlen(name) : 0;
	char c;

	if (n == 0 || n > 64)
		goto bad;
	for (i = 0; i < n; i++) {
		c = name[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (i > 0 && (c == '.' || c == '_' || c == '-'))))
			goto bad;
		if (sohoa_buf_addch(out, c) != SOHOA_OK)
			return sohoa_set_error(ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
	}
	return SOHOA_OK;
bad:
	return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "'%s' is not a user name "
	    "(1 to 64 letters a-z, digits, '.', '_' or '-', starting with a "
	    "letter or a digit)", name ? name : "");
}

static int
password_check(struct sohoa_ctx *ctx, const char *password)
{
	size_t n = password ? strlen(password) : 0;

	if (n < SOHOA_PASSWORD_MIN)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "a password needs "
		    "at least %d characters", SOHOA_PASSWORD_MIN);
	if (n > SOHOA_PASSWORD_MAX)
		return sohoa_set_error(ctx, SOHOA_ERR_INPUT, "a password may "
		    "have at most %d characters", SOHOA_PASSWORD_MAX);
	return SOHOA_OK;
}

/* Argon2id of PASSWORD with a fresh random salt, encoded, into OUT. */
static int
hash_password(struct sohoa_ctx *ctx, const char *password,
    struct sohoa_buf *out)
{
	unsigned char salt[PW_SALT];
	size_t len = argon2_encodedlen(PW_T_COST, PW_M_COST, PW_LANES, PW_SALT,
	    PW_HASH, Argon2_id);
	int rc;

	if (RAND_bytes(salt, sizeof(salt)) != 1)
		return sohoa_set_error(ctx, SOHOA_ERR_CRYPTO,
		    "cannot make a random salt");
	if (sohoa_buf_grow(out, len) != SOHOA_OK)
		return sohoa_set_error(ctx, SOHOA_ERR_NOMEM, "out of memory");
	rc = argon2id_hash_encoded(PW_T_COST, PW_M_COST, PW_LANES, password,
	    strlen(password), salt, sizeof(salt), PW_HASH, out->buf + out->len,
	    len);
	OPENSSL_cleanse(salt, sizeof(salt));
	if (rc != ARGON2_OK)
		return sohoa_set_error(ctx, SOHOA_ERR_CRYPTO,
		    "cannot hash the password: %s", argon2_error_message(rc));
	out->len += strlen(out->buf + out->len);
	return SOHOA_OK;
}

static int
step_done(struct sohoa_archive *a, sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		return sohoa_archive_db_error(a, what);
	return SOHOA_OK;
}

static int
user_event(struct sohoa_archive *a, const char *action, const char *name,
    const char *change, const char *old_value, const char *new_value)
{
	struct sohoa_buf detail = SOHOA_BUF_INIT;
	struct sohoa_event ev;
	struct sohoa_json j;
	int rc;

	sohoa_json_init(&j, &detail, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "user");
	sohoa_json_str(&j, name);
	if (change != NULL) {
		sohoa_json_key(&j, "change");
		sohoa_json_str(&j, change);
	}
	sohoa_json_obj_close(&j);
	if (j.rc != SOHOA_OK) {
		sohoa_buf_release(&detail);
		return sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
	}
	memset(&ev, 0, sizeof(ev));
	ev.action = action;
	ev.key = name;
	ev.old_value = old_value;
	ev.new_value = new_value;
	ev.detail = detail.buf;
	rc = sohoa_archive_event_add(a, &ev, NULL);
	sohoa_buf_release(&detail);
	return rc;
}

int
sohoa_user_add(struct sohoa_archive *a, const char *name, int role,
    const char *password)
{
	struct sohoa_buf norm = SOHOA_BUF_INIT, hash = SOHOA_BUF_INIT;
	struct sohoa_buf now = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc, step;

	rc = sohoa_user_name_check(a->ctx, name, &norm);
	if (rc != SOHOA_OK)
		goto out;
	if (role < SOHOA_ROLE_OFFICER || role > SOHOA_ROLE_ADMIN) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "a role is one of "
		    "officer, clerk, archivist, admin");
		goto out;
	}
	rc = password_check(a->ctx, password);
	if (rc != SOHOA_OK)
		goto out;
	rc = hash_password(a->ctx, password, &hash);
	if (rc != SOHOA_OK)
		goto out;
	if (sohoa_archive_now(&now) != SOHOA_OK) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_archive_prepare(a, "INSERT INTO users(name, role, pwhash,"
	    " created_at, changed_at) VALUES (?1, ?2, ?3, ?4, ?4)"
	    " ON CONFLICT(name) DO NOTHING", &st);
	if (rc != SOHOA_OK)
		goto fail;
	sqlite3_bind_text(st, 1, norm.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, sohoa_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now.buf, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step != SQLITE_DONE) {
		rc = sohoa_archive_db_error(a, "add a user");
		goto fail;
	}
	if (sqlite3_changes(a->db) == 0) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "user '%s' "
		    "already exists", norm.buf);
		goto fail;
	}
	rc = user_event(a, SOHOA_EV_USER_ADD, norm.buf, NULL, NULL,
	    sohoa_role_name(role));
	if (rc != SOHOA_OK)
		goto fail;
	rc = sohoa_archive_commit(a);
	goto out;
fail:
	sohoa_archive_rollback(a);
out:
	sqlite3_finalize(st);
	OPENSSL_cleanse(hash.buf, hash.len);
	sohoa_buf_release(&hash);
	sohoa_buf_release(&norm);
	sohoa_buf_release(&now);
	return rc;
}

#define USER_COLUMNS "id, name, role, disabled, created_at, changed_at"

static int
run(struct sohoa_archive *a, sqlite3_stmt *st,
    int (*cb)(void *arg, const struct sohoa_user *u), void *arg, int *pn)
{
	struct sohoa_user u;
	int rc, step;

	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&u, 0, sizeof(u));
		u.id = sqlite3_column_int64(st, 0);
		u.name = (const char *)sqlite3_column_text(st, 1);
		u.role = sohoa_role_parse((const char *)
		    sqlite3_column_text(st, 2));
		u.disabled = sqlite3_column_int(st, 3);
		u.created_at = (const char *)sqlite3_column_text(st, 4);
		u.changed_at = (const char *)sqlite3_column_text(st, 5);
		if (pn != NULL)
			(*pn)++;
		rc = cb(arg, &u);
		if (rc != 0)
			return rc;
	}
	if (step != SQLITE_DONE)
		return sohoa_archive_db_error(a, "read the users");
	return SOHOA_OK;
}

int
sohoa_user_list(struct sohoa_archive *a,
    int (*cb)(void *arg, const struct sohoa_user *u), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sohoa_archive_prepare(a, "SELECT " USER_COLUMNS " FROM users"
	    " ORDER BY name", &st);
	if (rc != SOHOA_OK)
		return rc;
	rc = run(a, st, cb, arg, NULL);
	sqlite3_finalize(st);
	return rc;
}

static int
no_user(struct sohoa_archive *a, const char *name)
{
	return sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND, "no user '%s' "
	    "(see 'sohoa user list')", name);
}

int
sohoa_user_get(struct sohoa_archive *a, const char *name,
    int (*cb)(void *arg, const struct sohoa_user *u), void *arg)
{
	struct sohoa_buf norm = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc, n = 0;

	rc = sohoa_user_name_check(a->ctx, name, &norm);
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_archive_prepare(a, "SELECT " USER_COLUMNS " FROM users"
	    " WHERE name = ?", &st);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_text(st, 1, norm.buf, -1, SQLITE_STATIC);
	rc = run(a, st, cb, arg, &n);
	if (rc == SOHOA_OK && n == 0)
		rc = no_user(a, norm.buf);
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&norm);
	return rc;
}

/*
 * Set COLUMN of user NAME to VALUE (and changed_at to now), recording
 * CHANGE with the old and new values shown as OLD_SHOWN / NEW_SHOWN
 * (NULL for a password).  COLUMN is one of ours, never user input.
 */
static int
update(struct sohoa_archive *a, const char *name, const char *column,
    const char *value, const char *change, const char *new_shown)
{
	struct sohoa_buf norm = SOHOA_BUF_INIT, now = SOHOA_BUF_INIT;
	struct sohoa_buf sql = SOHOA_BUF_INIT, old = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc, step, has_old = 0;

	rc = sohoa_user_name_check(a->ctx, name, &norm);
	if (rc != SOHOA_OK)
		goto out;
	if (sohoa_archive_now(&now) != SOHOA_OK ||
	    sohoa_buf_addf(&sql, "SELECT %s FROM users WHERE name = ?",
	    column) != SOHOA_OK) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_archive_prepare(a, sql.buf, &st);
	if (rc != SOHOA_OK)
		goto fail;
	sqlite3_bind_text(st, 1, norm.buf, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = no_user(a, norm.buf);
		goto fail;
	}
	if (step != SQLITE_ROW) {
		rc = sohoa_archive_db_error(a, "read a user");
		goto fail;
	}
	if (new_shown != NULL) {
		has_old = 1;
		if (sohoa_buf_adds(&old, (const char *)
		    sqlite3_column_text(st, 0)) != SOHOA_OK) {
			rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM,
			    "out of memory");
			goto fail;
		}
	}
	sqlite3_finalize(st);
	st = NULL;
	sohoa_buf_reset(&sql);
	if (sohoa_buf_addf(&sql, "UPDATE users SET %s = ?1, changed_at = ?2"
	    " WHERE name = ?3", column) != SOHOA_OK) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
		goto fail;
	}
	rc = sohoa_archive_prepare(a, sql.buf, &st);
	if (rc != SOHOA_OK)
		goto fail;
	sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, norm.buf, -1, SQLITE_STATIC);
	rc = step_done(a, st, "change a user");
	if (rc != SOHOA_OK)
		goto fail;
	rc = user_event(a, SOHOA_EV_USER_CHANGE, norm.buf, change,
	    has_old ? old.buf : NULL, new_shown);
	if (rc != SOHOA_OK)
		goto fail;
	rc = sohoa_archive_commit(a);
	goto out;
fail:
	sohoa_archive_rollback(a);
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&norm);
	sohoa_buf_release(&now);
	sohoa_buf_release(&sql);
	sohoa_buf_release(&old);
	return rc;
}

int
sohoa_user_set_role(struct sohoa_archive *a, const char *name, int role)
{
	if (role < SOHOA_ROLE_OFFICER || role > SOHOA_ROLE_ADMIN)
		return sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "a role is one "
		    "of officer, clerk, archivist, admin");
	return update(a, name, "role", sohoa_role_name(role), "role",
	    sohoa_role_name(role));
}

int
sohoa_user_set_disabled(struct sohoa_archive *a, const char *name,
    int disabled)
{
	return update(a, name, "disabled", disabled ? "1" : "0", "disabled",
	    disabled ? "1" : "0");
}

int
sohoa_user_set_password(struct sohoa_archive *a, const char *name,
    const char *password)
{
	struct sohoa_buf hash = SOHOA_BUF_INIT;
	int rc;

	rc = password_check(a->ctx, password);
	if (rc == SOHOA_OK)
		rc = hash_password(a->ctx, password, &hash);
	if (rc == SOHOA_OK)
		rc = update(a, name, "pwhash", hash.buf, "password", NULL);
	OPENSSL_cleanse(hash.buf, hash.len);
	sohoa_buf_release(&hash);
	return rc;
}

/*
 * A hash to verify against when the user does not exist or is disabled,
 * so that a wrong name costs as much time as a wrong password.
 */
static char dummy_hash[160];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
make_dummy(void)
{
	static const unsigned char salt[PW_SALT] = "sohoa-no-user!!";

	if (argon2id_hash_encoded(PW_T_COST, PW_M_COST, PW_LANES, "x", 1,
	    salt, sizeof(salt), PW_HASH, dummy_hash, sizeof(dummy_hash)) !=
	    ARGON2_OK)
		dummy_hash[0] = '\0';
}

int
sohoa_user_verify(struct sohoa_archive *a, const char *name,
    const char *password)
{
	struct sohoa_buf norm = SOHOA_BUF_INIT, hash = SOHOA_BUF_INIT;
	sqlite3_stmt *st = NULL;
	size_t plen = password ? strlen(password) : 0;
	int rc, step, ok = 0, vrc;

	pthread_once(&dummy_once, make_dummy);
	if (plen > SOHOA_PASSWORD_MAX)
		plen = SOHOA_PASSWORD_MAX;
	if (name != NULL && sohoa_user_name_check(a->ctx, name, &norm) ==
	    SOHOA_OK) {
		rc = sohoa_archive_prepare(a, "SELECT pwhash FROM users"
		    " WHERE name = ? AND disabled = 0", &st);
		if (rc != SOHOA_OK)
			goto out;
		sqlite3_bind_text(st, 1, norm.buf, -1, SQLITE_STATIC);
		step = sqlite3_step(st);
		if (step == SQLITE_ROW) {
			if (sohoa_buf_adds(&hash, (const char *)
			    sqlite3_column_text(st, 0)) != SOHOA_OK) {
				rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM,
				    "out of memory");
				goto out;
			}
			ok = 1;
		} else if (step != SQLITE_DONE) {
			rc = sohoa_archive_db_error(a, "read a user");
			goto out;
		}
	}
	vrc = argon2id_verify(ok ? hash.buf : dummy_hash,
	    password ? password : "", plen);
	if (ok && vrc == ARGON2_OK)
		rc = SOHOA_OK;
	else
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INVALID,
		    "wrong user name or password");
out:
	sqlite3_finalize(st);
	OPENSSL_cleanse(hash.buf, hash.len);
	sohoa_buf_release(&hash);
	sohoa_buf_release(&norm);
	return rc;
}
