/* dochost.h: write a dochost plugin in C.
 *
 * The plugin is a WASI preview 1 command speaking dochost's JSON protocol
 * 0.2.0 (docs/json-protocol.md): requests arrive one JSON line at a time on
 * stdin, answers leave one line at a time on stdout. This helper reads the
 * requests, hands your callbacks a parsed document, collects the edits they
 * make and prints the answers. It needs only libc (wasi-libc) and is two
 * files, dochost.h and dochost.c, both yours to copy.
 *
 *     static const dh_option options[] = {
 *         {"ellipsis", "what replaces three dots", "…", DH_TEXT, 0},
 *     };
 *     static const char *open(const dh_config *config, void **session) { ... }
 *     static const char *transform(void *session, const dh_document *doc, dh_output *out) { ... }
 *     int main(void) {
 *         dh_plugin plugin = {"my-plugin", "0.1.0", "What it does", options, 1, 0,
 *                             open, NULL, transform, NULL};
 *         return dh_main(&plugin);
 *     }
 *
 * Callbacks return NULL for success or an error message (dh_format makes
 * one): from `open` it fails the run, from `scan` and `transform` that
 * document alone, as the plugin's error.
 *
 * Strings are UTF-8 and NUL-terminated; offsets are byte offsets into the
 * document's source. Everything a request allocated (the document, the
 * strings dh_format made, index answers) is freed after its answer: copy
 * what a session keeps.
 */
#ifndef DOCHOST_H
#define DOCHOST_H

#include <stddef.h>
#include <stdint.h>

/* What kind of value an option takes; dochost checks it before any document. */
typedef enum { DH_TEXT, DH_FLAG, DH_INTEGER, DH_PATH } dh_option_kind;

typedef struct {
    const char *name;
    const char *description;
    const char *default_value; /* NULL: none */
    dh_option_kind kind;
    int required;
} dh_option;

/* The options `open` receives: every declared one, given or defaulted. */
typedef struct {
    const char *const *keys;
    const char *const *values;
    size_t count;
} dh_config;

/* The value of `key`, or NULL when it has none. */
const char *dh_config_get(const dh_config *config, const char *key);

/* A node of the document (WIT `node`); NULL, -1 or 0 where the WIT has none. */
typedef struct {
    const char *kind;        /* "text", "heading", "code-block", ... */
    int64_t parent;          /* -1 for the document node */
    const uint32_t *children;
    size_t child_count;
    uint32_t start, end;     /* the node's bytes in the source */
    const char *text;        /* literal content of text-bearing nodes */
    size_t text_len;
    int level;               /* heading level 1-6, else 0 */
    const char *url, *title, *info, *label;
    const char *link_kind;   /* "inline", "autolink", ... */
    int checked;             /* task marker: 1 or 0, else -1 */
} dh_node;

typedef struct {
    const char *path;
    const char *source;
    size_t source_len;
    const dh_node *nodes;    /* node i is nodes[i]; node 0 is the document */
    size_t node_count;
} dh_document;

/* Whether node `id` is of `kind`. */
int dh_is(const dh_document *doc, uint32_t id, const char *kind);

/* What a callback answers with: edits, diagnostics, artifacts, facts. */
typedef struct dh_output dh_output;

typedef enum { DH_ERROR, DH_WARNING, DH_INFO } dh_severity;

/* Edits (WIT `edit-op`); `reason` may be NULL. Values are copied. */
void dh_set_text(dh_output *out, uint32_t node, const char *value, size_t len, const char *reason);
void dh_replace(dh_output *out, uint32_t node, const char *markdown, const char *reason);
void dh_insert_before(dh_output *out, uint32_t node, const char *markdown, const char *reason);
void dh_insert_after(dh_output *out, uint32_t node, const char *markdown, const char *reason);
void dh_remove(dh_output *out, uint32_t node, const char *reason);
void dh_set_url(dh_output *out, uint32_t node, const char *url, const char *reason);
void dh_set_title(dh_output *out, uint32_t node, const char *title, const char *reason);
void dh_set_info(dh_output *out, uint32_t node, const char *info, const char *reason);
void dh_splice(dh_output *out, uint32_t start, uint32_t end, const char *value, const char *reason);
/* A diagnostic at `node` (-1: none); in `finish`, `path` instead (NULL: none). */
void dh_diagnose(dh_output *out, dh_severity severity, const char *code, const char *message, int64_t node);
void dh_diagnose_run(dh_output *out, dh_severity severity, const char *code, const char *message, const char *path);
void dh_artifact(dh_output *out, const char *name, const char *content);
/* A fact about this document, for `transform` (tree-wide) or `finish` to query. */
void dh_fact(dh_output *out, const char *key, const char *value);
/* How many edits were made so far. */
size_t dh_edit_count(const dh_output *out);

/* A message made like printf's, freed after the answer. */
const char *dh_format(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* JSON values, for index answers. */
typedef enum { DH_JSON_NULL, DH_JSON_BOOL, DH_JSON_NUMBER, DH_JSON_STRING, DH_JSON_ARRAY, DH_JSON_OBJECT } dh_json_type;

typedef struct dh_json {
    dh_json_type type;
    int boolean;
    double number;
    const char *string;      /* decoded, NUL-terminated */
    size_t len;              /* bytes of a string, items of an array or object */
    struct dh_json *items;   /* array items, object values */
    const char **keys;       /* object keys */
} dh_json;

/* The member `key` of an object, or NULL. */
const dh_json *dh_json_get(const dh_json *object, const char *key);

/* Ask the tree index (WIT `index`) during `transform` or `finish`:
 * dh_index("documents", NULL), dh_index("headings", "a.md"),
 * dh_index("targets", path), dh_index("front-matter", path),
 * dh_index("facts", key), dh_index("files", NULL), dh_index("roots", NULL).
 * Returns the answer as the WIT function returns it (null for `none`). */
const dh_json *dh_index(const char *query, const char *argument);

typedef struct {
    const char *name;
    const char *version;
    const char *description;
    const dh_option *options;
    size_t option_count;
    int tree_wide;           /* 1: scan every document first, query the tree */
    /* Make a session from the options; store it in *session. */
    const char *(*open)(const dh_config *config, void **session);
    /* Optional (tree-wide plugins): record facts with dh_fact. */
    const char *(*scan)(void *session, const dh_document *doc, dh_output *out);
    const char *(*transform)(void *session, const dh_document *doc, dh_output *out);
    /* Optional: once per run, dh_diagnose_run and dh_artifact. */
    const char *(*finish)(void *session, dh_output *out);
} dh_plugin;

/* Answer requests until stdin ends; returns main's exit status. */
int dh_main(const dh_plugin *plugin);

#endif
