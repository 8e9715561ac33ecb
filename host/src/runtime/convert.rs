//! Conversions between the host's document types and the WIT types.

use super::plugin::{wit, PluginInfo, PluginOption, PluginOutput};
use crate::doc::{Diagnostic, Edit, EditOp, LinkKind, Node, NodeKind, NodeTable, Severity};

fn span(r: &std::ops::Range<usize>) -> wit::Span {
    wit::Span { start: r.start as u32, end: r.end as u32 }
}

pub fn document(path: &str, source: &str, table: &NodeTable) -> wit::Document {
    wit::Document {
        path: path.to_string(),
        source: source.to_string(),
        nodes: table.nodes.iter().map(node).collect(),
    }
}

fn node(n: &Node) -> wit::Node {
    wit::Node {
        kind: kind(n.kind),
        parent: n.parent,
        children: n.children.clone(),
        span: span(&n.span),
        text: n.text.clone(),
        level: n.level,
        url: n.url.clone(),
        title: n.title.clone(),
        info: n.info.clone(),
        checked: n.checked,
        link_kind: n.link_kind.map(link_kind),
        label: n.label.clone(),
        start: n.start,
        attributes: n.attributes.clone(),
    }
}

fn kind(k: NodeKind) -> wit::NodeKind {
    use wit::NodeKind as W;
    match k {
        NodeKind::Document => W::Document,
        NodeKind::FrontMatter => W::FrontMatter,
        NodeKind::Paragraph => W::Paragraph,
        NodeKind::Heading => W::Heading,
        NodeKind::BlockQuote => W::BlockQuote,
        NodeKind::CodeBlock => W::CodeBlock,
        NodeKind::HtmlBlock => W::HtmlBlock,
        NodeKind::List => W::List,
        NodeKind::ListItem => W::ListItem,
        NodeKind::Table => W::Table,
        NodeKind::TableHead => W::TableHead,
        NodeKind::TableRow => W::TableRow,
        NodeKind::TableCell => W::TableCell,
        NodeKind::ThematicBreak => W::ThematicBreak,
        NodeKind::FootnoteDefinition => W::FootnoteDefinition,
        NodeKind::MathBlock => W::MathBlock,
        NodeKind::LinkDefinition => W::LinkDefinition,
        NodeKind::Text => W::Text,
        NodeKind::Code => W::Code,
        NodeKind::InlineHtml => W::InlineHtml,
        NodeKind::Emphasis => W::Emphasis,
        NodeKind::Strong => W::Strong,
        NodeKind::Strikethrough => W::Strikethrough,
        NodeKind::Link => W::Link,
        NodeKind::Image => W::Image,
        NodeKind::SoftBreak => W::SoftBreak,
        NodeKind::HardBreak => W::HardBreak,
        NodeKind::FootnoteReference => W::FootnoteReference,
        NodeKind::TaskMarker => W::TaskMarker,
        NodeKind::MathInline => W::MathInline,
    }
}

fn link_kind(k: LinkKind) -> wit::LinkKind {
    match k {
        LinkKind::Inline => wit::LinkKind::Inline,
        LinkKind::Reference => wit::LinkKind::Reference,
        LinkKind::Collapsed => wit::LinkKind::Collapsed,
        LinkKind::Shortcut => wit::LinkKind::Shortcut,
        LinkKind::Autolink => wit::LinkKind::Autolink,
        LinkKind::Email => wit::LinkKind::Email,
    }
}

pub fn output(out: wit::Output) -> PluginOutput {
    PluginOutput {
        edits: out.edits.into_iter().map(edit).collect(),
        diagnostics: out.diagnostics.into_iter().map(diagnostic).collect(),
        artifacts: out.artifacts.into_iter().map(|a| (a.name, a.content)).collect(),
    }
}

fn edit(e: wit::Edit) -> Edit {
    use wit::EditOp as W;
    let op = match e.op {
        W::SetText(v) => EditOp::SetText(v.node, v.value),
        W::Replace(v) => EditOp::Replace(v.node, v.value),
        W::InsertBefore(v) => EditOp::InsertBefore(v.node, v.value),
        W::InsertAfter(v) => EditOp::InsertAfter(v.node, v.value),
        W::Remove(n) => EditOp::Remove(n),
        W::SetUrl(v) => EditOp::SetUrl(v.node, v.value),
        W::SetTitle(v) => EditOp::SetTitle(v.node, v.value),
        W::SetInfo(v) => EditOp::SetInfo(v.node, v.value),
        W::Splice(v) => EditOp::Splice(v.span.start as usize..v.span.end as usize, v.value),
    };
    Edit { op, reason: e.reason }
}

fn diagnostic(d: wit::Diagnostic) -> Diagnostic {
    Diagnostic {
        severity: match d.severity {
            wit::Severity::Error => Severity::Error,
            wit::Severity::Warning => Severity::Warning,
            wit::Severity::Info => Severity::Info,
        },
        code: d.code,
        message: d.message,
        node: d.node,
        span: d.span.map(|s| s.start as usize..s.end as usize),
    }
}

pub fn info(i: wit::PluginInfo) -> PluginInfo {
    PluginInfo {
        name: i.name,
        version: i.version,
        description: i.description,
        options: i
            .options
            .into_iter()
            .map(|o| PluginOption { name: o.name, description: o.description, default: o.default })
            .collect(),
    }
}
