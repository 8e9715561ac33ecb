//! dochost.zig: write a dochost plugin in Zig (0.14).
//!
//! The plugin is a WASI preview 1 command speaking dochost's JSON protocol
//! 0.2.0 (docs/json-protocol.md): requests arrive one JSON line at a time on
//! stdin, answers leave one line at a time on stdout. `run(Plugin)` reads
//! the requests, hands your functions a parsed document, collects the edits
//! they make and prints the answers. One file, the standard library only.
//!
//!     const dochost = @import("dochost.zig");
//!     const MyPlugin = struct {
//!         pub const info = dochost.Info{ .name = "my-plugin", .version = "0.1.0",
//!             .description = "What it does", .options = &.{.{ .name = "x", .description = "…" }} };
//!         pub fn open(config: dochost.Config) !MyPlugin { … }
//!         pub fn transform(self: *MyPlugin, doc: *const dochost.Document, out: *dochost.Output) !void { … }
//!         // optional: pub fn scan(self, doc, out) !void (tree-wide: out.fact)
//!         //           pub fn finish(self, out) !void (out.diagnoseRun, out.artifact)
//!     };
//!     pub fn main() void { dochost.run(MyPlugin); }
//!
//! `return dochost.fail("…{s}…", .{x})` fails `open` (the run) or this
//! document with that message. Everything of a request (the document, what
//! `dochost.arena` allocates) is freed after its answer; `dochost.allocator`
//! lives as long as the session.

const std = @import("std");

/// What kind of value an option takes; dochost checks it before any document.
pub const OptionKind = enum { text, flag, integer, path };

pub const Option = struct {
    name: []const u8,
    description: []const u8,
    default: ?[]const u8 = null,
    kind: OptionKind = .text,
    required: bool = false,
};

pub const Info = struct {
    name: []const u8,
    version: []const u8,
    description: []const u8,
    options: []const Option = &.{},
    /// Scan every document first; query the tree with `index`.
    tree_wide: bool = false,
};

/// WIT `node-kind`.
pub const NodeKind = enum {
    document, @"front-matter", paragraph, heading, @"block-quote", @"code-block", @"html-block", list,
    @"list-item", table, @"table-head", @"table-row", @"table-cell", @"thematic-break",
    @"footnote-definition", @"math-block", @"link-definition", text, code, @"inline-html", emphasis,
    strong, strikethrough, link, image, @"soft-break", @"hard-break", @"footnote-reference",
    @"task-marker", @"math-inline",
};

/// WIT `link-kind`.
pub const LinkKind = enum { @"inline", reference, collapsed, shortcut, autolink, email };

pub const Span = struct { start: u32, end: u32 };

/// A node of the document (WIT `node`); node `i` is `doc.nodes[i]`.
pub const Node = struct {
    kind: NodeKind,
    parent: ?u32 = null,
    children: []const u32 = &.{},
    span: Span,
    text: ?[]const u8 = null,
    level: ?u8 = null,
    url: ?[]const u8 = null,
    title: ?[]const u8 = null,
    info: ?[]const u8 = null,
    checked: ?bool = null,
    @"link-kind": ?LinkKind = null,
    label: ?[]const u8 = null,
    start: ?u64 = null,
};

pub const Document = struct {
    path: []const u8,
    source: []const u8,
    nodes: []const Node,

    pub fn node(self: *const Document, id: u32) *const Node {
        return &self.nodes[id];
    }
};

/// The options `open` receives: every declared one, given or defaulted.
pub const Config = struct {
    pairs: []const [2][]const u8,

    pub fn get(self: Config, key: []const u8) ?[]const u8 {
        for (self.pairs) |pair| if (std.mem.eql(u8, pair[0], key)) return pair[1];
        return null;
    }
};

pub const Severity = enum { @"error", warning, info };

