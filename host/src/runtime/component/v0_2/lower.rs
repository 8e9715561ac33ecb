//! The `nodes` of a WIT `document`, lowered into the guest in two passes.
//!
//! Wasmtime's derived lowering writes every field of every node through a
//! look-up of the guest's memory of its own, a dozen and more per node,
//! and that was the largest single cost of handing a document over. Here
//! every allocation is asked of the guest's `realloc` first, in the order
//! and with the sizes the canonical ABI prescribes (so the guest sees the
//! very same calls), and then the records, lists and strings are written
//! through one view of its memory. The WIT type is still checked by the
//! derived [`NodeIn`], which also lowers for a guest that wants strings in
//! an encoding other than UTF-8.

use std::mem::MaybeUninit;

use wasmtime::component::__internal::wasmtime_environ::component::StringEncoding;
use wasmtime::component::__internal::{CanonicalAbiInfo, InstanceType, InterfaceType, LowerContext};
use wasmtime::component::{ComponentType, Lower};
use wasmtime::ValRaw;

use super::super::pointer_pair;
use super::{link_kind, node_kind, NodeIn};
use crate::doc::NodeTable;

/// The node table as the WIT `list<node>`.
pub(super) struct Nodes<'a>(pub &'a NodeTable);

/// The canonical ABI of each field of `node`, in WIT order.
const FIELDS: [CanonicalAbiInfo; 14] = [
    <super::wit::NodeKind as ComponentType>::ABI, // kind
    <Option<u32> as ComponentType>::ABI,          // parent
    <[u32] as ComponentType>::ABI,                // children
    <super::wit::Span as ComponentType>::ABI,     // span
    <Option<&str> as ComponentType>::ABI,         // text
    <Option<u8> as ComponentType>::ABI,           // level
    <Option<&str> as ComponentType>::ABI,         // url
    <Option<&str> as ComponentType>::ABI,         // title
    <Option<&str> as ComponentType>::ABI,         // info
    <Option<bool> as ComponentType>::ABI,         // checked
    <Option<super::wit::LinkKind> as ComponentType>::ABI, // link-kind
    <Option<&str> as ComponentType>::ABI,         // label
    <Option<u64> as ComponentType>::ABI,          // start
    <[(String, Option<String>)] as ComponentType>::ABI, // attributes
];

const fn align_to(offset: usize, align: u32) -> usize {
    let align = align as usize;
    (offset + align - 1) & !(align - 1)
}

/// Where each field of `node` starts in its record.
const OFFSETS: [usize; 14] = {
    let mut offsets = [0; 14];
    let mut end = 0;
    let mut i = 0;
    while i < FIELDS.len() {
        offsets[i] = align_to(end, FIELDS[i].align32);
        end = offsets[i] + FIELDS[i].size32 as usize;
        i += 1;
    }
    offsets
};
const NODE: CanonicalAbiInfo = CanonicalAbiInfo::record_static(&FIELDS);
// The fields above are `NodeIn`'s, in its order.
const _: () = assert!(
    NODE.size32 as usize == <NodeIn<'static> as ComponentType>::SIZE32
        && NODE.align32 == <NodeIn<'static> as ComponentType>::ALIGN32
);
const KIND: usize = OFFSETS[0];
const PARENT: usize = OFFSETS[1];
const CHILDREN: usize = OFFSETS[2];
const SPAN: usize = OFFSETS[3];
const TEXT: usize = OFFSETS[4];
const LEVEL: usize = OFFSETS[5];
const URL: usize = OFFSETS[6];
const TITLE: usize = OFFSETS[7];
const INFO: usize = OFFSETS[8];
const CHECKED: usize = OFFSETS[9];
const LINK_KIND: usize = OFFSETS[10];
const LABEL: usize = OFFSETS[11];
const START: usize = OFFSETS[12];
const ATTRIBUTES: usize = OFFSETS[13];

/// Where the payload of an `option<T>` starts: after its one-byte case,
/// aligned for `T`.
const fn payload(align: u32) -> usize {
    align_to(1, align)
}

/// One `tuple<string, option<string>>` of `attributes`.
const ATTRIBUTE: CanonicalAbiInfo = <(String, Option<String>) as ComponentType>::ABI;
const ATTRIBUTE_VALUE: usize = align_to(8, <Option<String> as ComponentType>::ABI.align32);

/// Strings longer than this cannot be handed to a guest.
const MAX_STRING: usize = (1 << 31) - 1;

unsafe impl ComponentType for Nodes<'_> {
    type Lower = [ValRaw; 2];

    const ABI: CanonicalAbiInfo = CanonicalAbiInfo::POINTER_PAIR;

    fn typecheck(ty: &InterfaceType, types: &InstanceType<'_>) -> wasmtime::Result<()> {
        <[NodeIn<'static>] as ComponentType>::typecheck(ty, types)
    }
}

unsafe impl Lower for Nodes<'_> {
    fn linear_lower_to_flat<T>(
        &self,
        cx: &mut LowerContext<'_, T>,
        ty: InterfaceType,
        dst: &mut MaybeUninit<[ValRaw; 2]>,
    ) -> wasmtime::Result<()> {
        pointer_pair::to_flat(dst, self.store(cx, ty)?);
        Ok(())
    }

    fn linear_lower_to_memory<T>(
        &self,
        cx: &mut LowerContext<'_, T>,
        ty: InterfaceType,
        offset: usize,
    ) -> wasmtime::Result<()> {
        let pair = self.store(cx, ty)?;
        pointer_pair::to_memory(cx.as_slice_mut(), offset, pair);
        Ok(())
    }
}

