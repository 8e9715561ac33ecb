//! Curls straight quotes in prose: "quoted" becomes “quoted” and it's becomes
//! it’s. The Zig port of plugins/smart-quotes; it makes the same edits, byte
//! for byte. Only text nodes are touched, so code, HTML and URLs stay.

const std = @import("std");
const dochost = @import("dochost");

/// Rust's `char::is_whitespace`: Unicode White_Space.
fn isWhitespace(c: u21) bool {
    return switch (c) {
        0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 => true,
        else => false,
    };
}

/// After these (or at the start of a block) a quote opens.
fn opensAfter(c: u21) bool {
    return isWhitespace(c) or switch (c) {
        '(', '[', '{', '<', '—', '–', '-' => true,
        else => false,
    };
}

const Pair = struct { open: []const u8, close: []const u8 };

const SmartQuotes = struct {
    double: Pair,
    single: Pair,

    pub const info = dochost.Info{
        .name = "smart-quotes",
        .version = "0.1.0",
        .description = "Curl straight quotes in prose",
        .options = &.{
            .{ .name = "double", .description = "opening and closing double quotes", .default = "“”" },
            .{ .name = "single", .description = "opening and closing single quotes", .default = "‘’" },
        },
    };

    pub fn open(config: dochost.Config) !SmartQuotes {
        return .{
            .double = try quotePair(config, "double", "“”"),
            .single = try quotePair(config, "single", "‘’"),
        };
    }

    pub fn transform(self: *SmartQuotes, doc: *const dochost.Document, out: *dochost.Output) !void {
        // The character before a node decides whether a quote at its start
        // opens or closes, so carry it across the text nodes of a block.
        var previous: ?u21 = null;
        var block: ?u32 = null;
        for (doc.nodes, 0..) |node, i| {
            if (node.kind != .text) continue;
            const id: u32 = @intCast(i);
            var parent_block = node.parent;
            while (parent_block) |p| : (parent_block = doc.node(p).parent) {
                if (isBlock(doc.node(p).kind)) break;
            }
            if (parent_block != block) {
                previous = null;
                block = parent_block;
            }
            if (followsLineBreak(doc, id)) previous = '\n';
            const text = node.text orelse "";
            if (std.mem.indexOfAny(u8, text, "\"'") != null and !isAutolinkText(doc, id)) {
                const curled = try self.curl(text, previous);
                if (!std.mem.eql(u8, curled, text)) try out.setText(id, curled, "straight quotes curled");
            }
            var chars = std.unicode.Utf8View.initUnchecked(text).iterator();
            while (chars.nextCodepoint()) |c| previous = c;
        }
    }

    /// Curl the quotes of `text`, where `before` is the character just before it.
    fn curl(self: *const SmartQuotes, text: []const u8, before: ?u21) ![]const u8 {
        var out = std.ArrayList(u8).init(dochost.arena);
        var previous = before;
        var chars = std.unicode.Utf8View.initUnchecked(text).iterator();
        while (chars.nextCodepointSlice()) |slice| {
            const c = std.unicode.utf8Decode(slice) catch unreachable;
            if (c == '"' or c == '\'') {
                const pair = if (c == '"') self.double else self.single;
                const opens = if (previous) |p| opensAfter(p) else true;
                try out.appendSlice(if (opens) pair.open else pair.close);
            } else try out.appendSlice(slice);
            previous = c;
        }
        return out.items;
    }
};

fn isBlock(kind: dochost.NodeKind) bool {
    return kind == .paragraph or kind == .heading or kind == .@"table-cell";
}

/// Whether the node comes right after a soft or hard line break, where a quote opens.
fn followsLineBreak(doc: *const dochost.Document, id: u32) bool {
    const parent = doc.node(id).parent orelse return false;
    const siblings = doc.node(parent).children;
    const position = std.mem.indexOfScalar(u32, siblings, id) orelse return false;
    if (position == 0) return false;
    const kind = doc.node(siblings[position - 1]).kind;
    return kind == .@"soft-break" or kind == .@"hard-break";
}

/// An autolink's text is its URL.
fn isAutolinkText(doc: *const dochost.Document, id: u32) bool {
    const parent = doc.node(id).parent orelse return false;
    const kind = doc.node(parent).@"link-kind" orelse return false;
    return kind == .autolink or kind == .email;
}

fn quotePair(config: dochost.Config, key: []const u8, default: []const u8) !Pair {
    const value = config.get(key) orelse default;
    const count = std.unicode.utf8CountCodepoints(value) catch 0;
    if (count != 2) return dochost.fail("option `{s}` needs exactly two characters, got `{s}`", .{ key, value });
    const split = std.unicode.utf8ByteSequenceLength(value[0]) catch unreachable;
    // Kept for the session: the request's memory is freed after `open`.
    const copy = try dochost.allocator.dupe(u8, value);
    return .{ .open = copy[0..split], .close = copy[split..] };
}

pub fn main() void {
    dochost.run(SmartQuotes);
}
