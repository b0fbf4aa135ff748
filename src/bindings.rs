//! The JavaScript boundary: the only file that knows about `wasm_bindgen`. Values cross as JSON
//! text (see `json`), the hot save decision as numbers (see `save_wire`), consent tables as
//! pieces written straight into the module's memory (see `consent::Streams`), and consent records
//! and profiles as columns of text and numbers (see `consent::columns`). No rules here.

use crate::prelude::*;
use core::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;

use crate::calls::call;
use crate::consent::{rule_reads, select_columns, unify_columns, Streams};
use crate::email::is_valid_email;
use crate::error::ApiError;
use crate::json::{parse, write, write_integer};
use crate::save_wire::evaluate_save_bits;
use crate::value::{InputError, Value};

// Talc instead of Rust's default dlmalloc: a smaller module and faster allocation. The module
// runs on one thread (no atomics target feature).
#[global_allocator]
static ALLOCATOR: talc::cell::TalcSyncCell<heap::GrowInSteps, talc::wasm::WasmBinning> =
    talc::cell::TalcSyncCell::new_wasm(heap::GrowInSteps::new());

/// Where the heap gets its memory: talc's own wasm source grows the memory by what one
/// allocation needs, and every `memory.grow` makes the engine account for the larger buffer,
/// with a garbage collection of the page's JavaScript heap when that is large. Reading a table
/// of a million records that way took thousands of them (minutes in Node); growing by at least
/// a quarter of the memory so far takes a few dozen, and leaves the memory at most a quarter
/// larger than the most it held (WebAssembly memory never shrinks).
#[allow(unsafe_code)]
mod heap {
    use core::alloc::Layout;
    use core::arch::wasm32::{memory_grow, memory_size};
    use core::ptr::NonNull;

    use talc::base::binning::Binning;
    use talc::base::{Talc, CHUNK_UNIT};
    use talc::source::Source;

    const PAGE: usize = 64 * 1024;

    /// Grows the memory geometrically and extends the heap over it.
    #[derive(Debug)]
    pub struct GrowInSteps {
        end: Option<NonNull<u8>>,
    }

    impl GrowInSteps {
        pub const fn new() -> GrowInSteps {
            GrowInSteps { end: None }
        }
    }

    // SAFETY: `acquire` only grows the memory and hands the new pages to `talc` through the
    // reference it is given; it allocates nothing itself.
    unsafe impl Source for GrowInSteps {
        fn acquire<B: Binning>(talc: &mut Talc<Self, B>, layout: Layout) -> Result<(), ()> {
            // What the allocation needs with talc's overheads, as talc's own source counts it
            // generously, and at least a quarter of the memory so far (and a megabyte).
            let needed = (layout.size() + layout.align() + 4 * CHUNK_UNIT).div_ceil(PAGE) + 1;
            let step = needed.max(memory_size::<0>() / 4).max(16);
            let (previous, pages) = match memory_grow::<0>(step) {
                // Near the 4 GiB limit: only what this allocation needs.
                usize::MAX => match memory_grow::<0>(needed) {
                    usize::MAX => return Err(()),
                    previous => (previous, needed),
                },
                previous => (previous, step),
            };
            let base = (previous * PAGE) as *mut u8;
            let size = pages * PAGE;
            let end = base.wrapping_add(size);
            if let Some(old_end) = talc.source.end.take() {
                if old_end.as_ptr() == base {
                    // SAFETY: the heap ended where the new pages begin; they are ours alone.
                    talc.source.end = Some(unsafe { talc.extend(old_end, end) });
                    return Ok(());
                }
            }
            // SAFETY: fresh pages of the module's memory that nothing else uses.
            talc.source.end = unsafe { talc.claim(base, size) };
            talc.source.end.map(|_| ()).ok_or(())
        }
    }
}

/// The error as JSON: `{"code", "message", "path"?, "line"?, "column"?}`.
fn write_error(error: &ApiError, out: &mut String) {
    out.push_str("{\"code\":\"");
    out.push_str(error.code.as_str());
    out.push_str("\",\"message\":");
    write(&Value::from(error.message.as_str()), out);
    if let Some(path) = &error.path {
        out.push_str(",\"path\":");
        write(&Value::from(path.as_str()), out);
    }
    for (name, number) in [("line", error.line), ("column", error.column)] {
        if let Some(n) = number {
            out.push_str(",\"");
            out.push_str(name);
            out.push_str("\":");
            write_integer(n as i64, out);
        }
    }
    out.push('}');
}

