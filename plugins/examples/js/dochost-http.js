// Outgoing HTTP for dochost plugins in JavaScript, through wasi-http: the
// Rust kit's `dochost_pdk::http`, with the same names and messages.
//
//   import * as http from "./dochost-http.js";
//
//   const response = http.get("https://api.example.com/v1/x");
//   const body = response.text();
//
// dochost lets a plugin reach only the hosts the user grants with
// `--allow-net HOST[:PORT]`; anything else is refused, and the error says
// which flag would allow it. A status that is not 2xx is still a
// `Response`; a request that got no complete answer throws a `PluginError`
// naming the URL and what to do (which fails the document when not caught).
//
// The requests are synchronous: the functions block until the whole answer
// is read, so they can be called from `transform`, `open` or `finish`
// without `async`. (componentize-js's own `fetch` works only from an async
// export, whose promise the runtime settles by running its event loop, while
// the kit's exports are synchronous; and it reports every failure as
// `TypeError: NetworkError when attempting to fetch resource`, without the
// wasi-http error code, so it cannot tell a refused host from a timeout.)
//
// This module imports `wasi:http/outgoing-handler` and `wasi:http/types`, so
// a plugin that imports it must be built against the world
// `plugin-with-http` (`jco componentize … -n plugin-with-http`, WIT with
// `deps/`) and its bundle must keep those two modules external; see
// plugins/examples/js/fetch/build.sh. A plugin that does not import it
// builds against `plugin` as before: `dochost-pdk.js` does not import it.

import { handle } from "wasi:http/outgoing-handler@0.2.12";
import { Fields, IncomingBody, OutgoingBody, OutgoingRequest, httpErrorCode } from "wasi:http/types@0.2.12";

import { PluginError } from "./dochost-pdk.js";

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

// Resources are released in order, children before their parents, as
// wasi-http requires (the bindings' `Symbol.dispose`).
const dispose = Symbol.dispose || Symbol.for("dispose");
function release(resource) {
  if (resource != null && typeof resource[dispose] === "function") resource[dispose]();
}

/** An HTTP response, read whole. */
export class Response {
  constructor(status, headers, body) {
    /** The status code, a number. */
    this.status = status;
    /** `[name, Uint8Array]` pairs, as received. */
    this.headers = headers;
    /** The body, a `Uint8Array`. */
    this.body = body;
  }

  /** The body as UTF-8 text; a `PluginError` if it is not UTF-8 (with the Rust kit's message). */
  text() {
    const bad = utf8Error(this.body);
    if (bad === undefined) return utf8Decoder.decode(this.body);
    throw new PluginError(
      bad.errorLen === undefined
        ? `incomplete utf-8 byte sequence from index ${bad.validUpTo}`
        : `invalid utf-8 sequence of ${bad.errorLen} bytes from index ${bad.validUpTo}`,
    );
  }

  /** The first value of header `name` (case-insensitive), as text, or `undefined`. */
  header(name) {
    const wanted = name.toLowerCase();
    for (const [key, value] of this.headers) {
      if (key.toLowerCase() === wanted) return utf8Error(value) === undefined ? utf8Decoder.decode(value) : undefined;
    }
    return undefined;
  }
}

/**
 * Where `bytes` stop being UTF-8, as Rust's `Utf8Error` says it: the valid
 * prefix's length and the length of the invalid sequence (`undefined` when
 * the input ends inside a sequence); `undefined` for valid UTF-8.
 */
function utf8Error(bytes) {
  let i = 0;
  while (i < bytes.length) {
    const first = bytes[i];
    if (first < 0x80) {
      i += 1;
      continue;
    }
    let need;
    let lo = 0x80;
    let hi = 0xbf;
    if (first >= 0xc2 && first <= 0xdf) need = 1;
    else if (first >= 0xe0 && first <= 0xef) {
      need = 2;
      if (first === 0xe0) lo = 0xa0;
      if (first === 0xed) hi = 0x9f;
    } else if (first >= 0xf0 && first <= 0xf4) {
      need = 3;
      if (first === 0xf0) lo = 0x90;
      if (first === 0xf4) hi = 0x8f;
    } else return { validUpTo: i, errorLen: 1 };
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return { validUpTo: i, errorLen: undefined };
      const next = bytes[i + k];
      if (next < (k === 1 ? lo : 0x80) || next > (k === 1 ? hi : 0xbf)) return { validUpTo: i, errorLen: k };
    }
    i += need + 1;
  }
  return undefined;
}

