// Curls straight quotes in prose: "quoted" becomes “quoted” and it's becomes
// it’s. The JavaScript port of plugins/smart-quotes; it makes the same edits,
// byte for byte. Only text nodes are touched, so code, HTML and URLs stay.

import { exportPlugin, LinkKind, NodeKind, Output, Plugin, PluginError, PluginInfo } from "../dochost-pdk.js";

// Rust's `char::is_whitespace` (Unicode White_Space). JavaScript's `\s`
// misses U+0085 and adds U+FEFF, so spell the set out.
const WHITESPACE = new Set(
  "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006" +
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000",
);
// After these (or at the start of a block) a quote opens.
const OPENERS = new Set("([{<—–-");
const BLOCKS = new Set([NodeKind.Paragraph, NodeKind.Heading, NodeKind.TableCell]);

class SmartQuotes extends Plugin {
  static describe() {
    return new PluginInfo("smart-quotes", "0.1.0", "Curl straight quotes in prose")
      .option("double", "opening and closing double quotes", "“”")
      .option("single", "opening and closing single quotes", "‘’");
  }

  static open(config) {
    return new SmartQuotes(quotePair(config, "double", "“”"), quotePair(config, "single", "‘’"));
  }

  constructor(double, single) {
    super();
    this.double = double;
    this.single = single;
  }

  transform(doc) {
    const out = new Output();
    // The character before a node decides whether a quote at its start
    // opens or closes, so carry it across the text nodes of a block.
    let previous;
    let block;
    for (const id of doc.idsOf(NodeKind.Text)) {
      let parentBlock;
      for (const a of doc.ancestors(id)) {
        if (BLOCKS.has(doc.kind(a))) {
          parentBlock = a;
          break;
        }
      }
      if (parentBlock !== block) {
        previous = undefined;
        block = parentBlock;
      }
      if (followsLineBreak(doc, id)) previous = "\n";
      const text = doc.text(id);
      const curled = curl(text, previous, this.double, this.single);
      if (text.length > 0) previous = lastChar(text);
      // An autolink's text is its URL.
      if (curled !== text && !isAutolinkText(doc, id)) {
        out.setText(id, curled).because("straight quotes curled");
      }
    }
    return out;
  }
}

/** Whether the node comes right after a soft or hard line break, where a quote opens. */
function followsLineBreak(doc, id) {
  const parent = doc.parent(id);
  if (parent === undefined) return false;
  const siblings = doc.children(parent);
  const position = siblings.indexOf(id);
  if (position <= 0) return false;
  const kind = doc.kind(siblings[position - 1]);
  return kind === NodeKind.SoftBreak || kind === NodeKind.HardBreak;
}

function isAutolinkText(doc, id) {
  const parent = doc.parent(id);
  if (parent === undefined) return false;
  const kind = doc.node(parent).linkKind;
  return kind === LinkKind.Autolink || kind === LinkKind.Email;
}

function quotePair(config, key, fallback) {
  const value = config.getOr(key, fallback);
  const chars = [...value];
  if (chars.length !== 2) {
    throw new PluginError(`option \`${key}\` needs exactly two characters, got \`${value}\``);
  }
  return chars;
}

/** The last code point of a non-empty string. */
function lastChar(text) {
  const code = text.charCodeAt(text.length - 1);
  return code >= 0xdc00 && code <= 0xdfff && text.length > 1 ? text.slice(-2) : text.slice(-1);
}

/** Curl the quotes of `text`, where `before` is the character just before it. */
export function curl(text, before, double, single) {
  let out = "";
  let previous = before;
  for (const c of text) {
    if (c === '"' || c === "'") {
      const opens = previous === undefined || WHITESPACE.has(previous) || OPENERS.has(previous);
      const pair = c === '"' ? double : single;
      out += opens ? pair[0] : pair[1];
    } else {
      out += c;
    }
    previous = c;
  }
  return out;
}

// The component exports the interface `plugin-api` as `pluginApi`.
export const pluginApi = exportPlugin(SmartQuotes);
