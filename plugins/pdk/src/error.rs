//! The kit's error: anything that displays converts into it with `?`, so a
//! plugin writes `Result<T>` and never `map_err(|e| e.to_string())`.

use std::fmt::Display;

/// Why a call failed; the host shows the message with the file and the
/// plugin's name.
#[derive(Debug)]
pub struct Error(String);

/// `Result` with the kit's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with this message.
    pub fn msg(message: impl Display) -> Self {
        Error(message.to_string())
    }

    /// The message, for the host.
    pub fn into_message(self) -> String {
        self.0
    }
}

// `Error` itself does not implement `Display`, so this does not overlap
// with `From<T> for T`.
impl<T: Display> From<T> for Error {
    fn from(value: T) -> Self {
        Error(value.to_string())
    }
}

/// Return early with an error built like `format!`.
#[macro_export]
macro_rules! bail {
    ($($arg:tt)*) => {
        return ::std::result::Result::Err($crate::Error::msg(::std::format!($($arg)*)))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<u32> {
        Ok(text.parse::<u32>()?)
    }

    #[test]
    fn anything_that_displays_converts_with_question_mark() {
        assert_eq!(parse("x").unwrap_err().into_message(), "invalid digit found in string");
        let failed: Result<()> = (|| bail!("no {}", 1))();
        assert_eq!(failed.unwrap_err().into_message(), "no 1");
    }
}
