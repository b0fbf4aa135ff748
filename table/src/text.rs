//! Text built from pieces without `core::fmt`. `format!` pulls the whole formatting machinery
//! (padding, `Display` for every number type, `fmt::write`) into the WebAssembly module; the
//! messages here only ever join text and whole numbers, which [`build_text!`] does directly.

use crate::prelude::*;

/// Something that reads as text: appended to a `String` as it is written.
pub trait Piece {
    /// Append this piece to `out`.
    fn push_to(&self, out: &mut String);

    /// This piece as a `String` of its own.
    fn to_text(&self) -> String {
        let mut out = String::new();
        self.push_to(&mut out);
        out
    }
}

impl Piece for str {
    #[inline(never)]
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    #[inline(never)]
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for char {
    #[inline(never)]
    fn push_to(&self, out: &mut String) {
        out.push(*self);
    }
}

impl Piece for bool {
    #[inline(never)]
    fn push_to(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

/// Whole numbers in decimal, as `Display` writes them.
macro_rules! integer_pieces {
    ($($type:ty),*) => {$(
        impl Piece for $type {
            #[inline(never)]
            fn push_to(&self, out: &mut String) {
                push_integer(i64::from(*self), out);
            }
        }
    )*};
}
integer_pieces!(i64, i32, u32, u16, u8);

impl Piece for usize {
    #[inline(never)]
    fn push_to(&self, out: &mut String) {
        // A usize above i64::MAX is no line, column or index a caller has.
        push_integer(i64::try_from(*self).unwrap_or(i64::MAX), out);
    }
}

/// Append `n` in decimal.
#[inline(never)]
pub fn push_integer(n: i64, out: &mut String) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut rest = n.unsigned_abs();
    let mut start = digits.len();
    loop {
        start -= 1;
        if let Some(slot) = digits.get_mut(start) {
            *slot = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 || start == 0 {
            break;
        }
    }
    for &d in digits.get(start..).unwrap_or_default() {
        out.push(char::from(d));
    }
}

/// The texts of `items` with `separator` between them, as `[S]::join` gives them. One small
/// copy serves every list (the standard `join` is a large function, compiled once per type).
pub fn join<S: AsRef<str>>(items: &[S], separator: &str) -> String {
    join_pieces(&mut items.iter().map(AsRef::as_ref), separator)
}

#[inline(never)]
fn join_pieces(items: &mut dyn Iterator<Item = &str>, separator: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(item);
    }
    out
}

/// A `String` of the pieces in order: `build_text!("line ", line, ": ", message)`. Each piece
/// is anything that implements [`Piece`].
#[macro_export]
macro_rules! build_text {
    ($($piece:expr),+ $(,)?) => {{
        let mut out = $crate::prelude::String::new();
        $crate::text::push_text!(out, $($piece),+);
        out
    }};
}
pub use crate::build_text;

/// Append the pieces in order to the `String` `out`: `push_text!(out, "[", index, "]")`, what
/// [`build_text!`] does into a new one.
#[macro_export]
macro_rules! push_text {
    ($out:expr, $($piece:expr),+ $(,)?) => {{
        $( $crate::text::Piece::push_to(&$piece, &mut $out); )+
    }};
}
pub use crate::push_text;

/// `text` as a JSON string, appended to `out`.
pub fn write_string(text: &str, out: &mut String) {
    out.push('"');
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            out.push_str(text.get(start..i).unwrap_or_default());
            match byte {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                b'\n' => out.push_str("\\n"),
                _ => {
                    out.push_str("\\u00");
                    out.push(hex_digit(byte >> 4));
                    out.push(hex_digit(byte & 15));
                }
            }
            start = i + 1;
        }
    }
    out.push_str(text.get(start..).unwrap_or_default());
    out.push('"');
}

fn hex_digit(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'a' + n - 10 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_display_writes_them() {
        for n in [0, 7, -7, 10, 1_000_000, i64::MIN, i64::MAX] {
            assert_eq!(n.to_text(), n.to_string());
        }
        assert_eq!(u32::MAX.to_text(), u32::MAX.to_string());
        assert_eq!(usize::MAX.to_text(), i64::MAX.to_string());
    }

    #[test]
    fn lists_join_as_the_standard_join_does() {
        let words = ["a", "bc", ""];
        assert_eq!(join(&words, ", "), words.join(", "));
        let owned: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        assert_eq!(join(&owned, "\n\n"), owned.join("\n\n"));
        assert_eq!(join::<&str>(&[], "; "), "");
    }

    #[test]
    fn pieces_join_in_order() {
        let name = String::from("email");
        assert_eq!(
            build_text!("field `", name, "` at ", 3u32, ':', true),
            "field `email` at 3:true"
        );
    }
}