/** `GET url`. */
export function get(url) {
  return request("GET", url, [], undefined);
}

/** `POST url` with a body (`Uint8Array`, or a string sent as UTF-8) of `contentType`. */
export function post(url, contentType, body) {
  return request("POST", url, [["content-type", contentType]], body);
}

// The methods wasi-http names; any other (or another spelling) is sent as
// written.
const METHODS = { GET: "get", POST: "post", PUT: "put", DELETE: "delete", HEAD: "head", PATCH: "patch", OPTIONS: "options" };

/**
 * Any request: `method` (`"GET"`, `"POST"`, …), `headers` as `[name, value]`
 * pairs, `body` as a `Uint8Array` (or a string, sent as UTF-8) or
 * `undefined`.
 */
export function request(method, url, headers = [], body = undefined) {
  const target = new Target(url);
  if (typeof body === "string") body = utf8.encode(body);
  const fields = new Fields();
  for (const [name, value] of headers) {
    try {
      fields.append(name, typeof value === "string" ? utf8.encode(value) : value);
    } catch (e) {
      throw new PluginError(`header \`${name}\`: ${debug(payload(e), "HeaderError")}`);
    }
  }
  const outgoingRequest = new OutgoingRequest(fields);
  const set = (what, call) => {
    try {
      call();
    } catch (e) {
      payload(e);
      throw new PluginError(`${url}: invalid ${what}`);
    }
  };
  const known = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
  set("method", () => outgoingRequest.setMethod(known ? { tag: known } : { tag: "other", val: method }));
  set("scheme", () => outgoingRequest.setScheme({ tag: target.https ? "HTTPS" : "HTTP" }));
  set("host", () => outgoingRequest.setAuthority(target.authority));
  set("path", () => outgoingRequest.setPathWithQuery(target.path));
  let outgoing;
  set("body", () => {
    outgoing = outgoingRequest.body();
  });
  let pending;
  try {
    pending = handle(outgoingRequest, undefined);
  } catch (e) {
    throw target.error(payload(e));
  }
  try {
    if (body !== undefined && body !== null) {
      let stream;
      set("body", () => {
        stream = outgoing.write();
      });
      try {
        for (let start = 0; start < body.length; start += 4096) {
          try {
            stream.blockingWriteAndFlush(body.subarray(start, start + 4096));
          } catch (e) {
            throw target.streamError(payload(e));
          }
        }
      } finally {
        release(stream);
      }
    }
    try {
      OutgoingBody.finish(outgoing, undefined);
    } catch (e) {
      throw target.error(payload(e));
    }

    const ready = pending.subscribe();
    try {
      ready.block();
    } finally {
      release(ready);
    }
    const got = pending.get();
    if (got !== undefined && got.tag === "ok" && got.val.tag === "err") throw target.error(got.val.val);
    if (got === undefined || got.tag !== "ok") throw new PluginError(`${url}: the response was lost`);
    const response = got.val.val;
    try {
      const status = response.status();
      const responseFields = response.headers();
      let responseHeaders;
      try {
        responseHeaders = responseFields.entries();
      } finally {
        release(responseFields);
      }
      let incoming;
      try {
        incoming = response.consume();
      } catch (e) {
        payload(e);
        throw new PluginError(`${url}: the response has no body`);
      }
      let stream;
      try {
        stream = incoming.stream();
      } catch (e) {
        payload(e);
        throw new PluginError(`${url}: cannot read the body`);
      }
      const chunks = [];
      let size = 0;
      try {
        for (;;) {
          let chunk;
          try {
            chunk = stream.blockingRead(64n * 1024n);
          } catch (e) {
            const error = payload(e);
            if (error && error.tag === "closed") break;
            throw target.streamError(error);
          }
          chunks.push(chunk);
          size += chunk.length;
        }
      } finally {
        release(stream);
      }
      release(IncomingBody.finish(incoming));
      const whole = new Uint8Array(size);
      let at = 0;
      for (const chunk of chunks) {
        whole.set(chunk, at);
        at += chunk.length;
      }
      return new Response(status, responseHeaders, whole);
    } finally {
      release(response);
    }
  } finally {
    release(pending);
  }
}

