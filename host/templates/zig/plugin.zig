//! {{name}}: a dochost plugin. It turns three dots into an ellipsis in
//! prose; change `transform` to do what your plugin should do.
//!
//! dochost.zig (beside this file) speaks dochost's JSON protocol on stdin
//! and stdout; `dochost ast --json FILE.md` shows the document a plugin
//! receives. Print debugging output with std.debug.print (stderr): dochost
//! shows it behind the plugin's name and the file.

const std = @import("std");
const dochost = @import("dochost");

/// The session: made by `open` from the options, then given each document.
const Plugin = struct {
    ellipsis: []const u8,

    pub const info = dochost.Info{
        .name = "{{name}}",
        .version = "0.1.0",
        .description = "Three dots to an ellipsis",
        .options = &.{
            .{ .name = "ellipsis", .description = "what replaces three dots", .default = "…" },
        },
    };

    pub fn open(config: dochost.Config) !Plugin {
        // dochost checks --set options against the declared ones and passes
        // the default of any option not given. `dochost.fail(…)` here fails
        // the run. Copy what you keep: the request's memory is freed.
        return .{ .ellipsis = try dochost.allocator.dupe(u8, config.get("ellipsis") orelse "…") };
    }

    pub fn transform(self: *Plugin, doc: *const dochost.Document, out: *dochost.Output) !void {
        // Only text nodes: code, URLs and HTML are left alone.
        for (doc.nodes, 0..) |node, id| {
            if (node.kind != .text) continue;
            const text = node.text orelse continue;
            if (std.mem.indexOf(u8, text, "...") == null) continue;
            const replaced = try std.mem.replaceOwned(u8, dochost.arena, text, "...", self.ellipsis);
            // Plain text: dochost escapes it for where it stands.
            try out.setText(@intCast(id), replaced, "three dots to an ellipsis");
        }
    }
};

pub fn main() void {
    dochost.run(Plugin);
}
