//! Conversions between the host's document types and the WIT types that
//! every contract version shares (span, node kind, link kind, edit,
//! diagnostic).
//! Each version's bindings are distinct Rust types with the same shape, so
//! the conversions are written once, as a macro each version expands.

/// Expands to `span`, `node_kind`, `link_kind`, `edit` and `diagnostic`
/// conversions for the WIT `types` module at `$wit`.
macro_rules! shared_conversions {
    ($wit:path) => {
        use $wit as wit;
        use crate::doc::{Diagnostic as HostDiagnostic, Edit as HostEdit, EditOp as HostEditOp};
        use crate::doc::{LinkKind as HostLinkKind, NodeKind as HostNodeKind};

        fn span(r: &std::ops::Range<usize>) -> wit::Span {
            wit::Span { start: r.start as u32, end: r.end as u32 }
        }

        fn node_kind(k: HostNodeKind) -> wit::NodeKind {
            use wit::NodeKind as W;
            use HostNodeKind as H;
            match k {
                H::Document => W::Document,
                H::FrontMatter => W::FrontMatter,
                H::Paragraph => W::Paragraph,
                H::Heading => W::Heading,
                H::BlockQuote => W::BlockQuote,
                H::CodeBlock => W::CodeBlock,
                H::HtmlBlock => W::HtmlBlock,
                H::List => W::List,
                H::ListItem => W::ListItem,
                H::Table => W::Table,
                H::TableHead => W::TableHead,
                H::TableRow => W::TableRow,
                H::TableCell => W::TableCell,
                H::ThematicBreak => W::ThematicBreak,
                H::FootnoteDefinition => W::FootnoteDefinition,
                H::MathBlock => W::MathBlock,
                H::LinkDefinition => W::LinkDefinition,
                H::Text => W::Text,
                H::Code => W::Code,
                H::InlineHtml => W::InlineHtml,
                H::Emphasis => W::Emphasis,
                H::Strong => W::Strong,
                H::Strikethrough => W::Strikethrough,
                H::Link => W::Link,
                H::Image => W::Image,
                H::SoftBreak => W::SoftBreak,
                H::HardBreak => W::HardBreak,
                H::FootnoteReference => W::FootnoteReference,
                H::TaskMarker => W::TaskMarker,
                H::MathInline => W::MathInline,
            }
        }

        fn link_kind(k: HostLinkKind) -> wit::LinkKind {
            match k {
                HostLinkKind::Inline => wit::LinkKind::Inline,
                HostLinkKind::Reference => wit::LinkKind::Reference,
                HostLinkKind::Collapsed => wit::LinkKind::Collapsed,
                HostLinkKind::Shortcut => wit::LinkKind::Shortcut,
                HostLinkKind::Autolink => wit::LinkKind::Autolink,
                HostLinkKind::Email => wit::LinkKind::Email,
            }
        }

        fn edit(e: wit::Edit) -> HostEdit {
            use wit::EditOp as W;
            let op = match e.op {
                W::SetText(v) => HostEditOp::SetText(v.node, v.value),
                W::Replace(v) => HostEditOp::Replace(v.node, v.value),
                W::InsertBefore(v) => HostEditOp::InsertBefore(v.node, v.value),
                W::InsertAfter(v) => HostEditOp::InsertAfter(v.node, v.value),
                W::Remove(n) => HostEditOp::Remove(n),
                W::SetUrl(v) => HostEditOp::SetUrl(v.node, v.value),
                W::SetTitle(v) => HostEditOp::SetTitle(v.node, v.value),
                W::SetInfo(v) => HostEditOp::SetInfo(v.node, v.value),
                W::Splice(v) => HostEditOp::Splice(v.span.start as usize..v.span.end as usize, v.value),
            };
            HostEdit { op, reason: e.reason }
        }

        fn severity(s: wit::Severity) -> crate::doc::Severity {
            match s {
                wit::Severity::Error => crate::doc::Severity::Error,
                wit::Severity::Warning => crate::doc::Severity::Warning,
                wit::Severity::Info => crate::doc::Severity::Info,
            }
        }

        fn severity_name(s: wit::Severity) -> &'static str {
            match s {
                wit::Severity::Error => "error",
                wit::Severity::Warning => "warning",
                wit::Severity::Info => "info",
            }
        }

        fn diagnostic(d: wit::Diagnostic) -> HostDiagnostic {
            HostDiagnostic {
                severity: severity(d.severity),
                code: d.code,
                message: d.message,
                node: d.node,
                span: d.span.map(|s| s.start as usize..s.end as usize),
            }
        }
    };
}
