//! Updating a translated catalog to the current source: exact reuse by
//! normalised text, and for a message whose source changed, the closest old
//! translation offered as fuzzy with its previous msgid, never as done.

use std::collections::HashMap;

use crate::po::{normalize, Entry};

/// `template` (the current messages) with the translations of `previous`
/// carried over. Fuzzy suggestions need at least `threshold` (0–100)
/// similarity.
pub fn update(template: &[Entry], previous: &[Entry], threshold: u32) -> Vec<Entry> {
    let mut used = vec![false; previous.len()];
    // Translated entries by (context, normalised message); the first wins.
    let mut exact: HashMap<(Option<String>, String), usize> = HashMap::new();
    for (j, old) in previous.iter().enumerate().filter(|(_, old)| !old.text.is_empty()) {
        exact.entry((old.context.clone(), normalize(&old.id))).or_insert(j);
    }
    let find_exact = |entry: &Entry| exact.get(&(entry.context.clone(), normalize(&entry.id))).copied();
    let mut out: Vec<Entry> = template.to_vec();
    let mut unmatched = Vec::new();
    for (i, entry) in out.iter_mut().enumerate() {
        match find_exact(entry) {
            Some(j) => {
                used[j] = true;
                entry.text = previous[j].text.clone();
                entry.fuzzy = previous[j].fuzzy;
                entry.previous = previous[j].previous.clone();
                entry.comments = previous[j].comments.clone();
            }
            None => unmatched.push(i),
        }
    }
    // Only messages no exact match explains are compared: the changed ones.
    let candidates: Vec<usize> =
        (0..previous.len()).filter(|&j| !used[j] && !previous[j].text.is_empty() && !previous[j].fuzzy).collect();
    for i in unmatched {
        let entry = &out[i];
        let best = candidates
            .iter()
            .filter(|&&j| previous[j].context == entry.context)
            // Lengths alone bound the similarity: skip what cannot reach it.
            .filter(|&&j| {
                let (a, b) = (entry.id.chars().count() as f64, previous[j].id.chars().count() as f64);
                (1.0 - (a - b).abs() / a.max(b).max(1.0)) * 100.0 >= threshold as f64
            })
            .map(|&j| (j, similarity(&entry.id, &previous[j].id)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((j, score)) = best.filter(|&(_, s)| s * 100.0 >= threshold as f64) {
            let entry = &mut out[i];
            entry.text = previous[j].text.clone();
            entry.fuzzy = true;
            entry.previous = Some(previous[j].id.clone());
            entry.comments = previous[j].comments.clone();
            entry.notes.push(format!("similarity to the previous source: {:.0}%", score * 100.0));
        }
    }
    out
}

/// 1 − edit distance / longer length, over characters.
pub fn similarity(a: &str, b: &str) -> f64 {
    strsim::normalized_levenshtein(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, text: &str) -> Entry {
        Entry { id: id.into(), text: text.into(), ..Entry::default() }
    }

    #[test]
    fn exact_reuse_and_fuzzy_for_a_changed_word() {
        let previous = [entry("Install the tool first.", "先安装工具。"), entry("Run it  twice.", "运行两次。")];
        let template = [entry("Install the tool now.", ""), entry("Run it twice.", ""), entry("Something new.", "")];
        let updated = update(&template, &previous, 60);
        assert_eq!(updated[1].text, "运行两次。");
        assert!(!updated[1].fuzzy);
        assert_eq!(updated[0].text, "先安装工具。");
        assert!(updated[0].fuzzy, "a changed source is never applied as done");
        assert_eq!(updated[0].previous.as_deref(), Some("Install the tool first."));
        assert!(updated[0].notes.iter().any(|n| n.starts_with("similarity to the previous source: ")));
        assert_eq!(updated[2].text, "", "nothing close enough");
    }

    #[test]
    fn contexts_are_kept_apart() {
        let mut old = entry("A cat", "一只猫");
        old.context = Some("image alt text".into());
        let updated = update(&[entry("A cat", "")], &[old], 60);
        assert_eq!(updated[0].text, "");
    }
}