impl Nodes<'_> {
    /// Store the list in the guest's memory; its address and length.
    fn store<T>(&self, cx: &mut LowerContext<'_, T>, ty: InterfaceType) -> wasmtime::Result<(usize, usize)> {
        if !matches!(cx.options().string_encoding, StringEncoding::Utf8) {
            let nodes: Vec<NodeIn<'_>> = self.0.nodes.iter().map(|n| NodeIn::of(self.0, n)).collect();
            let mut flat = MaybeUninit::<[ValRaw; 2]>::uninit();
            nodes[..].linear_lower_to_flat(cx, ty, &mut flat)?;
            // SAFETY: `linear_lower_to_flat` initialises `flat` when it succeeds.
            let [ptr, len] = unsafe { flat.assume_init() };
            return Ok((ptr.get_u32() as usize, len.get_u32() as usize));
        }
        let size = self.0.nodes.len().checked_mul(NODE.size32 as usize).ok_or_else(|| wasmtime::format_err!("size overflow copying a list"))?;
        let list = cx.realloc(0, 0, NODE.align32, size)?;
        let places = self.allocate(cx)?;
        self.write(cx.as_slice_mut(), list, &places);
        Ok((list, self.0.nodes.len()))
    }

    /// The first pass: every allocation the canonical ABI makes for the
    /// nodes' lists and strings, in its order; their addresses.
    fn allocate<T>(&self, cx: &mut LowerContext<'_, T>) -> wasmtime::Result<Vec<u32>> {
        let table = self.0;
        let mut places = Vec::with_capacity(table.nodes.len() * 3);
        let mut alloc = |cx: &mut LowerContext<'_, T>, align: u32, size: usize| -> wasmtime::Result<()> {
            if size > MAX_STRING {
                wasmtime::bail!("string length of {size} too large to copy into wasm");
            }
            places.push(cx.realloc(0, 0, align, size)? as u32);
            Ok(())
        };
        for node in &table.nodes {
            alloc(cx, 4, table.children(node).len() * 4)?;
            for text in [node.text, node.url, node.title, node.info, node.label].into_iter().flatten() {
                alloc(cx, 1, text.range().len())?;
            }
            alloc(cx, ATTRIBUTE.align32, node.attributes.len() * ATTRIBUTE.size32 as usize)?;
            for (key, value) in table.attributes(node) {
                alloc(cx, 1, key.len())?;
                if let Some(value) = value {
                    alloc(cx, 1, value.len())?;
                }
            }
        }
        Ok(places)
    }

    /// The second pass: every record, list and string, at the addresses
    /// [`Nodes::allocate`] got, taken in the same order.
    fn write(&self, memory: &mut [u8], list: usize, places: &[u32]) {
        let mut places = places.iter().map(|&p| p as usize);
        let mut next = move || places.next().expect("one address per allocation");
        let table = self.0;
        for (i, node) in table.nodes.iter().enumerate() {
            let mut record = [0u8; NODE.size32 as usize];
            record[KIND] = node_kind(node.kind) as u8;
            if let Some(parent) = node.parent {
                record[PARENT] = 1;
                put(&mut record, PARENT + payload(4), parent);
            }
            let children = next();
            let child_ids = table.children(node);
            for (j, child) in child_ids.iter().enumerate() {
                memory[children + 4 * j..][..4].copy_from_slice(&child.to_le_bytes());
            }
            put(&mut record, CHILDREN, children as u32);
            put(&mut record, CHILDREN + 4, child_ids.len() as u32);
            put(&mut record, SPAN, node.span.start as u32);
            put(&mut record, SPAN + 4, node.span.end as u32);
            for (at, text) in [(TEXT, node.text), (URL, node.url), (TITLE, node.title), (INFO, node.info), (LABEL, node.label)] {
                if let Some(text) = table.string(text) {
                    record[at] = 1;
                    string(memory, &mut record[at + payload(4)..], next(), text);
                }
            }
            for (at, value) in [(LEVEL, node.level), (CHECKED, node.checked.map(u8::from)), (LINK_KIND, node.link_kind.map(|k| link_kind(k) as u8))] {
                if let Some(value) = value {
                    record[at] = 1;
                    record[at + payload(1)] = value;
                }
            }
            if let Some(start) = node.start {
                record[START] = 1;
                record[START + payload(8)..][..8].copy_from_slice(&start.to_le_bytes());
            }
            let attributes = next();
            for (j, (key, value)) in table.attributes(node).enumerate() {
                let mut entry = [0u8; ATTRIBUTE.size32 as usize];
                string(memory, &mut entry, next(), key);
                if let Some(value) = value {
                    entry[ATTRIBUTE_VALUE] = 1;
                    string(memory, &mut entry[ATTRIBUTE_VALUE + payload(4)..], next(), value);
                }
                memory[attributes + entry.len() * j..][..entry.len()].copy_from_slice(&entry);
            }
            put(&mut record, ATTRIBUTES, attributes as u32);
            put(&mut record, ATTRIBUTES + 4, node.attributes.len() as u32);
            memory[list + record.len() * i..][..record.len()].copy_from_slice(&record);
        }
    }
}

/// A little-endian `u32` at `at`.
fn put(bytes: &mut [u8], at: usize, value: u32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// `text` copied to `ptr` in the guest's memory, and its address and
/// length at the start of `pair`.
fn string(memory: &mut [u8], pair: &mut [u8], ptr: usize, text: &str) {
    memory[ptr..ptr + text.len()].copy_from_slice(text.as_bytes());
    put(pair, 0, ptr as u32);
    put(pair, 4, text.len() as u32);
}
