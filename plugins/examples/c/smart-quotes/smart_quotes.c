/* Curls straight quotes in prose: "quoted" becomes “quoted” and it's becomes
 * it’s. The C port of plugins/smart-quotes; it makes the same edits, byte for
 * byte. Only text nodes are touched, so code, HTML and URLs stay as they are. */
#include <stdlib.h>
#include <string.h>

#include "dochost.h"

/* The opening and closing quotes, as UTF-8. */
typedef struct {
    char open[5], close[5];
} pair;

typedef struct {
    pair double_, single;
} session;

/* The code point at s[*i], advancing *i (input is valid UTF-8). */
static unsigned next_char(const char *s, size_t *i) {
    unsigned char c = (unsigned char)s[(*i)++];
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    unsigned cp = extra == 3 ? c & 0x07 : extra == 2 ? c & 0x0F : extra == 1 ? c & 0x1F : c;
    while (extra--) cp = cp << 6 | ((unsigned char)s[(*i)++] & 0x3F);
    return cp;
}

/* Rust's char::is_whitespace: Unicode White_Space. */
static int is_whitespace(unsigned c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* After these (or at the start of a block) a quote opens. */
static int opens_after(unsigned c) {
    return is_whitespace(c) || c == '(' || c == '[' || c == '{' || c == '<' || c == 0x2014 || c == 0x2013 || c == '-';
}

#define NONE 0xFFFFFFFFu

/* Curl the quotes of text[0..len), where `before` is the character just
 * before it (NONE at the start of a block); the result is NUL-terminated. */
static char *curl(const char *text, size_t len, unsigned before, const session *s, size_t *out_len) {
    char *out = malloc(len * 4 + 1), *w = out; /* a quote is 1 byte, its curled form at most 4 */
    unsigned previous = before;
    for (size_t i = 0; i < len;) {
        size_t at = i;
        unsigned c = next_char(text, &i);
        if (c == '"' || c == '\'') {
            const pair *p = c == '"' ? &s->double_ : &s->single;
            const char *q = previous == NONE || opens_after(previous) ? p->open : p->close;
            w = stpcpy(w, q);
        } else {
            memcpy(w, text + at, i - at);
            w += i - at;
        }
        previous = c;
    }
    *w = 0;
    *out_len = (size_t)(w - out);
    return out;
}

static int is_block(const dh_document *doc, uint32_t id) {
    return dh_is(doc, id, "paragraph") || dh_is(doc, id, "heading") || dh_is(doc, id, "table-cell");
}

/* Whether the node comes right after a soft or hard line break, where a quote opens. */
static int follows_line_break(const dh_document *doc, uint32_t id) {
    if (doc->nodes[id].parent < 0) return 0;
    const dh_node *parent = &doc->nodes[doc->nodes[id].parent];
    for (size_t i = 1; i < parent->child_count; i++)
        if (parent->children[i] == id)
            return dh_is(doc, parent->children[i - 1], "soft-break") || dh_is(doc, parent->children[i - 1], "hard-break");
    return 0;
}

/* An autolink's text is its URL. */
static int is_autolink_text(const dh_document *doc, uint32_t id) {
    int64_t parent = doc->nodes[id].parent;
    const char *kind = parent < 0 ? NULL : doc->nodes[parent].link_kind;
    return kind && (!strcmp(kind, "autolink") || !strcmp(kind, "email"));
}

static const char *quote_pair(const dh_config *config, const char *key, const char *fallback, pair *out) {
    const char *value = dh_config_get(config, key);
    if (!value) value = fallback;
    size_t len = strlen(value), i = 0, chars = 0, split = 0;
    while (i < len) {
        next_char(value, &i);
        if (++chars == 1) split = i;
    }
    if (chars != 2) return dh_format("option `%s` needs exactly two characters, got `%s`", key, value);
    memcpy(out->open, value, split);
    out->open[split] = 0;
    strcpy(out->close, value + split);
    return NULL;
}

static const char *open_session(const dh_config *config, void **state) {
    session *s = calloc(1, sizeof *s);
    const char *error = quote_pair(config, "double", "“”", &s->double_);
    if (!error) error = quote_pair(config, "single", "‘’", &s->single);
    *state = s;
    return error;
}

static const char *transform(void *state, const dh_document *doc, dh_output *out) {
    const session *s = state;
    /* The character before a node decides whether a quote at its start
     * opens or closes, so carry it across the text nodes of a block. */
    unsigned previous = NONE;
    int64_t block = -1;
    for (uint32_t id = 0; id < doc->node_count; id++) {
        const dh_node *node = &doc->nodes[id];
        if (strcmp(node->kind, "text")) continue;
        int64_t parent_block = node->parent;
        while (parent_block >= 0 && !is_block(doc, (uint32_t)parent_block)) parent_block = doc->nodes[parent_block].parent;
        if (parent_block != block) {
            previous = NONE;
            block = parent_block;
        }
        if (follows_line_break(doc, id)) previous = '\n';
        const char *text = node->text ? node->text : "";
        size_t len = node->text_len;
        if ((memchr(text, '"', len) || memchr(text, '\'', len)) && !is_autolink_text(doc, id)) {
            size_t curled_len;
            char *curled = curl(text, len, previous, s, &curled_len);
            if (curled_len != len || memcmp(curled, text, len))
                dh_set_text(out, id, curled, curled_len, "straight quotes curled");
            free(curled);
        }
        for (size_t i = 0; i < len;) previous = next_char(text, &i);
    }
    return NULL;
}

static const dh_option options[] = {
    {"double", "opening and closing double quotes", "“”", DH_TEXT, 0},
    {"single", "opening and closing single quotes", "‘’", DH_TEXT, 0},
};

int main(void) {
    dh_plugin plugin = {
        .name = "smart-quotes",
        .version = "0.1.0",
        .description = "Curl straight quotes in prose",
        .options = options,
        .option_count = 2,
        .open = open_session,
        .transform = transform,
    };
    return dh_main(&plugin);
}
