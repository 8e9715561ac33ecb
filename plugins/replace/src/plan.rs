//! Which nodes each rule may touch, and the rewrites that result.

use dochost_pdk::{Document, LinkKind, NodeId, NodeKind};

use crate::rule::{Rule, Scope};

/// Which part of a node a rewrite sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The node's literal text (`set-text`).
    Text,
    /// A link, image or link-definition destination (`set-url`).
    Url,
}

/// The new value of one node's text or URL after every rule that applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    pub node: NodeId,
    pub field: Field,
    pub new: String,
    /// One `"find" → "replace"` per rule that changed it, in rule order.
    pub reasons: Vec<String>,
}

/// Where a piece of text sits, as the scopes see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A text node; flags say whether it is in a heading and in link text.
    Prose { heading: bool, link: bool },
    Code,
    FrontMatter,
    Url,
}

fn in_scope(scope: Scope, place: Place) -> bool {
    match (scope, place) {
        (Scope::All, _) => true,
        (Scope::Text, Place::Prose { .. }) => true,
        (Scope::Headings, Place::Prose { heading, .. }) => heading,
        (Scope::Links, Place::Prose { link, .. }) => link,
        (Scope::Links, Place::Url) => true,
        (Scope::Code, Place::Code) => true,
        _ => false,
    }
}

fn is_autolink(doc: &Document, id: NodeId) -> bool {
    matches!(doc.node(id).link_kind, Some(LinkKind::Autolink | LinkKind::Email))
}

/// Apply `rules` to every node they are scoped to.
pub fn plan(doc: &Document, rules: &[Rule]) -> Vec<Rewrite> {
    let mut rewrites = Vec::new();
    for id in doc.ids() {
        let node = doc.node(id);
        let text_place = match node.kind {
            NodeKind::Text => {
                let link = doc.ancestors(id).find(|&a| matches!(doc.node(a).kind, NodeKind::Link | NodeKind::Image));
                // The text of `<https://…>` is its URL: rewrite it as one.
                if link.is_some_and(|l| is_autolink(doc, l)) {
                    None
                } else {
                    Some(Place::Prose { heading: doc.is_inside(id, NodeKind::Heading), link: link.is_some() })
                }
            }
            NodeKind::Code | NodeKind::CodeBlock => Some(Place::Code),
            NodeKind::FrontMatter => Some(Place::FrontMatter),
            _ => None,
        };
        if let Some(place) = text_place {
            rewrite(&mut rewrites, id, Field::Text, doc.text(id), place, rules);
        }
        if matches!(node.kind, NodeKind::Link | NodeKind::Image | NodeKind::LinkDefinition) {
            if let Some(url) = node.url.as_deref() {
                rewrite(&mut rewrites, id, Field::Url, url, Place::Url, rules);
            }
        }
    }
    rewrites
}

/// Run the rules in order over one value; later rules see earlier results.
fn rewrite(out: &mut Vec<Rewrite>, node: NodeId, field: Field, value: &str, place: Place, rules: &[Rule]) {
    let mut current = value.to_string();
    let mut reasons = Vec::new();
    for rule in rules.iter().filter(|r| in_scope(r.scope, place)) {
        if let Some(new) = rule.apply(&current) {
            current = new;
            reasons.push(rule.reason.clone());
        }
    }
    if current != value {
        out.push(Rewrite { node, field, new: current, reasons });
    }
}
