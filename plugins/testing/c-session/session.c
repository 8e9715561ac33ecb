/* Test plugin: what the component test plugins `counter` and `tree` do,
 * written with the C helper (plugins/examples/c), so the tests can check
 * the helper's sessions, facts, scan, finish and index queries against the
 * components message for message. `mode=counter` numbers the documents this
 * instance transformed and `finish` lists them from the facts; `mode=tree`
 * reports, for each link, the linked document's title (a fact from `scan`)
 * and heading count, or whether the tree holds the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dochost.h"

typedef struct {
    int tree;
    long seen;
} session;

static const char *open_session(const dh_config *config, void **state) {
    session *s = calloc(1, sizeof *s);
    s->tree = !strcmp(dh_config_get(config, "mode"), "tree");
    *state = s;
    return NULL;
}

/* The text of node `id`'s text and code descendants. */
static void plain_text(const dh_document *doc, uint32_t id, char *out, size_t cap) {
    const dh_node *n = &doc->nodes[id];
    if (dh_is(doc, id, "text") || dh_is(doc, id, "code")) {
        strncat(out, n->text, cap - strlen(out) - 1);
        return;
    }
    for (size_t i = 0; i < n->child_count; i++) plain_text(doc, n->children[i], out, cap);
}

static const char *scan(void *state, const dh_document *doc, dh_output *out) {
    (void)state;
    char title[1024] = "";
    for (uint32_t id = 0; id < doc->node_count; id++) {
        if (dh_is(doc, id, "heading")) {
            plain_text(doc, id, title, sizeof title);
            break;
        }
    }
    dh_fact(out, "title", title);
    return NULL;
}

static const char *tree(const dh_document *doc, dh_output *out) {
    const char *slash = strrchr(doc->path, '/');
    int dir = slash ? (int)(slash - doc->path) : 0;
    const dh_json *titles = dh_index("facts", "title");
    for (uint32_t id = 0; id < doc->node_count; id++) {
        const char *url = doc->nodes[id].url;
        if (!dh_is(doc, id, "link") || !url || strstr(url, "://")) continue;
        const char *target = dir ? dh_format("%.*s/%s", dir, doc->path, url) : url;
        size_t len = strlen(url);
        if (len < 3 || strcmp(url + len - 3, ".md")) {
            const dh_json *files = dh_index("files", NULL), *roots = dh_index("roots", NULL);
            int found = 0;
            for (size_t i = 0; i < files->len; i++) found |= !strcmp(files->items[i].string, target);
            const char *joined = "";
            for (size_t i = 0; i < roots->len; i++) joined = dh_format("%s%s%s", joined, i ? ", " : "", roots->items[i].string);
            dh_diagnose(out, DH_INFO, "file-target", dh_format("%s in the tree under %s: %s", url, joined, found ? "true" : "false"), id);
            continue;
        }
        const char *title = NULL;
        for (size_t i = 0; i < titles->len; i++)
            if (!strcmp(dh_json_get(&titles->items[i], "path")->string, target)) title = dh_json_get(&titles->items[i], "value")->string;
        const dh_json *headings = dh_index("headings", target);
        if (title && headings->type == DH_JSON_ARRAY)
            dh_diagnose(out, DH_INFO, "link-target", dh_format("%s is titled `%s` and has %zu headings", url, title, headings->len), id);
        else
            dh_diagnose(out, DH_WARNING, "link-target", dh_format("%s is not a document of this run", url), id);
    }
    return NULL;
}

static const char *transform(void *state, const dh_document *doc, dh_output *out) {
    session *s = state;
    if (s->tree) return tree(doc, out);
    s->seen++;
    dh_diagnose(out, DH_INFO, "counter", dh_format("document %ld of this session", s->seen), -1);
    dh_fact(out, "seen", dh_format("%ld", s->seen));
    return NULL;
}

static const char *finish(void *state, dh_output *out) {
    if (((session *)state)->tree) return NULL;
    const dh_json *seen = dh_index("facts", "seen");
    const char *listing = "";
    for (size_t i = 0; i < seen->len; i++)
        listing = dh_format("%s%s %s\n", listing, dh_json_get(&seen->items[i], "path")->string,
                            dh_json_get(&seen->items[i], "value")->string);
    dh_diagnose_run(out, DH_INFO, "counter-total", dh_format("%zu documents transformed", seen->len), NULL);
    dh_artifact(out, "counter.txt", listing);
    return NULL;
}

static const dh_option options[] = {{"mode", "counter or tree", "counter", DH_TEXT, 0}};

int main(void) {
    dh_plugin plugin = {"c-session", "0.1.0", "Counts documents and reads the tree, in C", options, 1, 1,
                        open_session, scan, transform, finish};
    return dh_main(&plugin);
}
