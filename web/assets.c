/*
 * The style sheet and the script, compiled into the library with .incbin
 * (as index/archive_schema.c embeds the schema): the interface works on a
 * LAN without Internet and without files installed next to the binary.
 */
#include <string.h>

#include "web_private.h"

WEB_EMBED(sohoa_web_style_css, "assets/style.css");
WEB_EMBED(sohoa_web_app_js, "assets/app.js");
WEB_EMBED(sohoa_web_icon_svg, "assets/icon.svg");
extern const char sohoa_web_style_css[];
extern const char sohoa_web_app_js[];
extern const char sohoa_web_icon_svg[];

static const struct {
	const char *path;
	const char *type;
	const char *data;
} assets[] = {
	{ "/assets/style.css", "text/css; charset=utf-8", sohoa_web_style_css },
	{ "/assets/app.js", "text/javascript; charset=utf-8",
	  sohoa_web_app_js },
	{ "/assets/icon.svg", "image/svg+xml", sohoa_web_icon_svg },
};

int
web_asset(struct web_req *r)
{
	size_t i;

	for (i = 0; i < sizeof(assets) / sizeof(assets[0]); i++) {
		if (strcmp(r->url, assets[i].path) != 0)
			continue;
		r->ctype = assets[i].type;
		sohoa_buf_adds(&r->out, assets[i].data);
		return 200;
	}
	return web_error(r, 404, NULL);
}