/** The value a wasi-http call failed with (the bindings wrap it in a `ComponentError`). */
function payload(e) {
  if (e != null && typeof e === "object" && Object.hasOwn(e, "payload")) return e.payload;
  throw e;
}

/** `connection-terminated` → `ConnectionTerminated`, `HTTP-request-denied` → `HttpRequestDenied`. */
function caseName(tag) {
  return tag
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase())
    .join("");
}

/** A variant case the way the Rust kit's `{:?}` shows it: `ErrorCode::ConnectionTerminated`. */
function debug(value, prefix) {
  if (value == null || typeof value !== "object" || typeof value.tag !== "string") return `${prefix}::${String(value)}`;
  const name = `${prefix}::${caseName(value.tag)}`;
  if (value.val === undefined) return name;
  const shown = JSON.stringify(value.val, (_, v) => (typeof v === "bigint" ? Number(v) : v));
  return `${name}(${shown})`;
}

/** A URL split the way wasi-http wants it. */
class Target {
  constructor(url) {
    this.url = url;
    let rest;
    if (url.startsWith("https://")) {
      this.https = true;
      rest = url.slice("https://".length);
    } else if (url.startsWith("http://")) {
      this.https = false;
      rest = url.slice("http://".length);
    } else {
      throw new PluginError(`${url}: only http:// and https:// URLs can be fetched`);
    }
    const cut = rest.search(/[/?]/);
    let path;
    if (cut === -1) {
      this.authority = rest;
      path = "/";
    } else if (rest[cut] === "/") {
      this.authority = rest.slice(0, cut);
      path = rest.slice(cut);
    } else {
      this.authority = rest.slice(0, cut);
      path = `/${rest.slice(cut)}`;
    }
    this.path = path.split("#")[0];
    if (this.authority === "") throw new PluginError(`${url}: no host`);
  }

  /** What went wrong, in words that say what to do. */
  error(code) {
    const { url, authority: host } = this;
    switch (code && code.tag) {
      case "HTTP-request-denied":
        return new PluginError(
          `${url}: dochost refused the request: run it with --allow-net ${host} to let plugins reach ${host}`,
        );
      case "connection-timeout":
      case "connection-read-timeout":
      case "connection-write-timeout":
      case "HTTP-response-timeout":
        return new PluginError(`${url}: no answer in time (dochost's --net-timeout sets how long to wait)`);
      case "HTTP-response-body-size": {
        const limit = code.val === undefined || code.val === null ? "the allowed" : String(code.val);
        return new PluginError(
          `${url}: the response is larger than ${limit} bytes (dochost's --net-max-response sets the cap)`,
        );
      }
      case "connection-refused":
        return new PluginError(`${url}: connection refused by ${host}`);
      case "DNS-error":
        return new PluginError(`${url}: cannot resolve ${host}`);
      default:
        return new PluginError(`${url}: request failed: ${debug(code, "ErrorCode")}`);
    }
  }

  streamError(error) {
    if (error && error.tag === "last-operation-failed") {
      try {
        const code = httpErrorCode(error.val);
        if (code !== undefined) return this.error(code);
        // The host's own words; their first line is the message.
        const line = error.val.toDebugString().split(/\r?\n/)[0];
        return new PluginError(`${this.url}: ${line || "read failed"}`);
      } finally {
        release(error.val);
      }
    }
    return new PluginError(`${this.url}: the connection closed early`);
  }
}