/// What a function answers with: edits, diagnostics, artifacts, facts.
pub const Output = struct {
    edits: std.ArrayList(u8),
    diagnostics: std.ArrayList(u8),
    artifacts: std.ArrayList(u8),
    facts: std.ArrayList(u8),
    edit_count: usize = 0,

    fn init(a: std.mem.Allocator) Output {
        return .{ .edits = .init(a), .diagnostics = .init(a), .artifacts = .init(a), .facts = .init(a) };
    }

    fn edit(self: *Output, op: []const u8, node: u32, value: ?[]const u8, reason: ?[]const u8) !void {
        const w = try item(&self.edits);
        self.edit_count += 1;
        try w.print("{{\"op\":{{\"{s}\":", .{op});
        if (value) |v| {
            try w.print("{{\"node\":{d},\"value\":", .{node});
            try std.json.stringify(v, .{}, w);
            try w.writeAll("}");
        } else try w.print("{d}", .{node});
        try w.writeAll("},\"reason\":");
        try std.json.stringify(reason, .{}, w);
        try w.writeAll("}");
    }

    /// Plain text; dochost escapes it for where it stands.
    pub fn setText(self: *Output, node: u32, value: []const u8, reason: ?[]const u8) !void {
        try self.edit("set-text", node, value, reason);
    }
    pub fn replace(self: *Output, node: u32, markdown: []const u8, reason: ?[]const u8) !void {
        try self.edit("replace", node, markdown, reason);
    }
    pub fn insertBefore(self: *Output, node: u32, markdown: []const u8, reason: ?[]const u8) !void {
        try self.edit("insert-before", node, markdown, reason);
    }
    pub fn insertAfter(self: *Output, node: u32, markdown: []const u8, reason: ?[]const u8) !void {
        try self.edit("insert-after", node, markdown, reason);
    }
    pub fn remove(self: *Output, node: u32, reason: ?[]const u8) !void {
        try self.edit("remove", node, null, reason);
    }
    pub fn setUrl(self: *Output, node: u32, url: []const u8, reason: ?[]const u8) !void {
        try self.edit("set-url", node, url, reason);
    }
    pub fn setTitle(self: *Output, node: u32, title: []const u8, reason: ?[]const u8) !void {
        try self.edit("set-title", node, title, reason);
    }
    pub fn setInfo(self: *Output, node: u32, info: []const u8, reason: ?[]const u8) !void {
        try self.edit("set-info", node, info, reason);
    }
    pub fn splice(self: *Output, span: Span, value: []const u8, reason: ?[]const u8) !void {
        const w = try item(&self.edits);
        self.edit_count += 1;
        try w.print("{{\"op\":{{\"splice\":{{\"span\":{{\"start\":{d},\"end\":{d}}},\"value\":", .{ span.start, span.end });
        try std.json.stringify(value, .{}, w);
        try w.writeAll("}},\"reason\":");
        try std.json.stringify(reason, .{}, w);
        try w.writeAll("}");
    }

    /// A diagnostic at `node` (null: the document).
    pub fn diagnose(self: *Output, severity: Severity, code: []const u8, message: []const u8, node: ?u32) !void {
        const w = try item(&self.diagnostics);
        try w.print("{{\"severity\":\"{s}\",\"code\":", .{@tagName(severity)});
        try std.json.stringify(code, .{}, w);
        try w.writeAll(",\"message\":");
        try std.json.stringify(message, .{}, w);
        try w.writeAll(",\"node\":");
        try std.json.stringify(node, .{}, w);
        try w.writeAll("}");
    }
    /// In `finish`: a diagnostic about the run, or one document of it.
    pub fn diagnoseRun(self: *Output, severity: Severity, code: []const u8, message: []const u8, path: ?[]const u8) !void {
        const w = try item(&self.diagnostics);
        try w.print("{{\"severity\":\"{s}\",\"code\":", .{@tagName(severity)});
        try std.json.stringify(code, .{}, w);
        try w.writeAll(",\"message\":");
        try std.json.stringify(message, .{}, w);
        try w.writeAll(",\"path\":");
        try std.json.stringify(path, .{}, w);
        try w.writeAll("}");
    }
    pub fn artifact(self: *Output, name: []const u8, content: []const u8) !void {
        const w = try item(&self.artifacts);
        try w.writeAll("{\"name\":");
        try std.json.stringify(name, .{}, w);
        try w.writeAll(",\"content\":");
        try std.json.stringify(content, .{}, w);
        try w.writeAll("}");
    }
    /// A fact about this document, for `transform` (tree-wide) or `finish` to query.
    pub fn fact(self: *Output, key: []const u8, value: []const u8) !void {
        const w = try item(&self.facts);
        try w.writeAll("{\"key\":");
        try std.json.stringify(key, .{}, w);
        try w.writeAll(",\"value\":");
        try std.json.stringify(value, .{}, w);
        try w.writeAll("}");
    }
};

