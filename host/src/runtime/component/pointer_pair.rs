//! How the canonical ABI passes a list the host has stored in a guest's
//! memory itself: its address and length, as two flat values (an argument)
//! or as two little-endian words (a field of a record in memory).

use std::mem::MaybeUninit;

use wasmtime::ValRaw;

/// The address and length of a stored list, as flat values.
pub(super) fn to_flat(dst: &mut MaybeUninit<[ValRaw; 2]>, (ptr, len): (usize, usize)) {
    dst.write([ValRaw::i64(ptr as i64), ValRaw::i64(len as i64)]);
}

/// The address and length of a stored list, written at `offset`.
pub(super) fn to_memory(memory: &mut [u8], offset: usize, (ptr, len): (usize, usize)) {
    memory[offset..offset + 4].copy_from_slice(&(ptr as u32).to_le_bytes());
    memory[offset + 4..offset + 8].copy_from_slice(&(len as u32).to_le_bytes());
}
