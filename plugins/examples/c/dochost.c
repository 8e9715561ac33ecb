/* dochost.c: the JSON protocol 0.2.0 loop, a small JSON reader and the
 * answer writer behind dochost.h. See docs/json-protocol.md. */
#define _GNU_SOURCE
#include "dochost.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- memory: everything of one request, freed after its answer -------- */

static void **owned;
static size_t owned_count, owned_cap;

static void *must(void *p) {
    if (!p) {
        fputs("dochost.c: out of memory\n", stderr);
        exit(70);
    }
    return p;
}

static void *alloc(size_t size) {
    if (owned_count == owned_cap) {
        owned_cap = owned_cap ? owned_cap * 2 : 256;
        owned = must(realloc(owned, owned_cap * sizeof *owned));
    }
    return owned[owned_count++] = must(calloc(1, size ? size : 1));
}

static void free_owned(void) {
    for (size_t i = 0; i < owned_count; i++) free(owned[i]);
    owned_count = 0;
}

const char *dh_format(const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsnprintf(NULL, 0, format, args);
    va_end(args);
    char *s = alloc((size_t)n + 1);
    va_start(args, format);
    vsnprintf(s, (size_t)n + 1, format, args);
    va_end(args);
    return s;
}

/* ---- a growing byte buffer ---------------------------------------------- */

typedef struct {
    char *data;
    size_t len, cap;
} buffer;

