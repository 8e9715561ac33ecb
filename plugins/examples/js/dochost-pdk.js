// The dochost plugin kit for JavaScript (contract `dochost:plugin@0.3.0`):
// the Rust kit's main helpers, with the same names in camelCase.
//
// A plugin is a class: `static describe()` names it and declares its
// options, `static open(config)` builds the session (an instance of the
// class, opened once with the checked options and then called for many
// documents), and `transform(doc)` answers each document; `scan(doc)` and
// `finish()` are optional. `exportPlugin` turns it into the `pluginApi`
// interface the component exports:
//
//   import { exportPlugin, NodeKind, Output, Plugin, PluginInfo } from "./dochost-pdk.js";
//
//   class Shout extends Plugin {
//     static describe() {
//       return new PluginInfo("shout", "0.1.0", "Upper-cases prose");
//     }
//     static open(config) {
//       return new Shout();
//     }
//     transform(doc) {
//       const out = new Output();
//       for (const id of doc.idsOf(NodeKind.Text)) {
//         out.setText(id, doc.text(id).toUpperCase()).because("shout");
//       }
//       return out;
//     }
//   }
//
//   export const pluginApi = exportPlugin(Shout);
//
// Build with `jco componentize plugin.js --wit wit -n plugin -d http -d
// fetch-event -o plugin.wasm` (after bundling with rolldown, keeping `log`
// and `dochost:plugin/index@0.3.0` external). Throw a `PluginError` to fail
// the document (in `open`: the run) with a message; any other exception
// fails it with its stack.
//
// HTTP requests (`get`, `post`, `request`, as the Rust kit's
// `dochost_pdk::http`) are in the second module `dochost-http.js`, which
// imports wasi:http; a plugin that uses it builds against the world
// `plugin-with-http` (see that file). This module imports no wasi:http.
//
// The host checks the options against what `describe` declares (unknown
// keys, kinds, required options) and fills in declared defaults before
// `open`, so a plugin need not check them again. The host may open several
// sessions at once, each seeing some of the documents: share what one
// document teaches about another through facts (`Output.fact`, `scan`) and
// `index`, not through fields of the session.
//
// How the WIT types look in JavaScript (jco): records are plain objects with
// camelCase fields (`linkKind`), enums are their kebab-case names
// (`"table-cell"`), `option<T>` is the value or `undefined`, u64 is a BigInt.
// The exported interface `plugin-api` is an object `pluginApi` holding
// `describe`, `open` and the resource class `Session`; an `err` is a thrown
// string. `doc.nodes[id]` is an object like 0.2.0's `node` record (`kind`,
// `parent`, `children`, `span`, `text`, `linkKind`, …), decoded from the
// columns of the host's `node-table`.

import hostLog from "log";
import * as hostIndex from "dochost:plugin/index@0.3.0";

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

export const OptionKind = Object.freeze({ Text: "text", Flag: "flag", Integer: "integer", Path: "path" });

export const TargetKind = Object.freeze({ Link: "link", Image: "image", LinkDefinition: "link-definition" });

/**
 * Fails the current document with this message (the WIT `err`); thrown in
 * `open`, fails the run before any document.
 */
export class PluginError extends Error {
  constructor(message) {
    super(message);
    this.name = "PluginError";
  }
}

// ---------------------------------------------------------------------------
// Options

/**
 * The options a session is opened with: what the user gave with `--set`
 * (already checked against the declared kinds) and the declared defaults of
 * the rest.
 */
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
}

// ---------------------------------------------------------------------------
// The document

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** The parent of the root in the node table. */
const NO_PARENT = 0xffffffff;
const LINK_KINDS = Object.values(LinkKind);
/** The properties that are a node's string field of the same name. */
const STRING_FIELDS = Object.freeze({ text: "text", url: "url", title: "title", info: "info", label: "label" });

/**
 * The nodes the host's node table encodes (see `node-table` in
 * `wit/plugin.wit`): `{ kind, parent, children, span, text, level, url,
 * title, info, checked, linkKind, label, start, attributes }`, a property
 * the node does not have `undefined`.
 */
