/*
 * Sessions, CSRF tokens and the login limiter, in memory and behind one
 * lock (a restart signs everyone out, which is what a commune office's
 * server restart should do).
 *
 * Session ids and CSRF tokens are 256 random bits from OpenSSL's
 * RAND_bytes, as hex; a session is made only at login, so an id a client
 * sends before it signs in is never adopted (fixation).  Sessions end
 * after IDLE seconds unused or MAX seconds in all (OWASP Session
 * Management cheat sheet: idle and absolute timeouts).
 *
 * The limiter counts failed logins per client address and per (address,
 * user name) over a window; past a threshold the client waits, twice as
 * long for each further failure, without the password even being hashed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "web_private.h"

#define MAX_SESSIONS 4096
#define MAX_LIMITS 4096

/* failures allowed in the window before a client must wait */
#define LIMIT_USER 5
#define LIMIT_IP 20
#define LIMIT_WINDOW 900
#define LIMIT_WAIT_MAX 900

struct limit {
	char key[192];		/* "ip" or "ip\nuser" */
	int failures;
	time_t first, until;
};

struct web_sessions {
	pthread_mutex_t lock;
	int idle, max;
	struct web_session *v;
	size_t n;
	struct limit *lim;
	size_t nlim;
};

int
web_sessions_new(int idle, int max, struct web_sessions **ps)
{
	struct web_sessions *s;

	*ps = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return SOHOA_ERR_NOMEM;
	s->v = calloc(MAX_SESSIONS, sizeof(*s->v));
	s->lim = calloc(MAX_LIMITS, sizeof(*s->lim));
	if (s->v == NULL || s->lim == NULL) {
		free(s->v);
		free(s->lim);
		free(s);
		return SOHOA_ERR_NOMEM;
	}
	pthread_mutex_init(&s->lock, NULL);
	s->idle = idle;
	s->max = max;
	*ps = s;
	return SOHOA_OK;
}

void
web_sessions_destroy(struct web_sessions **ps)
{
	struct web_sessions *s;

	if (ps == NULL || *ps == NULL)
		return;
	s = *ps;
	OPENSSL_cleanse(s->v, MAX_SESSIONS * sizeof(*s->v));
	free(s->v);
	free(s->lim);
	pthread_mutex_destroy(&s->lock);
	free(s);
	*ps = NULL;
}

static int
token(char out[WEB_TOKEN_LEN])
{
	unsigned char raw[32];

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return SOHOA_ERR_CRYPTO;
	sohoa_hex(raw, sizeof(raw), out);
	OPENSSL_cleanse(raw, sizeof(raw));
	return SOHOA_OK;
}

int
web_token_equal(const char *a, const char *b)
{
	size_t n = strlen(b);

	if (n != WEB_TOKEN_LEN - 1 || strlen(a) != n)
		return 0;
	return CRYPTO_memcmp(a, b, n) == 0;
}

static int
expired(const struct web_sessions *s, const struct web_session *e,
    time_t now)
{
	return e->id[0] == '\0' || now - e->seen > s->idle ||
	    now - e->created > s->max;
}

static void
drop(struct web_sessions *s, size_t i)
{
	OPENSSL_cleanse(&s->v[i], sizeof(s->v[i]));
	s->v[i] = s->v[s->n - 1];
	memset(&s->v[s->n - 1], 0, sizeof(s->v[0]));
	s->n--;
}

int
web_session_create(struct web_sessions *s, const char *user, int role,
    const char *changed_at, struct web_session *out)
{
	struct web_session e;
	time_t now = time(NULL);
	size_t i, oldest = 0;

	memset(&e, 0, sizeof(e));
	if (token(e.id) != SOHOA_OK || token(e.csrf) != SOHOA_OK)
		return SOHOA_ERR_CRYPTO;
	snprintf(e.user, sizeof(e.user), "%s", user);
	snprintf(e.changed_at, sizeof(e.changed_at), "%s",
	    changed_at ? changed_at : "");
	e.role = role;
	e.created = e.seen = now;
	pthread_mutex_lock(&s->lock);
	for (i = s->n; i > 0; i--)
		if (expired(s, &s->v[i - 1], now))
			drop(s, i - 1);
	if (s->n == MAX_SESSIONS) {
		/* full of live sessions: the least recently used goes */
		for (i = 1; i < s->n; i++)
			if (s->v[i].seen < s->v[oldest].seen)
				oldest = i;
		drop(s, oldest);
	}
	s->v[s->n++] = e;
	pthread_mutex_unlock(&s->lock);
	*out = e;
	OPENSSL_cleanse(&e, sizeof(e));
	return SOHOA_OK;
}

