/*
 * XML for bundles: escaping for the writers, and a small bounded reader
 * that finds start tags and their attributes in the METS files sohoa
 * writes.  It is not a general XML parser: verify only needs the
 * <mets:file>/<mets:mdRef> elements and their attributes, and must never
 * read outside the buffer whatever the input (fuzzed by the bundle
 * reader target).
 */
#include <string.h>

#include "sohoa/buf.h"
#include "sohoa/sohoa.h"
#include "bundle_private.h"

int
xml_esc(struct sohoa_buf *out, const char *s)
{
	int rc = SOHOA_OK;

	for (; rc == SOHOA_OK && *s; s++) {
		switch (*s) {
		case '&': rc = sohoa_buf_adds(out, "&amp;"); break;
		case '<': rc = sohoa_buf_adds(out, "&lt;"); break;
		case '>': rc = sohoa_buf_adds(out, "&gt;"); break;
		case '"': rc = sohoa_buf_adds(out, "&quot;"); break;
		case '\'': rc = sohoa_buf_adds(out, "&apos;"); break;
		default:
			/* XML 1.0 forbids most control characters */
			if ((unsigned char)*s < 0x20 && *s != '\n' &&
			    *s != '\t' && *s != '\r')
				rc = sohoa_buf_addch(out, ' ');
			else
				rc = sohoa_buf_addch(out, *s);
		}
	}
	return rc;
}

int
xml_elem(struct sohoa_buf *out, int indent, const char *tag,
    const char *value)
{
	int i;

	for (i = 0; i < indent; i++)
		sohoa_buf_addch(out, '\t');
	sohoa_buf_addf(out, "<%s>", tag);
	xml_esc(out, value ? value : "");
	return sohoa_buf_addf(out, "</%s>\n", tag);
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int
xml_next_tag(const char *xml, size_t len, size_t *pos, const char *tag,
    size_t *pstart, size_t *pend)
{
	size_t tlen = strlen(tag), i = *pos, j;
	char quote;

	while (i < len) {
		const char *lt = memchr(xml + i, '<', len - i);

		if (lt == NULL)
			break;
		i = (size_t)(lt - xml) + 1;
		if (len - i < tlen + 1 || memcmp(xml + i, tag, tlen) != 0 ||
		    !(is_space(xml[i + tlen]) || xml[i + tlen] == '>' ||
		    xml[i + tlen] == '/'))
			continue;
		j = i + tlen;
		quote = 0;
		/* '>' inside a quoted attribute value does not end the tag */
		while (j < len && (quote || xml[j] != '>')) {
			if (quote && xml[j] == quote)
				quote = 0;
			else if (!quote && (xml[j] == '"' || xml[j] == '\''))
				quote = xml[j];
			j++;
		}
		if (j >= len)
			return 0;
		*pstart = i + tlen;
		*pend = j;
		*pos = j + 1;
		return 1;
	}
	*pos = len;
	return 0;
}

static int
unescape(const char *s, size_t len, struct sohoa_buf *out)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&apos;", '\'' },
	};
	size_t i = 0, k, n;
	int rc = SOHOA_OK;

	while (rc == SOHOA_OK && i < len) {
		if (s[i] == '&') {
			for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
				n = strlen(ents[k].ent);
				if (len - i >= n &&
				    memcmp(s + i, ents[k].ent, n) == 0)
					break;
			}
			if (k < sizeof(ents) / sizeof(ents[0])) {
				rc = sohoa_buf_addch(out, ents[k].c);
				i += strlen(ents[k].ent);
				continue;
			}
		}
		rc = sohoa_buf_addch(out, s[i++]);
	}
	return rc;
}

int
xml_attr(const char *xml, size_t start, size_t end, const char *name,
    struct sohoa_buf *out)
{
	size_t nlen = strlen(name), i = start, v;
	char quote;

	sohoa_buf_reset(out);
	while (i < end) {
		while (i < end && is_space(xml[i]))
			i++;
		v = i;
		while (i < end && xml[i] != '=' && !is_space(xml[i]) &&
		    xml[i] != '/')
			i++;
		if (i == v) {
			i++;
			continue;
		}
		{
			size_t klen = i - v;
			int match = klen == nlen &&
			    memcmp(xml + v, name, nlen) == 0;

			while (i < end && is_space(xml[i]))
				i++;
			if (i >= end || xml[i] != '=')
				continue;
			i++;
			while (i < end && is_space(xml[i]))
				i++;
			if (i >= end || (xml[i] != '"' && xml[i] != '\''))
				return 0;
			quote = xml[i++];
			v = i;
			while (i < end && xml[i] != quote)
				i++;
			if (i >= end)
				return 0;
			if (match)
				return unescape(xml + v, i - v, out) ==
				    SOHOA_OK;
			i++;
		}
	}
	return 0;
}
