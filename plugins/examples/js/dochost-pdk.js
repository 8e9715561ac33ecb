// The dochost plugin kit for JavaScript: the Rust kit's main helpers.
//
// A plugin is an object with `describe()` and `transform(doc, config)`;
// `exportPlugin` turns it into the two functions the component exports:
//
//   import { exportPlugin, Output, PluginInfo, NodeKind } from "./dochost-pdk.js";
//
//   export const { describe, transform } = exportPlugin({
//     describe: () => new PluginInfo("shout", "0.1.0", "Upper-cases prose"),
//     transform(doc, config) {
//       const out = new Output();
//       for (const id of doc.idsOf(NodeKind.Text)) {
//         out.setText(id, doc.text(id).toUpperCase()).because("shout");
//       }
//       return out;
//     },
//   });
//
// Build with `jco componentize plugin.js --wit wit -n plugin -d http -d
// fetch-event -o plugin.wasm`. Throw a `PluginError` (or let a helper such
// as `Config.rejectUnknown` throw one) to fail the document with a message;
// any other exception fails it with its stack.
//
// How the WIT types look in JavaScript (jco): records are plain objects with
// camelCase fields (`linkKind`), enums are their kebab-case names
// (`"table-cell"`), `option<T>` is the value or `undefined`, u64 is a BigInt.

import hostLog from "log";

/** Node kinds, as the strings jco uses for the WIT enum. */
export const NodeKind = Object.freeze({
  Document: "document",
  FrontMatter: "front-matter",
  Paragraph: "paragraph",
  Heading: "heading",
  BlockQuote: "block-quote",
  CodeBlock: "code-block",
  HtmlBlock: "html-block",
  List: "list",
  ListItem: "list-item",
  Table: "table",
  TableHead: "table-head",
  TableRow: "table-row",
  TableCell: "table-cell",
  ThematicBreak: "thematic-break",
  FootnoteDefinition: "footnote-definition",
  MathBlock: "math-block",
  LinkDefinition: "link-definition",
  Text: "text",
  Code: "code",
  InlineHtml: "inline-html",
  Emphasis: "emphasis",
  Strong: "strong",
  Strikethrough: "strikethrough",
  Link: "link",
  Image: "image",
  SoftBreak: "soft-break",
  HardBreak: "hard-break",
  FootnoteReference: "footnote-reference",
  TaskMarker: "task-marker",
  MathInline: "math-inline",
});

export const LinkKind = Object.freeze({
  Inline: "inline",
  Reference: "reference",
  Collapsed: "collapsed",
  Shortcut: "shortcut",
  Autolink: "autolink",
  Email: "email",
});

export const Severity = Object.freeze({ Error: "error", Warning: "warning", Info: "info" });

/** Fails the current document with this message (the WIT `err`). */
export class PluginError extends Error {
  constructor(message) {
    super(message);
    this.name = "PluginError";
  }
}

// ---------------------------------------------------------------------------
// Options

/** The `--set KEY=VALUE` options given to this plugin, in order. */
export class Config {
  constructor(entries) {
    this.entries = entries.map(([k, v]) => [k, v]);
  }

  /** The last value given for `key`, or `undefined`. */
  get(key) {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i][0] === key) return this.entries[i][1];
    }
    return undefined;
  }

  /** The value of `key`, or `fallback` when it was not given. */
  getOr(key, fallback) {
    const value = this.get(key);
    return value === undefined ? fallback : value;
  }

  /** An integer option; a value that is not one is an error naming it. */
  int(key, fallback) {
    const raw = this.get(key);
    if (raw === undefined) return fallback;
    if (!/^[+-]?\d+$/.test(raw)) {
      throw new PluginError(`option \`${key}\`: cannot use \`${raw}\`: invalid digit found in string`);
    }
    return Number.parseInt(raw, 10);
  }

  /** A number option. */
  number(key, fallback) {
    const raw = this.get(key);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (raw.trim() === "" || Number.isNaN(value)) {
      throw new PluginError(`option \`${key}\`: cannot use \`${raw}\`: invalid float literal`);
    }
    return value;
  }

  /** A value converted by `convert`, which throws on bad input. */
  parse(key, fallback, convert) {
    const raw = this.get(key);
    if (raw === undefined) return fallback;
    try {
      return convert(raw);
    } catch (e) {
      throw new PluginError(`option \`${key}\`: cannot use \`${raw}\`: ${e && e.message ? e.message : e}`);
    }
  }

  /** A boolean option: true/false, yes/no, 1/0, on/off. */
  flag(key, fallback) {
    const raw = this.get(key);
    if (raw === undefined) return fallback;
    const lowered = raw.toLowerCase();
    if (["true", "yes", "1", "on"].includes(lowered)) return true;
    if (["false", "no", "0", "off"].includes(lowered)) return false;
    throw new PluginError(`option \`${key}\`: expected true or false, got \`${lowered}\``);
  }

  /** Every key given. */
  keys() {
    return this.entries.map(([k]) => k);
  }

  /** Fail on any option not in `known`, so typos do not pass silently. */
  rejectUnknown(known) {
    const key = this.keys().find((k) => !known.includes(k));
    if (key !== undefined) {
      throw new PluginError(`unknown option \`${key}\` (known options: ${known.join(", ")})`);
    }
  }
}