/// Run `operation` (see `calls`) on `input`, JSON text as UTF-8 bytes, in the language `lcid`
/// (0: none). Answers JSON text: `[answer]`, or the error object.
///
/// Bytes rather than a string: the script encodes the text natively and the bytes are copied in
/// at once, where a string crosses a character at a time.
#[wasm_bindgen]
pub fn call_json(operation: &str, input: &[u8], lcid: u32) -> String {
    let not_json = || {
        ApiError::from(InputError {
            path: "input".into(),
            message: "not JSON".into(),
        })
    };
    let Ok(input) = core::str::from_utf8(input) else {
        return answer(Err(not_json()));
    };
    let lcid = (lcid != 0).then_some(lcid);
    let answer = parse(input)
        .map_err(|_| not_json())
        .and_then(|input| call(operation, &input, lcid));
    self::answer(answer)
}

/// `[answer]` or the error object, as JSON text.
fn answer(answer: Result<Value, ApiError>) -> String {
    let mut out = String::new();
    match answer {
        Ok(value) => {
            out.push('[');
            write(&value, &mut out);
            out.push(']');
        }
        Err(error) => write_error(&error, &mut out),
    }
    out
}

/// Whether an email address is valid for the connector (the hot path's one string).
#[wasm_bindgen]
pub fn email_valid(text: &str) -> bool {
    is_valid_email(text)
}

/// Judge a save given on the compact wire (see `save_wire`): the verdict as bits.
#[wasm_bindgen]
pub fn save_bits(kind: u32, save_mode: u32, flags: u32, before: i32, after: i32) -> u32 {
    evaluate_save_bits(kind, save_mode, flags, [before, after])
}

/// The text of the next call on columns, written by the script straight into the module's
/// memory (with `TextEncoder.encodeInto`): a table's texts are tens of megabytes, which
/// encoding into a buffer of the script's own and copying in would take twice over.
static COLUMN_TEXT: OneThread<RefCell<Vec<u8>>> = OneThread(RefCell::new(Vec::new()));

/// Room for the text of the next call on columns: its first `keep` bytes kept and `length` bytes
/// in all. Answers where the text starts; the script writes into the room and passes the call
/// how many bytes the text has.
#[wasm_bindgen]
pub fn columns_space(keep: u32, length: u32) -> u32 {
    // Taken out while it grows: should growing trap, no borrow is left behind (see `with_streams`).
    let mut text = COLUMN_TEXT.0.take();
    text.truncate(keep as usize);
    text.resize(length as usize, 0);
    let at = text.as_mut_ptr() as u32;
    *COLUMN_TEXT.0.borrow_mut() = text;
    at
}

/// The first `written` bytes of the text in the room, which is given back.
fn take_column_text(written: u32) -> Vec<u8> {
    let mut text = COLUMN_TEXT.0.take();
    text.truncate(written as usize);
    text
}

/// `unifyConsent` on records given as columns (see `consent::unify_columns`), their text the
/// `written` bytes in the room of `columns_space`: the profiles' keys back to back, with their
/// shape written into `shape`; undefined when the records are to be read as JSON instead.
#[wasm_bindgen]
pub fn records_unify(
    written: u32,
    lengths: &[u32],
    flags: &[u8],
    shape: &mut [u32],
) -> Option<String> {
    let text = take_column_text(written);
    unify_columns(core::str::from_utf8(&text).ok()?, lengths, flags, shape)
}

/// What of a consent the segment rule reads besides its option and value (see
/// `consent::rule_reads`); -1 when the rule does not parse.
#[wasm_bindgen]
pub fn segment_rule_reads(rule: &str) -> i32 {
    rule_reads(rule)
}

/// `evaluateSegment` on profiles given as columns (see `consent::select_columns`), their text
/// the `written` bytes in the room of `columns_space`: the numbers of the profiles `rule`
/// selects; undefined when the call is to be made as JSON instead.
#[wasm_bindgen]
pub fn profiles_select(
    rule: &str,
    written: u32,
    lengths: &[u32],
    option_count: u32,
    counts: &[u32],
    consents: &[u32],
) -> Option<Vec<u32>> {
    let text = take_column_text(written);
    let text = core::str::from_utf8(&text).ok()?;
    select_columns(rule, text, lengths, option_count, counts, consents)
}

