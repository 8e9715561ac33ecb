/* {{name}}: a dochost plugin. It turns three dots into an ellipsis in prose;
 * change `transform` to do what your plugin should do.
 *
 * dochost.h and dochost.c (beside this file) speak dochost's JSON protocol
 * on stdin and stdout; `dochost ast --json FILE.md` shows the document a
 * plugin receives. Print debugging output to stderr: dochost shows it
 * behind the plugin's name and the file. */
#include <stdlib.h>
#include <string.h>

#include "dochost.h"

/* The session: made by `open` from the options, then given each document. */
typedef struct {
    const char *ellipsis;
} session;

static const char *open_session(const dh_config *config, void **state) {
    session *s = calloc(1, sizeof *s);
    /* dochost checks --set options against the declared ones and passes the
     * default of any option not given. Copy what you keep. */
    const char *ellipsis = dh_config_get(config, "ellipsis");
    s->ellipsis = strdup(ellipsis ? ellipsis : "…");
    *state = s;
    return NULL; /* or an error message, which fails the run */
}

static const char *transform(void *state, const dh_document *doc, dh_output *out) {
    const session *s = state;
    /* Only text nodes: code, URLs and HTML are left alone. */
    for (uint32_t id = 0; id < doc->node_count; id++) {
        const dh_node *node = &doc->nodes[id];
        if (strcmp(node->kind, "text") || !strstr(node->text, "...")) continue;
        size_t cap = node->text_len * (strlen(s->ellipsis) + 1) + 1, len = 0;
        char *text = malloc(cap);
        for (const char *p = node->text; *p;) {
            if (!strncmp(p, "...", 3)) {
                len += (size_t)sprintf(text + len, "%s", s->ellipsis);
                p += 3;
            } else {
                text[len++] = *p++;
            }
        }
        /* Plain text: dochost escapes it for where it stands. */
        dh_set_text(out, id, text, len, "three dots to an ellipsis");
        free(text);
    }
    return NULL; /* or an error message (dh_format), which fails this document */
}

static const dh_option options[] = {
    {"ellipsis", "what replaces three dots", "…", DH_TEXT, 0},
};

int main(void) {
    dh_plugin plugin = {
        .name = "{{name}}",
        .version = "0.1.0",
        .description = "Three dots to an ellipsis",
        .options = options,
        .option_count = sizeof options / sizeof *options,
        .open = open_session,
        .transform = transform,
    };
    return dh_main(&plugin);
}