// ---------------------------------------------------------------------------
// The document

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** A read-only view of the document: source, node table, navigation. */
export class Document {
  constructor(raw) {
    this.raw = raw;
    this.path = raw.path;
    this.source = raw.source;
    this.nodes = raw.nodes;
    this._bytes = undefined;
    this._lineStarts = undefined;
  }

  _sourceBytes() {
    if (this._bytes === undefined) this._bytes = utf8.encode(this.source);
    return this._bytes;
  }

  node(id) {
    return this.nodes[id];
  }

  kind(id) {
    return this.nodes[id].kind;
  }

  /** Ids of every node, in document order (node 0 is the root). */
  ids() {
    return this.nodes.map((_, i) => i);
  }

  /** Ids of every node of one kind, in document order. */
  idsOf(kind) {
    const out = [];
    for (let i = 0; i < this.nodes.length; i++) {
      if (this.nodes[i].kind === kind) out.push(i);
    }
    return out;
  }

  /** The literal text of a text-bearing node, or `""`. */
  text(id) {
    const text = this.nodes[id].text;
    return text === undefined || text === null ? "" : text;
  }

  span(id) {
    return this.nodes[id].span;
  }

  /** The source a node spans, markup included (spans are UTF-8 byte offsets). */
  sourceOf(id) {
    const { start, end } = this.nodes[id].span;
    return utf8Decoder.decode(this._sourceBytes().subarray(start, end));
  }

  children(id) {
    return this.nodes[id].children;
  }

  parent(id) {
    const parent = this.nodes[id].parent;
    return parent === undefined || parent === null ? undefined : parent;
  }

  /** Parent, grandparent, … up to the root. */
  *ancestors(id) {
    for (let p = this.parent(id); p !== undefined; p = this.parent(p)) yield p;
  }

  /** Whether any ancestor of `id` is of `kind`. */
  isInside(id, kind) {
    for (const a of this.ancestors(id)) if (this.nodes[a].kind === kind) return true;
    return false;
  }

  /** `id` and every node below it, in document order. */
  descendants(id) {
    const out = [];
    const stack = [id];
    while (stack.length) {
      const n = stack.pop();
      out.push(n);
      const children = this.nodes[n].children;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    return out;
  }

  /** All literal text under a node (a heading's or link's text). */
  plainText(id) {
    let out = "";
    for (const n of this.descendants(id)) {
      const node = this.nodes[n];
      if (node.kind === NodeKind.SoftBreak || node.kind === NodeKind.HardBreak) out += " ";
      else if (
        (node.kind === NodeKind.Text || node.kind === NodeKind.Code || node.kind === NodeKind.MathInline) &&
        node.text != null
      )
        out += node.text;
    }
    return out;
  }

  /** 1-based line and column (in characters) of a byte offset. */
  lineCol(offset) {
    const bytes = this._sourceBytes();
    if (this._lineStarts === undefined) {
      const starts = [0];
      for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1);
      this._lineStarts = starts;
    }
    const starts = this._lineStarts;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    const line = lo - 1;
    const prefix = utf8Decoder.decode(bytes.subarray(starts[line], offset));
    return [line + 1, [...prefix].length + 1];
  }
}

// ---------------------------------------------------------------------------
// The answer

