//! Test plugin: what the component test plugins `counter` and `tree` do,
//! written with the Zig helper (plugins/examples/zig), so the tests can
//! check the helper's sessions, facts, scan, finish and index queries
//! against the components message for message (see ../c-session).

const std = @import("std");
const dochost = @import("dochost");

const Session = struct {
    tree: bool,
    seen: u64 = 0,

    pub const info = dochost.Info{
        .name = "zig-session",
        .version = "0.1.0",
        .description = "Counts documents and reads the tree, in Zig",
        .tree_wide = true,
        .options = &.{.{ .name = "mode", .description = "counter or tree", .default = "counter" }},
    };

    pub fn open(config: dochost.Config) !Session {
        return .{ .tree = std.mem.eql(u8, config.get("mode") orelse "", "tree") };
    }

    pub fn scan(_: *Session, doc: *const dochost.Document, out: *dochost.Output) !void {
        var title = std.ArrayList(u8).init(dochost.arena);
        for (doc.nodes, 0..) |node, id| {
            if (node.kind != .heading) continue;
            try plainText(doc, @intCast(id), &title);
            break;
        }
        try out.fact("title", title.items);
    }

    pub fn transform(self: *Session, doc: *const dochost.Document, out: *dochost.Output) !void {
        if (self.tree) return tree(doc, out);
        self.seen += 1;
        try out.diagnose(.info, "counter", try std.fmt.allocPrint(dochost.arena, "document {d} of this session", .{self.seen}), null);
        try out.fact("seen", try std.fmt.allocPrint(dochost.arena, "{d}", .{self.seen}));
    }

    pub fn finish(self: *Session, out: *dochost.Output) !void {
        if (self.tree) return;
        const seen = (try dochost.index("facts", "seen")).array.items;
        var listing = std.ArrayList(u8).init(dochost.arena);
        for (seen) |fact| try listing.writer().print("{s} {s}\n", .{ fact.object.get("path").?.string, fact.object.get("value").?.string });
        try out.diagnoseRun(.info, "counter-total", try std.fmt.allocPrint(dochost.arena, "{d} documents transformed", .{seen.len}), null);
        try out.artifact("counter.txt", listing.items);
    }
};

fn plainText(doc: *const dochost.Document, id: u32, out: *std.ArrayList(u8)) !void {
    const node = doc.node(id);
    if (node.kind == .text or node.kind == .code) return out.appendSlice(node.text orelse "");
    for (node.children) |child| try plainText(doc, child, out);
}

fn tree(doc: *const dochost.Document, out: *dochost.Output) !void {
    const a = dochost.arena;
    const dir = if (std.mem.lastIndexOfScalar(u8, doc.path, '/')) |i| doc.path[0..i] else "";
    const titles = (try dochost.index("facts", "title")).array.items;
    for (doc.nodes, 0..) |node, i| {
        const id: u32 = @intCast(i);
        const url = node.url orelse continue;
        if (node.kind != .link or std.mem.indexOf(u8, url, "://") != null) continue;
        const target = if (dir.len == 0) url else try std.fmt.allocPrint(a, "{s}/{s}", .{ dir, url });
        if (!std.mem.endsWith(u8, url, ".md")) {
            var found = false;
            for ((try dochost.index("files", null)).array.items) |file| found = found or std.mem.eql(u8, file.string, target);
            var roots = std.ArrayList(u8).init(a);
            for ((try dochost.index("roots", null)).array.items, 0..) |root, r| {
                if (r > 0) try roots.appendSlice(", ");
                try roots.appendSlice(root.string);
            }
            try out.diagnose(.info, "file-target", try std.fmt.allocPrint(a, "{s} in the tree under {s}: {}", .{ url, roots.items, found }), id);
            continue;
        }
        var title: ?[]const u8 = null;
        for (titles) |fact| {
            if (std.mem.eql(u8, fact.object.get("path").?.string, target)) title = fact.object.get("value").?.string;
        }
        const headings = try dochost.index("headings", target);
        if (title != null and headings == .array) {
            try out.diagnose(.info, "link-target", try std.fmt.allocPrint(a, "{s} is titled `{s}` and has {d} headings", .{ url, title.?, headings.array.items.len }), id);
        } else {
            try out.diagnose(.warning, "link-target", try std.fmt.allocPrint(a, "{s} is not a document of this run", .{url}), id);
        }
    }
}

pub fn main() void {
    dochost.run(Session);
}
