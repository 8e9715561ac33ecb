//! The WIT `node-table`: the host's nodes laid out in columns, each column
//! already in the bytes the canonical ABI gives its list, so that handing a
//! document to a guest costs one `realloc` and one copy per column, whatever
//! the number of nodes.

use std::marker::PhantomData;
use std::mem::MaybeUninit;

use wasmtime::component::__internal::{CanonicalAbiInfo, InstanceType, InterfaceType, LowerContext};
use wasmtime::component::{ComponentType, Lower};
use wasmtime::ValRaw;

use super::super::pointer_pair;
use super::wit::{self, NodeKind, PropertyName, Span};
use super::{link_kind, node_kind, span};
use crate::doc::{Node, NodeTable, StrRef};

/// The WIT `node-table` record.
#[derive(ComponentType, Lower)]
#[component(record)]
pub(super) struct NodeTableIn<'a> {
    kinds: Encoded<NodeKind>,
    parents: Vec<u32>,
    spans: Encoded<Span>,
    properties: Encoded<wit::Property>,
    /// The host table's own strings: the properties point into them.
    strings: &'a str,
}

/// A `parents` entry: the root has no parent.
const NO_PARENT: u32 = u32::MAX;

/// The canonical ABI of each field of `property`, in WIT order.
const PROPERTY_FIELDS: [CanonicalAbiInfo; 4] = [
    <u32 as ComponentType>::ABI,          // node
    <PropertyName as ComponentType>::ABI, // name
    <u32 as ComponentType>::ABI,          // start
    <u32 as ComponentType>::ABI,          // end
];
const PROPERTY: CanonicalAbiInfo = CanonicalAbiInfo::record_static(&PROPERTY_FIELDS);
// A property is four little-endian words, the name in the low byte of the
// second: what `NodeTableIn::property` writes.
const _: () = assert!(
    PROPERTY.size32 == 16
        && PROPERTY.size32 as usize == <wit::Property as ComponentType>::SIZE32
        && <PropertyName as ComponentType>::SIZE32 == 1
        && <Span as ComponentType>::SIZE32 == 8
        && <NodeKind as ComponentType>::SIZE32 == 1
);

impl<'a> NodeTableIn<'a> {
    /// The columns of `host`'s table.
    pub(super) fn of(host: &'a NodeTable) -> Self {
        let len = host.nodes.len();
        let mut table = NodeTableIn {
            kinds: Encoded::with_capacity(len),
            parents: Vec::with_capacity(len),
            spans: Encoded::with_capacity(len),
            properties: Encoded::with_capacity(len),
            strings: &host.strings,
        };
        for (id, node) in host.nodes.iter().enumerate() {
            table.kinds.push_byte(node_kind(node.kind) as u8);
            table.parents.push(node.parent.unwrap_or(NO_PARENT));
            let Span { start, end } = span(&node.span);
            table.spans.push_words([start, end]);
            table.add_properties(id as u32, node);
        }
        table
    }

    /// `node`'s properties, in the order `property-name` lists them.
    fn add_properties(&mut self, id: u32, node: &Node) {
        // One call per field, not a loop over arrays of them: most nodes
        // have one property or none, and building the arrays took nearly
        // half of this function's time (7% of a no-op run before, 4% after).
        self.string(id, PropertyName::Text, node.text);
        self.string(id, PropertyName::Url, node.url);
        self.string(id, PropertyName::Title, node.title);
        self.string(id, PropertyName::Info, node.info);
        self.string(id, PropertyName::Label, node.label);
        self.small(id, PropertyName::Level, node.level);
        self.small(id, PropertyName::Checked, node.checked.map(u8::from));
        self.small(id, PropertyName::LinkKind, node.link_kind.map(|k| link_kind(k) as u8));
        if let Some(start) = node.start {
            self.property(id, PropertyName::Start, start as u32, (start >> 32) as u32);
        }
        for &(key, value) in &node.attributes {
            self.string(id, PropertyName::Attribute, Some(key));
            self.string(id, PropertyName::AttributeValue, value);
        }
    }

    /// A small number's property, if it has one.
    fn small(&mut self, id: u32, name: PropertyName, value: Option<u8>) {
        if let Some(value) = value {
            self.property(id, name, value.into(), 0);
        }
    }

    /// A string property, if it has one: where `text` lies in `strings`.
    fn string(&mut self, id: u32, name: PropertyName, text: Option<StrRef>) {
        if let Some(text) = text {
            let range = text.range();
            self.property(id, name, range.start as u32, range.end as u32);
        }
    }

    fn property(&mut self, id: u32, name: PropertyName, start: u32, end: u32) {
        self.properties.push_words([id, name as u32, start, end]);
    }
}

/// A `list<T>` held as the bytes the canonical ABI lays its elements out
/// in, lowered with one copy; typechecked as `list<T>`.
pub(super) struct Encoded<T> {
    bytes: Vec<u8>,
    len: usize,
    element: PhantomData<T>,
}

impl<T: ComponentType> Encoded<T> {
    fn with_capacity(len: usize) -> Self {
        Encoded { bytes: Vec::with_capacity(len * T::SIZE32), len: 0, element: PhantomData }
    }

    /// One element of one byte.
    fn push_byte(&mut self, element: u8) {
        debug_assert_eq!(T::SIZE32, 1);
        self.bytes.push(element);
        self.len += 1;
    }

    /// One element of `N` little-endian words.
    fn push_words<const N: usize>(&mut self, element: [u32; N]) {
        debug_assert_eq!(T::SIZE32, 4 * N);
        for word in element {
            self.bytes.extend_from_slice(&word.to_le_bytes());
        }
        self.len += 1;
    }

    /// Copy the elements into the guest's memory; their address.
    fn store<U>(&self, cx: &mut LowerContext<'_, U>) -> wasmtime::Result<usize> {
        if self.bytes.len() > i32::MAX as usize {
            wasmtime::bail!("a list of {} bytes is too large to copy into wasm", self.bytes.len());
        }
        let ptr = cx.realloc(0, 0, T::ALIGN32, self.bytes.len())?;
        cx.as_slice_mut()[ptr..][..self.bytes.len()].copy_from_slice(&self.bytes);
        Ok(ptr)
    }
}

unsafe impl<T: ComponentType> ComponentType for Encoded<T> {
    type Lower = [ValRaw; 2];

    const ABI: CanonicalAbiInfo = CanonicalAbiInfo::POINTER_PAIR;

    fn typecheck(ty: &InterfaceType, types: &InstanceType<'_>) -> wasmtime::Result<()> {
        <[T] as ComponentType>::typecheck(ty, types)
    }
}

unsafe impl<T: ComponentType> Lower for Encoded<T> {
    fn linear_lower_to_flat<U>(
        &self,
        cx: &mut LowerContext<'_, U>,
        _ty: InterfaceType,
        dst: &mut MaybeUninit<[ValRaw; 2]>,
    ) -> wasmtime::Result<()> {
        pointer_pair::to_flat(dst, (self.store(cx)?, self.len));
        Ok(())
    }

    fn linear_lower_to_memory<U>(&self, cx: &mut LowerContext<'_, U>, _ty: InterfaceType, offset: usize) -> wasmtime::Result<()> {
        let ptr = self.store(cx)?;
        pointer_pair::to_memory(cx.as_slice_mut(), offset, (ptr, self.len));
        Ok(())
    }
}
