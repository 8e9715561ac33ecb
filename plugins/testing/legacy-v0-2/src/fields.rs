// The fields of a node as one line, shared by this 0.2.0 plugin and the
// 0.3.0 `fields` test plugin (`include!`d by both, each with its own `Node`,
// `NodeKind` and `LinkKind` in scope): the two must report the same.

/// The fields of a node worth checking, or `None` for kinds not reported.
fn fields(node: &Node) -> Option<String> {
    let children = node.children.len();
    Some(match node.kind {
        NodeKind::Heading => {
            let attributes: Vec<String> =
                node.attributes.iter().map(|(k, v)| format!("{k}={}", v.as_deref().unwrap_or("-"))).collect();
            format!("heading level {:?}, {children} children, attributes {}", node.level, attributes.join(" "))
        }
        NodeKind::Link => {
            let kind = match node.link_kind {
                Some(LinkKind::Inline) => "inline",
                Some(LinkKind::Reference) => "reference",
                Some(LinkKind::Collapsed) => "collapsed",
                Some(LinkKind::Shortcut) => "shortcut",
                Some(LinkKind::Autolink) => "autolink",
                Some(LinkKind::Email) => "email",
                None => "none",
            };
            format!("link {kind} to {:?} titled {:?} label {:?}, {children} children", node.url, node.title, node.label)
        }
        NodeKind::LinkDefinition => format!("definition {:?} to {:?}", node.label, node.url),
        NodeKind::List => format!("list from {:?}, {children} children", node.start),
        NodeKind::TaskMarker => format!("task checked {:?}", node.checked),
        NodeKind::CodeBlock => format!("code block {:?}: {:?}", node.info, node.text),
        _ => return None,
    })
}