fn item(list: *std.ArrayList(u8)) !std.ArrayList(u8).Writer {
    if (list.items.len > 0) try list.append(',');
    return list.writer();
}

/// Lives as long as the session. (Native builds, e.g. to test a plugin on
/// the host, use the page allocator.)
pub const allocator = if (@import("builtin").cpu.arch.isWasm()) std.heap.wasm_allocator else std.heap.page_allocator;
var request_arena = std.heap.ArenaAllocator.init(allocator);
/// Freed after each answer.
pub const arena = request_arena.allocator();

var failure: []const u8 = "";

/// Fail with a message: `open` fails the run, `scan`/`transform` this document.
pub fn fail(comptime format: []const u8, args: anytype) error{PluginError} {
    failure = std.fmt.allocPrint(arena, format, args) catch "out of memory";
    return error.PluginError;
}

fn messageOf(err: anyerror) []const u8 {
    return if (err == error.PluginError) failure else @errorName(err);
}

var line = std.ArrayList(u8).init(allocator);
// Buffered: unbuffered, every byte of a request would be a WASI call.
var stdin = std.io.BufferedReader(1 << 16, std.fs.File.Reader){ .unbuffered_reader = undefined };
var stdin_open = false;

/// The next line of stdin, or null at its end.
fn readLine() !?[]const u8 {
    if (!stdin_open) {
        stdin.unbuffered_reader = std.io.getStdIn().reader();
        stdin_open = true;
    }
    line.clearRetainingCapacity();
    stdin.reader().streamUntilDelimiter(line.writer(), '\n', null) catch |err| switch (err) {
        error.EndOfStream => if (line.items.len == 0) return null,
        else => return err,
    };
    return line.items;
}

fn printLine(bytes: []const u8) !void {
    const stdout = std.io.getStdOut();
    try stdout.writeAll(bytes);
    try stdout.writeAll("\n");
}

/// Ask the tree index (WIT `index`) during `transform` or `finish`:
/// `index("documents", null)`, `index("headings", path)`, `index("targets",
/// path)`, `index("front-matter", path)`, `index("facts", key)`,
/// `index("files", null)`, `index("roots", null)`. The answer is what the
/// WIT function returns (`.null` for none).
pub fn index(query: []const u8, argument: ?[]const u8) !std.json.Value {
    var q = std.ArrayList(u8).init(arena);
    try q.writer().print("{{\"query\":\"{s}\"", .{query});
    if (argument) |arg| {
        try q.appendSlice(if (std.mem.eql(u8, query, "facts")) ",\"key\":" else ",\"path\":");
        try std.json.stringify(arg, .{}, q.writer());
    }
    try q.append('}');
    try printLine(q.items);
    const answer = (try readLine()) orelse return error.NoAnswerToQuery;
    return std.json.parseFromSliceLeaky(std.json.Value, arena, answer, .{});
}

const Request = struct {
    request: []const u8,
    document: ?Document = null,
    config: ?[]const [2][]const u8 = null,
};