static void put(buffer *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        while (b->len + n + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 256;
        b->data = must(realloc(b->data, b->cap));
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

static void puts_(buffer *b, const char *s) { put(b, s, strlen(s)); }

static void put_number(buffer *b, long long n) {
    char digits[32];
    put(b, digits, (size_t)snprintf(digits, sizeof digits, "%lld", n));
}

/* A JSON string: quotes, backslashes and control characters escaped, the
 * rest (UTF-8) as it is. NULL is written as null. */
static void put_string(buffer *b, const char *s, size_t n) {
    if (!s) {
        puts_(b, "null");
        return;
    }
    put(b, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        put(b, s + run, i - run);
        run = i + 1;
        char escaped[8];
        switch (c) {
        case '"': puts_(b, "\\\""); break;
        case '\\': puts_(b, "\\\\"); break;
        case '\n': puts_(b, "\\n"); break;
        case '\r': puts_(b, "\\r"); break;
        case '\t': puts_(b, "\\t"); break;
        default: snprintf(escaped, sizeof escaped, "\\u%04x", c); puts_(b, escaped);
        }
    }
    put(b, s + run, n - run);
    put(b, "\"", 1);
}

static void put_cstring(buffer *b, const char *s) { put_string(b, s, s ? strlen(s) : 0); }

/* ---- reading JSON, in place: strings are decoded into the line itself --- */

typedef struct {
    char *at;
    const char *error;
} reader;

static void skip_space(reader *r) {
    while (*r->at == ' ' || *r->at == '\t' || *r->at == '\n' || *r->at == '\r') r->at++;
}

static int hex4(const char *s, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static char *put_utf8(char *w, unsigned cp) {
    if (cp < 0x80) *w++ = (char)cp;
    else if (cp < 0x800) *w++ = (char)(0xC0 | cp >> 6), *w++ = (char)(0x80 | (cp & 0x3F));
    else if (cp < 0x10000)
        *w++ = (char)(0xE0 | cp >> 12), *w++ = (char)(0x80 | (cp >> 6 & 0x3F)), *w++ = (char)(0x80 | (cp & 0x3F));
    else
        *w++ = (char)(0xF0 | cp >> 18), *w++ = (char)(0x80 | (cp >> 12 & 0x3F)),
        *w++ = (char)(0x80 | (cp >> 6 & 0x3F)), *w++ = (char)(0x80 | (cp & 0x3F));
    return w;
}

/* Decode the string at r->at (just past its opening quote) where it stands;
 * every escape is longer than what it decodes to. */
static int read_string(reader *r, const char **out, size_t *len) {
    char *start = r->at, *w = r->at;
    for (;;) {
        char c = *r->at++;
        if (c == '"') break;
        if (c == 0) return r->error = "unterminated string", 0;
        if (c != '\\') {
            *w++ = c;
            continue;
        }
        c = *r->at++;
        unsigned cp;
        switch (c) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '/': *w++ = '/'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u':
            if (!hex4(r->at, &cp)) return r->error = "bad \\u escape", 0;
            r->at += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && r->at[0] == '\\' && r->at[1] == 'u') {
                unsigned low;
                if (hex4(r->at + 2, &low) && low >= 0xDC00 && low < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    r->at += 6;
                }
            }
            w = put_utf8(w, cp);
            break;
        default: return r->error = "bad escape", 0;
        }
    }
    *w = 0;
    *out = start;
    *len = (size_t)(w - start);
    return 1;
}

static int read_value(reader *r, dh_json *v, int depth);

/* Arrays and objects: items are gathered in a scratch list, then copied. */
static int read_container(reader *r, dh_json *v, int depth, char close) {
    size_t count = 0, cap = 8;
    dh_json *items = must(malloc(cap * sizeof *items));
    const char **keys = must(malloc(cap * sizeof *keys));
    int ok = 1;
    skip_space(r);
    if (*r->at == close) {
        r->at++;
    } else {
        for (;;) {
            if (count == cap) {
                cap *= 2;
                items = must(realloc(items, cap * sizeof *items));
                keys = must(realloc(keys, cap * sizeof *keys));
            }
            keys[count] = NULL;
            skip_space(r);
            if (close == '}') {
                size_t key_len;
                if (*r->at++ != '"' || !read_string(r, &keys[count], &key_len)) {
                    r->error = r->error ? r->error : "expected a key";
                    ok = 0;
                    break;
                }
                skip_space(r);
                if (*r->at++ != ':') {
                    r->error = "expected `:`";
                    ok = 0;
                    break;
                }
            }
            if (!read_value(r, &items[count], depth + 1)) {
                ok = 0;
                break;
            }
            count++;
            skip_space(r);
            char c = *r->at++;
            if (c == close) break;
            if (c != ',') {
                r->error = "expected `,`";
                ok = 0;
                break;
            }
        }
    }
    if (ok) {
        v->type = close == '}' ? DH_JSON_OBJECT : DH_JSON_ARRAY;
        v->len = count;
        v->items = alloc(count * sizeof *items);
        memcpy(v->items, items, count * sizeof *items);
        if (close == '}') {
            v->keys = alloc(count * sizeof *keys);
            memcpy(v->keys, keys, count * sizeof *keys);
        }
    }
    free(items);
    free(keys);
    return ok;
}

static int read_value(reader *r, dh_json *v, int depth) {
    memset(v, 0, sizeof *v);
    if (depth > 200) return r->error = "nested too deeply", 0;
    skip_space(r);
    char c = *r->at;
    if (c == '"') {
        r->at++;
        v->type = DH_JSON_STRING;
        return read_string(r, &v->string, &v->len);
    }
    if (c == '{' || c == '[') {
        r->at++;
        return read_container(r, v, depth, c == '{' ? '}' : ']');
    }
    if (!strncmp(r->at, "null", 4)) return r->at += 4, v->type = DH_JSON_NULL, 1;
    if (!strncmp(r->at, "true", 4)) return r->at += 4, v->type = DH_JSON_BOOL, v->boolean = 1, 1;
    if (!strncmp(r->at, "false", 5)) return r->at += 5, v->type = DH_JSON_BOOL, 1;
    char *end;
    v->number = strtod(r->at, &end);
    if (end == r->at) return r->error = "expected a value", 0;
    r->at = end;
    v->type = DH_JSON_NUMBER;
    return 1;
}

static const dh_json *parse(char *text, const char **error) {
    reader r = {text, NULL};
    dh_json *v = alloc(sizeof *v);
    if (!read_value(&r, v, 0)) {
        *error = r.error;
        return NULL;
    }
    skip_space(&r);
    if (*r.at) {
        *error = "text after the value";
        return NULL;
    }
    return v;
}

const dh_json *dh_json_get(const dh_json *object, const char *key) {
    if (!object || object->type != DH_JSON_OBJECT) return NULL;
    for (size_t i = 0; i < object->len; i++)
        if (!strcmp(object->keys[i], key)) return &object->items[i];
    return NULL;
}

static const char *string_of(const dh_json *v) {
    return v && v->type == DH_JSON_STRING ? v->string : NULL;
}

/* ---- requests and answers ----------------------------------------------- */

static char *line;
static size_t line_cap;

/* The next line of stdin, without its newline; NULL at the end. */
static char *read_line(void) {
    ssize_t n = getline(&line, &line_cap, stdin);
    if (n <= 0) return NULL;
    if (line[n - 1] == '\n') line[n - 1] = 0;
    return line;
}

static void print_line(buffer *b) {
    put(b, "\n", 1);
    fwrite(b->data, 1, b->len, stdout);
    fflush(stdout);
    b->len = 0;
}

const dh_json *dh_index(const char *query, const char *argument) {
    buffer b = {0};
    puts_(&b, "{\"query\":");
    put_cstring(&b, query);
    if (argument) {
        puts_(&b, !strcmp(query, "facts") ? ",\"key\":" : ",\"path\":");
        put_cstring(&b, argument);
    }
    puts_(&b, "}");
    print_line(&b);
    free(b.data);
    /* The answer is kept until the request's answer is printed. */
    char *answer = read_line();
    const char *error = NULL;
    const dh_json *value = answer ? parse(strcpy(alloc(strlen(answer) + 1), answer), &error) : NULL;
    if (!value) {
        fprintf(stderr, "dochost.c: no answer to the query %s: %s\n", query, error ? error : "stdin ended");
        exit(70);
    }
    return value;
}

struct dh_output {
    buffer edits, diagnostics, artifacts, facts;
    size_t edit_count;
};

static void item(buffer *list) {
    if (list->len) put(list, ",", 1);
}

static void edit(dh_output *out, const char *op, int64_t node, const char *value, size_t len, const char *reason) {
    buffer *b = &out->edits;
    out->edit_count++;
    item(b);
    puts_(b, "{\"op\":{\"");
    puts_(b, op);
    puts_(b, "\":");
    if (!value) {
        put_number(b, node);
    } else {
        puts_(b, "{\"node\":");
        put_number(b, node);
        puts_(b, ",\"value\":");
        put_string(b, value, len);
        puts_(b, "}");
    }
    puts_(b, "},\"reason\":");
    put_cstring(b, reason);
    puts_(b, "}");
}

void dh_set_text(dh_output *out, uint32_t node, const char *value, size_t len, const char *reason) {
    edit(out, "set-text", node, value, len, reason);
}
void dh_replace(dh_output *out, uint32_t node, const char *v, const char *reason) { edit(out, "replace", node, v, strlen(v), reason); }
void dh_insert_before(dh_output *out, uint32_t node, const char *v, const char *reason) {
    edit(out, "insert-before", node, v, strlen(v), reason);
}
void dh_insert_after(dh_output *out, uint32_t node, const char *v, const char *reason) {
    edit(out, "insert-after", node, v, strlen(v), reason);
}
void dh_remove(dh_output *out, uint32_t node, const char *reason) { edit(out, "remove", node, NULL, 0, reason); }
void dh_set_url(dh_output *out, uint32_t node, const char *v, const char *reason) { edit(out, "set-url", node, v, strlen(v), reason); }
void dh_set_title(dh_output *out, uint32_t node, const char *v, const char *reason) {
    edit(out, "set-title", node, v, strlen(v), reason);
}
void dh_set_info(dh_output *out, uint32_t node, const char *v, const char *reason) { edit(out, "set-info", node, v, strlen(v), reason); }

void dh_splice(dh_output *out, uint32_t start, uint32_t end, const char *value, const char *reason) {
    buffer *b = &out->edits;
    out->edit_count++;
    item(b);
    puts_(b, "{\"op\":{\"splice\":{\"span\":{\"start\":");
    put_number(b, start);
    puts_(b, ",\"end\":");
    put_number(b, end);
    puts_(b, "},\"value\":");
    put_cstring(b, value);
    puts_(b, "}},\"reason\":");
    put_cstring(b, reason);
    puts_(b, "}");
}

size_t dh_edit_count(const dh_output *out) { return out->edit_count; }

static const char *severity_name(dh_severity s) {
    return s == DH_ERROR ? "error" : s == DH_WARNING ? "warning" : "info";
}

static void diagnostic(buffer *b, dh_severity severity, const char *code, const char *message) {
    item(b);
    puts_(b, "{\"severity\":\"");
    puts_(b, severity_name(severity));
    puts_(b, "\",\"code\":");
    put_cstring(b, code);
    puts_(b, ",\"message\":");
    put_cstring(b, message);
}

void dh_diagnose(dh_output *out, dh_severity severity, const char *code, const char *message, int64_t node) {
    diagnostic(&out->diagnostics, severity, code, message);
    puts_(&out->diagnostics, ",\"node\":");
    if (node < 0) puts_(&out->diagnostics, "null");
    else put_number(&out->diagnostics, node);
    puts_(&out->diagnostics, "}");
}

void dh_diagnose_run(dh_output *out, dh_severity severity, const char *code, const char *message, const char *path) {
    diagnostic(&out->diagnostics, severity, code, message);
    puts_(&out->diagnostics, ",\"path\":");
    put_cstring(&out->diagnostics, path);
    puts_(&out->diagnostics, "}");
}

static void pair(buffer *b, const char *k1, const char *v1, const char *k2, const char *v2) {
    item(b);
    puts_(b, "{\"");
    puts_(b, k1);
    puts_(b, "\":");
    put_cstring(b, v1);
    puts_(b, ",\"");
    puts_(b, k2);
    puts_(b, "\":");
    put_cstring(b, v2);
    puts_(b, "}");
}

void dh_artifact(dh_output *out, const char *name, const char *content) { pair(&out->artifacts, "name", name, "content", content); }
void dh_fact(dh_output *out, const char *key, const char *value) { pair(&out->facts, "key", key, "value", value); }

const char *dh_config_get(const dh_config *config, const char *key) {
    for (size_t i = 0; i < config->count; i++)
        if (!strcmp(config->keys[i], key)) return config->values[i];
    return NULL;
}

int dh_is(const dh_document *doc, uint32_t id, const char *kind) {
    return id < doc->node_count && !strcmp(doc->nodes[id].kind, kind);
}

/* The `document` of a request, as dh_document. */
static const char *document_of(const dh_json *json, dh_document *doc) {
    const dh_json *source = dh_json_get(json, "source"), *nodes = dh_json_get(json, "nodes");
    if (!string_of(dh_json_get(json, "path")) || !string_of(source) || !nodes || nodes->type != DH_JSON_ARRAY)
        return "the document has no path, source or nodes";
    doc->path = string_of(dh_json_get(json, "path"));
    doc->source = source->string;
    doc->source_len = source->len;
    doc->node_count = nodes->len;
    dh_node *out = alloc(nodes->len * sizeof *out);
    doc->nodes = out;
    for (size_t i = 0; i < nodes->len; i++) {
        const dh_json *n = &nodes->items[i], *v;
        dh_node *node = &out[i];
        node->kind = string_of(dh_json_get(n, "kind"));
        if (!node->kind) return "a node has no kind";
        v = dh_json_get(n, "parent");
        node->parent = v && v->type == DH_JSON_NUMBER ? (int64_t)v->number : -1;
        v = dh_json_get(n, "children");
        if (v && v->type == DH_JSON_ARRAY) {
            uint32_t *children = alloc(v->len * sizeof *children);
            for (size_t c = 0; c < v->len; c++) children[c] = (uint32_t)v->items[c].number;
            node->children = children;
            node->child_count = v->len;
        }
        v = dh_json_get(n, "span");
        node->start = (uint32_t)(dh_json_get(v, "start") ? dh_json_get(v, "start")->number : 0);
        node->end = (uint32_t)(dh_json_get(v, "end") ? dh_json_get(v, "end")->number : 0);
        v = dh_json_get(n, "text");
        node->text = string_of(v);
        node->text_len = node->text ? v->len : 0;
        v = dh_json_get(n, "level");
        node->level = v && v->type == DH_JSON_NUMBER ? (int)v->number : 0;
        node->url = string_of(dh_json_get(n, "url"));
        node->title = string_of(dh_json_get(n, "title"));
        node->info = string_of(dh_json_get(n, "info"));
        node->label = string_of(dh_json_get(n, "label"));
        node->link_kind = string_of(dh_json_get(n, "link-kind"));
        v = dh_json_get(n, "checked");
        node->checked = v && v->type == DH_JSON_BOOL ? v->boolean : -1;
    }
    return NULL;
}

static void describe(const dh_plugin *p, buffer *b) {
    static const char *const kinds[] = {"text", "flag", "integer", "path"};
    puts_(b, "{\"protocol\":\"0.2.0\",\"name\":");
    put_cstring(b, p->name);
    puts_(b, ",\"version\":");
    put_cstring(b, p->version);
    puts_(b, ",\"description\":");
    put_cstring(b, p->description);
    puts_(b, ",\"tree-wide\":");
    puts_(b, p->tree_wide ? "true" : "false");
    puts_(b, ",\"options\":[");
    for (size_t i = 0; i < p->option_count; i++) {
        const dh_option *o = &p->options[i];
        if (i) puts_(b, ",");
        puts_(b, "{\"name\":");
        put_cstring(b, o->name);
        puts_(b, ",\"description\":");
        put_cstring(b, o->description);
        puts_(b, ",\"default\":");
        put_cstring(b, o->default_value);
        puts_(b, ",\"kind\":\"");
        puts_(b, kinds[o->kind]);
        puts_(b, o->required ? "\",\"required\":true}" : "\",\"required\":false}");
    }
    puts_(b, "]}");
}

static void error_answer(buffer *b, const char *message) {
    puts_(b, "{\"error\":");
    put_cstring(b, message);
    puts_(b, "}");
}

static void output_answer(buffer *b, dh_output *out) {
    const char *names[] = {"edits", "diagnostics", "artifacts", "facts"};
    buffer *lists[] = {&out->edits, &out->diagnostics, &out->artifacts, &out->facts};
    puts_(b, "{\"ok\":{");
    for (int i = 0; i < 4; i++) {
        if (i) puts_(b, ",");
        puts_(b, "\"");
        puts_(b, names[i]);
        puts_(b, "\":[");
        if (lists[i]->len) put(b, lists[i]->data, lists[i]->len);
        puts_(b, "]");
        lists[i]->len = 0;
    }
    puts_(b, "}}");
}

/* Answer one request into `b`. */
static void answer(const dh_plugin *p, void **session, const dh_json *request, buffer *b, dh_output *out) {
    const char *kind = string_of(dh_json_get(request, "request"));
    const char *error = NULL;
    if (!kind) kind = "";
    if (!strcmp(kind, "describe")) {
        describe(p, b);
        return;
    }
    if (!strcmp(kind, "open")) {
        const dh_json *pairs = dh_json_get(request, "config");
        size_t n = pairs && pairs->type == DH_JSON_ARRAY ? pairs->len : 0;
        const char **keys = alloc(n * sizeof *keys), **values = alloc(n * sizeof *values);
        for (size_t i = 0; i < n; i++) {
            const dh_json *kv = &pairs->items[i];
            int ok = kv->type == DH_JSON_ARRAY && kv->len == 2 && string_of(&kv->items[0]) && string_of(&kv->items[1]);
            /* Copied: the session outlives this request. */
            keys[i] = strdup(ok ? kv->items[0].string : "");
            values[i] = strdup(ok ? kv->items[1].string : "");
        }
        dh_config config = {keys, values, n};
        error = p->open ? p->open(&config, session) : NULL;
        if (error) error_answer(b, error);
        else puts_(b, "{\"ok\":null}");
        return;
    }
    if (!strcmp(kind, "finish")) {
        error = p->finish ? p->finish(*session, out) : NULL;
        if (error) {
            error_answer(b, error);
            return;
        }
        puts_(b, "{\"ok\":{\"diagnostics\":[");
        if (out->diagnostics.len) put(b, out->diagnostics.data, out->diagnostics.len);
        puts_(b, "],\"artifacts\":[");
        if (out->artifacts.len) put(b, out->artifacts.data, out->artifacts.len);
        puts_(b, "]}}");
        out->diagnostics.len = out->artifacts.len = 0;
        return;
    }
    int scan = !strcmp(kind, "scan");
    if (!scan && strcmp(kind, "transform")) {
        error_answer(b, dh_format("dochost.c does not know the request `%s`", kind));
        return;
    }
    dh_document doc;
    error = document_of(dh_json_get(request, "document"), &doc);
    if (!error) {
        if (scan) error = p->scan ? p->scan(*session, &doc, out) : NULL;
        else error = p->transform(*session, &doc, out);
    }
    if (error) {
        error_answer(b, error);
    } else if (scan) {
        puts_(b, "{\"ok\":[");
        if (out->facts.len) put(b, out->facts.data, out->facts.len);
        puts_(b, "]}");
    } else {
        output_answer(b, out);
    }
    out->edits.len = out->diagnostics.len = out->artifacts.len = out->facts.len = 0;
    out->edit_count = 0;
}

int dh_main(const dh_plugin *plugin) {
    void *session = NULL;
    buffer b = {0};
    dh_output out = {0};
    char *request_line;
    /* A document is one long line: read it in few WASI calls. */
    setvbuf(stdin, NULL, _IOFBF, 1 << 16);
    while ((request_line = read_line())) {
        if (!*request_line) continue;
        /* A copy: index answers are read into the line buffer meanwhile. */
        char *text = strcpy(alloc(strlen(request_line) + 1), request_line);
        const char *error = NULL;
        const dh_json *request = parse(text, &error);
        if (!request) {
            fprintf(stderr, "dochost.c: a request is not JSON: %s\n", error);
            return 65;
        }
        answer(plugin, &session, request, &b, &out);
        print_line(&b);
        free_owned();
    }
    return 0;
}