function decodeNodes(table) {
  const { kinds, parents, spans } = table;
  const nodes = [];
  for (let id = 0; id < kinds.length; id++) {
    let parent = parents[id];
    if (parent === NO_PARENT) parent = undefined;
    else nodes[parent].children.push(id);
    nodes.push({
      kind: kinds[id],
      parent,
      children: [],
      span: spans[id],
      text: undefined,
      level: undefined,
      url: undefined,
      title: undefined,
      info: undefined,
      checked: undefined,
      linkKind: undefined,
      label: undefined,
      start: undefined,
      attributes: [],
    });
  }
  const strings = table.strings;
  const bytes = utf8.encode(strings);
  // Offsets are UTF-8 bytes; in ASCII they count UTF-16 units too.
  const ascii = bytes.length === strings.length;
  const string = (prop) =>
    ascii ? strings.slice(prop.start, prop.end) : utf8Decoder.decode(bytes.subarray(prop.start, prop.end));
  for (const prop of table.properties) {
    const node = nodes[prop.node];
    const field = STRING_FIELDS[prop.name];
    if (field !== undefined) {
      node[field] = string(prop);
      continue;
    }
    switch (prop.name) {
      case "level":
        node.level = prop.start;
        break;
      case "checked":
        node.checked = prop.start !== 0;
        break;
      case "link-kind":
        node.linkKind = LINK_KINDS[prop.start];
        break;
      case "start":
        node.start = BigInt(prop.start) | (BigInt(prop.end) << 32n);
        break;
      case "attribute":
        node.attributes.push([string(prop), undefined]);
        break;
      case "attribute-value":
        node.attributes[node.attributes.length - 1][1] = string(prop);
        break;
    }
  }
  return nodes;
}