/** An edit just added to an `Output`; attach a reason with `because`. */
export class EditRef {
  constructor(edit) {
    this.edit = edit;
  }

  /** Attach a human reason, shown in change reports. */
  because(reason) {
    this.edit.reason = reason;
    return this;
  }
}

/** What a plugin returns: edits, diagnostics and artifacts. */
export class Output {
  constructor() {
    this.edits = [];
    this.diagnostics = [];
    this.artifacts = [];
  }

  edit(op, reason) {
    const edit = { op, reason: reason === undefined ? undefined : reason };
    this.edits.push(edit);
    return new EditRef(edit);
  }

  /** Replace the literal text of a text-bearing node; the host escapes it. */
  setText(node, text, reason) {
    return this.edit({ tag: "set-text", val: { node, value: text } }, reason);
  }

  /** Replace a whole node with raw Markdown. */
  replace(node, markdown, reason) {
    return this.edit({ tag: "replace", val: { node, value: markdown } }, reason);
  }

  insertBefore(node, markdown, reason) {
    return this.edit({ tag: "insert-before", val: { node, value: markdown } }, reason);
  }

  insertAfter(node, markdown, reason) {
    return this.edit({ tag: "insert-after", val: { node, value: markdown } }, reason);
  }

  remove(node, reason) {
    return this.edit({ tag: "remove", val: node }, reason);
  }

  setUrl(node, url, reason) {
    return this.edit({ tag: "set-url", val: { node, value: url } }, reason);
  }

  setTitle(node, title, reason) {
    return this.edit({ tag: "set-title", val: { node, value: title } }, reason);
  }

  setInfo(node, info, reason) {
    return this.edit({ tag: "set-info", val: { node, value: info } }, reason);
  }

  /** Replace raw source bytes `start..end` (UTF-8 offsets). */
  splice(start, end, markdown, reason) {
    return this.edit({ tag: "splice", val: { span: { start, end }, value: markdown } }, reason);
  }

  /** Report something about a node (or, with `span`, a byte range). */
  diagnose(severity, code, message, node, span) {
    const diagnostic = { severity, code, message, node, span };
    this.diagnostics.push(diagnostic);
    return diagnostic;
  }

  error(code, message, node) {
    return this.diagnose(Severity.Error, code, message, node);
  }

  warning(code, message, node) {
    return this.diagnose(Severity.Warning, code, message, node);
  }

  info(code, message, node) {
    return this.diagnose(Severity.Info, code, message, node);
  }

  /** Emit a named text output (saved with `--artifacts DIR`). */
  artifact(name, content) {
    this.artifacts.push({ name, content });
  }

  intoRaw() {
    return { edits: this.edits, diagnostics: this.diagnostics, artifacts: this.artifacts };
  }
}

// ---------------------------------------------------------------------------
// Describing and exporting

/** Name, version, description and options (shown by `dochost inspect`). */
export class PluginInfo {
  constructor(name, version, description) {
    this.name = name;
    this.version = version;
    this.description = description;
    this.options = [];
  }

  /** Declare an option; returns `this` to chain. */
  option(name, description, defaultValue) {
    this.options.push({ name, description, default: defaultValue });
    return this;
  }

  intoRaw() {
    return { name: this.name, version: this.version, description: this.description, options: this.options };
  }
}

/** Write to the host's log (stderr, prefixed with the plugin's name). */
export const log = Object.freeze({
  info: (message) => hostLog(Severity.Info, message),
  warn: (message) => hostLog(Severity.Warning, message),
  error: (message) => hostLog(Severity.Error, message),
});

/**
 * The `describe` and `transform` functions the component exports, wrapping
 * a plugin: `export const { describe, transform } = exportPlugin(plugin)`.
 */
export function exportPlugin(plugin) {
  return {
    describe() {
      const info = plugin.describe();
      return info instanceof PluginInfo ? info.intoRaw() : info;
    },
    transform(doc, config) {
      let out;
      try {
        out = plugin.transform(new Document(doc), new Config(config));
      } catch (e) {
        // The component turns a thrown string into the WIT `err`.
        if (e instanceof PluginError) throw e.message;
        throw e instanceof Error ? `${e}\n${e.stack || ""}`.trimEnd() : String(e);
      }
      if (out === undefined) out = new Output();
      return out instanceof Output ? out.intoRaw() : out;
    },
  };
}