fn describe(info: Info, w: anytype) !void {
    try w.writeAll("{\"protocol\":\"0.2.0\",\"name\":");
    try std.json.stringify(info.name, .{}, w);
    try w.writeAll(",\"version\":");
    try std.json.stringify(info.version, .{}, w);
    try w.writeAll(",\"description\":");
    try std.json.stringify(info.description, .{}, w);
    try w.print(",\"tree-wide\":{},\"options\":[", .{info.tree_wide});
    for (info.options, 0..) |o, i| {
        if (i > 0) try w.writeAll(",");
        try w.writeAll("{\"name\":");
        try std.json.stringify(o.name, .{}, w);
        try w.writeAll(",\"description\":");
        try std.json.stringify(o.description, .{}, w);
        try w.writeAll(",\"default\":");
        try std.json.stringify(o.default, .{}, w);
        try w.print(",\"kind\":\"{s}\",\"required\":{}}}", .{ @tagName(o.kind), o.required });
    }
    try w.writeAll("]}");
}

fn errorAnswer(w: anytype, text: []const u8) !void {
    try w.writeAll("{\"error\":");
    try std.json.stringify(text, .{}, w);
    try w.writeAll("}");
}

/// Answer requests until stdin ends.
pub fn run(comptime Plugin: type) void {
    serve(Plugin) catch |err| {
        std.debug.print("dochost.zig: {s}\n", .{@errorName(err)});
        std.process.exit(70);
    };
}

fn serve(comptime Plugin: type) !void {
    var session: ?Plugin = null;
    while (try readLine()) |text| {
        defer _ = request_arena.reset(.retain_capacity);
        if (text.len == 0) continue;
        // A copy: index answers are read into the line buffer meanwhile.
        const request = try std.json.parseFromSliceLeaky(Request, arena, try arena.dupe(u8, text), .{
            .ignore_unknown_fields = true,
            .allocate = .alloc_always,
        });
        var answer = std.ArrayList(u8).init(arena);
        const w = answer.writer();
        var out = Output.init(arena);
        const kind = request.request;
        if (std.mem.eql(u8, kind, "describe")) {
            try describe(Plugin.info, w);
        } else if (std.mem.eql(u8, kind, "open")) {
            var pairs = std.ArrayList([2][]const u8).init(allocator);
            for (request.config orelse &.{}) |pair| {
                // Copied: the session outlives this request.
                try pairs.append(.{ try allocator.dupe(u8, pair[0]), try allocator.dupe(u8, pair[1]) });
            }
            if (Plugin.open(.{ .pairs = pairs.items })) |opened| {
                session = opened;
                try w.writeAll("{\"ok\":null}");
            } else |err| try errorAnswer(w, messageOf(err));
        } else if (std.mem.eql(u8, kind, "finish")) {
            const done: anyerror!void = if (@hasDecl(Plugin, "finish")) session.?.finish(&out) else {};
            if (done) |_| {
                try w.print("{{\"ok\":{{\"diagnostics\":[{s}],\"artifacts\":[{s}]}}}}", .{ out.diagnostics.items, out.artifacts.items });
            } else |err| try errorAnswer(w, messageOf(err));
        } else if (std.mem.eql(u8, kind, "scan") or std.mem.eql(u8, kind, "transform")) {
            const doc = request.document orelse return error.RequestWithoutDocument;
            const scan = std.mem.eql(u8, kind, "scan");
            const done: anyerror!void = if (!scan) session.?.transform(&doc, &out) else if (@hasDecl(Plugin, "scan")) session.?.scan(&doc, &out) else {};
            if (done) |_| {
                if (scan) {
                    try w.print("{{\"ok\":[{s}]}}", .{out.facts.items});
                } else {
                    try w.print("{{\"ok\":{{\"edits\":[{s}],\"diagnostics\":[{s}],\"artifacts\":[{s}],\"facts\":[{s}]}}}}", .{
                        out.edits.items, out.diagnostics.items, out.artifacts.items, out.facts.items,
                    });
                }
            } else |err| try errorAnswer(w, messageOf(err));
        } else {
            try errorAnswer(w, try std.fmt.allocPrint(arena, "dochost.zig does not know the request `{s}`", .{kind}));
        }
        try printLine(answer.items);
    }
}