int
web_session_find(struct web_sessions *s, const char *id,
    struct web_session *out)
{
	time_t now = time(NULL);
	size_t i;
	int found = 0;

	pthread_mutex_lock(&s->lock);
	/* every entry is compared, so the time does not say how far it got */
	for (i = 0; i < s->n; i++) {
		if (!web_token_equal(id, s->v[i].id))
			continue;
		if (expired(s, &s->v[i], now)) {
			drop(s, i);
			break;
		}
		s->v[i].seen = now;
		*out = s->v[i];
		found = 1;
		break;
	}
	pthread_mutex_unlock(&s->lock);
	return found;
}

void
web_session_drop(struct web_sessions *s, const char *id)
{
	size_t i;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->n; i++)
		if (web_token_equal(id, s->v[i].id)) {
			drop(s, i);
			break;
		}
	pthread_mutex_unlock(&s->lock);
}

/* ---- login limiter ------------------------------------------------------ */

static void
limit_key(char *out, size_t n, const char *ip, const char *user)
{
	if (user != NULL)
		snprintf(out, n, "%s\n%.64s", ip, user);
	else
		snprintf(out, n, "%s", ip);
}

/* The entry for KEY, made when MAKE; NULL when none.  Lock held. */
static struct limit *
limit_get(struct web_sessions *s, const char *key, time_t now, int make)
{
	size_t i, oldest = 0;

	for (i = 0; i < s->nlim; i++) {
		if (strcmp(s->lim[i].key, key) != 0)
			continue;
		if (now - s->lim[i].first > LIMIT_WINDOW &&
		    now >= s->lim[i].until) {
			/* a new window */
			s->lim[i].failures = 0;
			s->lim[i].first = now;
		}
		return &s->lim[i];
	}
	if (!make)
		return NULL;
	if (s->nlim == MAX_LIMITS) {
		for (i = 1; i < s->nlim; i++)
			if (s->lim[i].first < s->lim[oldest].first)
				oldest = i;
		i = oldest;
	} else {
		i = s->nlim++;
	}
	memset(&s->lim[i], 0, sizeof(s->lim[i]));
	snprintf(s->lim[i].key, sizeof(s->lim[i].key), "%s", key);
	s->lim[i].first = now;
	return &s->lim[i];
}

int
web_limit_wait(struct web_sessions *s, const char *ip, const char *user)
{
	char key[192];
	struct limit *l;
	time_t now = time(NULL);
	int wait = 0, k;

	pthread_mutex_lock(&s->lock);
	for (k = 0; k < 2; k++) {
		limit_key(key, sizeof(key), ip, k ? user : NULL);
		l = limit_get(s, key, now, 0);
		if (l != NULL && l->until > now && l->until - now > wait)
			wait = (int)(l->until - now);
	}
	pthread_mutex_unlock(&s->lock);
	return wait;
}

void
web_limit_fail(struct web_sessions *s, const char *ip, const char *user)
{
	char key[192];
	struct limit *l;
	time_t now = time(NULL), wait;
	int k, allowed, over;

	pthread_mutex_lock(&s->lock);
	for (k = 0; k < 2; k++) {
		limit_key(key, sizeof(key), ip, k ? user : NULL);
		l = limit_get(s, key, now, 1);
		l->failures++;
		allowed = k ? LIMIT_USER : LIMIT_IP;
		over = l->failures - allowed;
		if (over < 0)
			continue;
		/* 30 s, 60 s, 120 s ... up to 15 minutes */
		wait = over >= 5 ? LIMIT_WAIT_MAX : (time_t)30 << over;
		if (wait > LIMIT_WAIT_MAX)
			wait = LIMIT_WAIT_MAX;
		l->until = now + wait;
	}
	pthread_mutex_unlock(&s->lock);
}

void
web_limit_ok(struct web_sessions *s, const char *ip, const char *user)
{
	char key[192];
	struct limit *l;

	/* the address keeps its count: one right password in many guesses */
	limit_key(key, sizeof(key), ip, user);
	pthread_mutex_lock(&s->lock);
	l = limit_get(s, key, time(NULL), 0);
	if (l != NULL)
		l->failures = 0;
	pthread_mutex_unlock(&s->lock);
}
