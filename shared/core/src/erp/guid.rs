//! SuperOffice's connection GUIDs: read liberally (braces, upper case), kept in one form.

use super::contract::Outcome;

/// The GUID in lower case without braces, or the `bad_request` answer.
pub fn parse(raw: &str) -> Result<String, Outcome> {
    normalise(raw).ok_or_else(|| super::errors::bad_guid(raw))
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex), optionally in braces; `None` otherwise.
pub fn normalise(raw: &str) -> Option<String> {
    let t = raw.trim();
    let t = t.strip_prefix('{').and_then(|s| s.strip_suffix('}')).unwrap_or(t);
    let lengths: Vec<usize> = t.split('-').map(str::len).collect();
    let hex = t.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit());
    (lengths == [8, 4, 4, 4, 12] && hex).then(|| t.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_usual_forms_and_refuses_the_rest() {
        let want = Some("3aef3af6-8642-4fc1-8dc9-4e08bd76a6bf".to_string());
        assert_eq!(normalise("3aef3af6-8642-4fc1-8dc9-4e08bd76a6bf"), want);
        assert_eq!(normalise("{3AEF3AF6-8642-4FC1-8DC9-4E08BD76A6BF}"), want);
        assert_eq!(normalise(" 3aef3af6-8642-4fc1-8dc9-4e08bd76a6bf "), want);
        for bad in [
            "",
            "3aef3af6",
            "3aef3af6-8642-4fc1-8dc9-4e08bd76a6bg",
            "3aef3af68642-4fc1-8dc9-4e08bd76a6bf-",
            "{3aef3af6-8642-4fc1-8dc9-4e08bd76a6bf",
            "3aef3af6-8642-4fc1-8dc9-4e08bd76a6bf#x",
        ] {
            assert_eq!(normalise(bad), None, "{bad}");
        }
        let refused = parse("nope").expect_err("refused");
        assert_eq!(refused.error_code, "bad_request");
    }
}