/** A read-only view of the document: source, node table, navigation. */
export class Document {
  constructor(raw) {
    this.raw = raw;
    this.path = raw.path;
    this.source = raw.source;
    this.nodes = decodeNodes(raw.nodes);
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

/**
 * What `transform` returns for a document: edits for the host to apply,
 * diagnostics to print, artifacts to save, facts for `finish`.
 */
export class Output {
  constructor() {
    this.edits = [];
    this.diagnostics = [];
    this.artifacts = [];
    this.facts = [];
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

  /** Record a fact about this document, for `finish` to query through `index.facts`. */
  fact(key, value) {
    this.facts.push({ key, value });
  }

  intoRaw() {
    return { edits: this.edits, diagnostics: this.diagnostics, artifacts: this.artifacts, facts: this.facts };
  }
}

/**
 * What `finish` returns: diagnostics about the run and artifacts for the
 * whole tree (one report, one `.pot`).
 */
export class RunOutput {
  constructor() {
    this.diagnostics = [];
    this.artifacts = [];
  }

  /** Report something about the run, or about the document at `path`. */
  diagnose(severity, code, message, path) {
    const diagnostic = { severity, code, message, path: path == null ? undefined : path };
    this.diagnostics.push(diagnostic);
    return diagnostic;
  }

  error(code, message, path) {
    return this.diagnose(Severity.Error, code, message, path);
  }

  warning(code, message, path) {
    return this.diagnose(Severity.Warning, code, message, path);
  }

  info(code, message, path) {
    return this.diagnose(Severity.Info, code, message, path);
  }

  /** Emit a named text output (saved with `--artifacts DIR`). */
  artifact(name, content) {
    this.artifacts.push({ name, content });
  }

  intoRaw() {
    return { diagnostics: this.diagnostics, artifacts: this.artifacts };
  }
}

// ---------------------------------------------------------------------------
// Describing

/**
 * Name, version, description and options (shown by `dochost inspect`).
 * Declare options with `option`, `flagOption`, `integerOption` and
 * `pathOption`; each returns `this` to chain.
 */
export class PluginInfo {
  constructor(name, version, description) {
    this.name = name;
    this.version = version;
    this.description = description;
    this.options = [];
    this.isTreeWide = false;
  }

  _declare(name, description, defaultValue, kind) {
    this.options.push({
      name,
      description,
      default: defaultValue == null ? undefined : defaultValue,
      kind,
      required: false,
    });
    return this;
  }

  /** Declare a text option. */
  option(name, description, defaultValue) {
    return this._declare(name, description, defaultValue, OptionKind.Text);
  }

  /** Declare a true/false option (the plugin receives `true` or `false`; read it with `Config.flag`). */
  flagOption(name, description, defaultValue = false) {
    return this._declare(name, description, defaultValue ? "true" : "false", OptionKind.Flag);
  }

  /** Declare a whole-number option (read it with `Config.int`). */
  integerOption(name, description, defaultValue) {
    const value = defaultValue == null ? undefined : String(Math.trunc(Number(defaultValue)));
    return this._declare(name, description, value, OptionKind.Integer);
  }

  /**
   * Declare an option naming a file or directory the plugin reads (the host
   * checks that it exists and is granted with `--allow-read`).
   */
  pathOption(name, description) {
    return this._declare(name, description, undefined, OptionKind.Path);
  }

  /** Make the option declared last required. */
  required() {
    if (this.options.length > 0) this.options[this.options.length - 1].required = true;
    return this;
  }

  /**
   * Ask to see the whole tree: `scan` runs on every document before the
   * first `transform`, and `index` answers for the whole tree.
   */
  treeWide() {
    this.isTreeWide = true;
    return this;
  }

  intoRaw() {
    return {
      name: this.name,
      version: this.version,
      description: this.description,
      options: this.options,
      treeWide: this.isTreeWide,
    };
  }
}

/**
 * Base class for plugins. The class is the session's state: `open` builds
 * one instance from the options, then `scan` (tree-wide plugins only),
 * `transform` and `finish` are called on it. Override `static describe()`,
 * `static open(config)` (the default is `new this()`) and `transform(doc)`.
 */
export class Plugin {
  /** Name, version, description and options: a `PluginInfo`. */
  static describe() {
    throw new Error(`${this.name}.describe is missing`);
  }

  /**
   * Set up a session from the options (a `Config`, already checked by the
   * host, defaults filled in). A `PluginError` fails the run before any
   * document.
   */
  static open(_config) {
    return new this();
  }

  /**
   * Record facts about a document before any is transformed; called only
   * for plugins declared `treeWide`. Returns `{ key, value }` objects (or
   * `[key, value]` pairs).
   */
  scan(_doc) {
    return [];
  }

  /** Look at one document and answer with an `Output`. A `PluginError` fails this document. */
  transform(_doc) {
    throw new Error(`${this.constructor.name}.transform is missing`);
  }

  /**
   * Output about the whole run (a `RunOutput`), called once on one session
   * after every document; `index` answers for the whole tree.
   */
  finish() {
    return new RunOutput();
  }
}

// ---------------------------------------------------------------------------
// The host

/** Write to the host's log (stderr, prefixed with the plugin's name). */
export const log = Object.freeze({
  info: (message) => hostLog(Severity.Info, message),
  warn: (message) => hostLog(Severity.Warning, message),
  error: (message) => hostLog(Severity.Error, message),
});

/**
 * Read-only queries over the documents of the run. For a plugin declared
 * `treeWide` they answer for every document during `transform` and
 * `finish`; for any plugin, during `finish`. `facts` returns what `scan`
 * recorded (during `transform`), and what `scan` and `transform` recorded
 * (during `finish`).
 */
export const index = Object.freeze({
  /** Every document of the run, in input order. */
  documents: () => hostIndex.documents(),
  /** A document's headings (`{ text, level, id, span }`), in order; `undefined` if it is not in the run. */
  headings: (path) => hostIndex.headings(path),
  /** A document's link, image and link-definition targets (`{ kind, url, span }`), in order. */
  targets: (path) => hostIndex.targets(path),
  /** A document's front matter as written, without its fences. */
  frontMatter: (path) => hostIndex.frontMatter(path),
  /** Every fact recorded under `key` (`{ path, value }`), documents in input order. */
  facts: (key) => hostIndex.facts(key),
  /** Every file under the run's directories, Markdown or not, sorted, in stored case (tree-wide plugins). */
  files: () => hostIndex.files(),
  /** The files and directories named on the command line, as given. */
  roots: () => hostIndex.roots(),
});

// ---------------------------------------------------------------------------
// Exporting

/** Call into the plugin; an exception becomes the WIT `err` (a thrown string). */
function guard(call) {
  try {
    return call();
  } catch (e) {
    if (e instanceof PluginError) throw e.message;
    throw e instanceof Error ? `${e}\n${e.stack || ""}`.trimEnd() : String(e);
  }
}

function rawFact(fact) {
  return Array.isArray(fact) ? { key: fact[0], value: fact[1] } : fact;
}

/** The `session` resource: one instance of the plugin class. */
export class Session {
  #plugin;

  constructor(plugin) {
    this.#plugin = plugin;
  }

  scan(doc) {
    const plugin = this.#plugin;
    const facts = guard(() => (typeof plugin.scan === "function" ? plugin.scan(new Document(doc)) : []));
    return (facts || []).map(rawFact);
  }

  transform(doc) {
    let out = guard(() => this.#plugin.transform(new Document(doc)));
    if (out === undefined) out = new Output();
    return out instanceof Output ? out.intoRaw() : out;
  }

  finish() {
    const plugin = this.#plugin;
    let out = guard(() => (typeof plugin.finish === "function" ? plugin.finish() : new RunOutput()));
    if (out === undefined) out = new RunOutput();
    return out instanceof RunOutput ? out.intoRaw() : out;
  }
}

/**
 * The `plugin-api` interface the component exports, wrapping a plugin class:
 * `export const pluginApi = exportPlugin(MyPlugin)`.
 */
export function exportPlugin(pluginClass) {
  return {
    Session,
    describe() {
      const info = pluginClass.describe();
      return info instanceof PluginInfo ? info.intoRaw() : info;
    },
    open(config) {
      const plugin = guard(() => pluginClass.open(new Config(config)));
      if (plugin == null) throw `${pluginClass.name}.open returned no session`;
      return new Session(plugin);
    },
  };
}