/// Consent tables being read in pieces (see `consent::Streams`).
static STREAMS: OneThread<RefCell<Option<Streams>>> = OneThread(RefCell::new(None));

/// The number of the next consent table opened. Kept apart from the tables, which a trap
/// forgets (see `with_streams`), so that no number is given out twice: a reader of a forgotten
/// table then finds nothing, never another reader's table.
static TABLE_NUMBERS: OneThread<Cell<u32>> = OneThread(Cell::new(0));

/// A value for the module's one thread: the wasm32 target without the atomics feature has no
/// threads, so a `static` needs no lock (and `std`'s `thread_local!` is not there without `std`).
struct OneThread<T>(T);

// SAFETY: this build has no threads (no atomics target feature), so no two threads can share it.
#[allow(unsafe_code)]
unsafe impl<T> Sync for OneThread<T> {}

/// `f` on the open consent tables. They are taken out of their cell while `f` runs: when `f`
/// traps (memory exhausted by a huge table), no borrow is left behind to make every later call
/// trap too; the tables open at the time are forgotten, and the module stays usable.
fn with_streams<R>(f: impl FnOnce(&mut Streams) -> R) -> R {
    let mut streams = STREAMS.0.take().unwrap_or_default();
    let result = f(&mut streams);
    *STREAMS.0.borrow_mut() = Some(streams);
    result
}

/// Start reading a consent table in pieces: its records (`segment` false) or the members of the
/// segment `rule`; `expected_bytes` is the table's size when known (else 0). Answers `[number]` or
/// the rule's error, as JSON text.
#[wasm_bindgen]
pub fn table_open(rule: &str, segment: bool, expected_bytes: f64) -> String {
    let expected = expected_bytes.clamp(0.0, 1e9) as usize;
    let number = TABLE_NUMBERS.0.get();
    TABLE_NUMBERS.0.set(number.wrapping_add(1));
    let opened = with_streams(|streams| streams.open(number, segment.then_some(rule), expected));
    answer(
        opened
            .map(|()| Value::from(number))
            .map_err(|e| ApiError::of_rule(rule, e)),
    )
}

/// Where to write the next `length` bytes of table `number` (0 for no such table). The caller
/// writes them into the module's memory and then calls `table_commit`.
#[wasm_bindgen]
pub fn table_space(number: u32, length: u32) -> u32 {
    with_streams(|streams| {
        streams
            .space(number, length as usize)
            .map_or(0, |room| room.as_mut_ptr() as u32)
    })
}

/// Read the `written` bytes put into the last space of table `number`: the rows read so far,
/// or -1 for no such table.
#[wasm_bindgen]
pub fn table_commit(number: u32, written: u32) -> f64 {
    with_streams(|streams| {
        streams
            .commit(number, written as usize)
            .map_or(-1.0, |rows| rows as f64)
    })
}

/// Finish table `number`: `[result]` as JSON text, or an error for no such table. A table read for
/// its records answers their number in place of them and keeps them for `table_take_records`
/// (or `table_drop`).
#[wasm_bindgen]
pub fn table_finish(number: u32) -> String {
    with_streams(|streams| streams.finish(number)).unwrap_or_else(|| {
        answer(Err(ApiError::from(InputError {
            path: "reader".into(),
            message: "this reader is finished or cancelled".into(),
        })))
    })
}

/// Take the records of finished table `number`, read for its records: their texts back to back,
/// with the texts' lengths (four per record), the records' flags and their options' numbers
/// copied into `lengths`, `flags` and `options` (see `consent::RecordColumns`); undefined for no
/// such table.
#[wasm_bindgen]
pub fn table_take_records(
    number: u32,
    lengths: &mut [u32],
    flags: &mut [u8],
    options: &mut [u32],
) -> Option<String> {
    with_streams(|streams| streams.take_records(number, lengths, flags, options))
}

/// Forget table `number`, unfinished or with its records untaken.
#[wasm_bindgen]
pub fn table_drop(number: u32) {
    with_streams(|streams| streams.drop_stream(number));
}
