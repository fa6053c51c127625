//! A tiny deterministic generator (SplitMix64): the same seed gives the same data on every
//! machine and every version of the `rand` crate.

/// One stream of numbers for one (seed, purpose, record) triple.
pub struct Stream(u64);

impl Stream {
    pub fn new(seed: u64, tag: u64, index: u64) -> Self {
        Stream(mix(mix(seed ^ tag.rotate_left(32)) ^ index))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// True with `percent` % probability.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub fn digits(&mut self, count: usize) -> String {
        (0..count).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }

    /// A version-4 style GUID as a number (sorts like its lower-case text).
    pub fn guid(&mut self) -> u128 {
        let raw = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
        (raw & !(0xF << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62)
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lower case.
pub fn guid_text(id: u128) -> String {
    let h = format!("{id:032x}");
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

pub fn parse_guid(text: &str) -> Option<u128> {
    let hex: String = text.trim().chars().filter(|c| *c != '-').collect();
    if hex.len() != 32 {
        return None;
    }
    u128::from_str_radix(&hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_distinct() {
        let a: Vec<u64> = (0..3).map(|i| Stream::new(7, 1, i).next_u64()).collect();
        let b: Vec<u64> = (0..3).map(|i| Stream::new(7, 1, i).next_u64()).collect();
        assert_eq!(a, b);
        assert_ne!(a[0], a[1]);
        assert_ne!(Stream::new(7, 1, 0).next_u64(), Stream::new(8, 1, 0).next_u64());
        assert_ne!(Stream::new(7, 1, 0).next_u64(), Stream::new(7, 2, 0).next_u64());
    }

    #[test]
    fn guids_round_trip() {
        let id = Stream::new(1, 2, 3).guid();
        let text = guid_text(id);
        assert_eq!(text.len(), 36);
        assert_eq!(&text[14..15], "4", "version nibble");
        assert_eq!(parse_guid(&text), Some(id));
        assert_eq!(parse_guid(&text.to_uppercase()), Some(id));
        assert_eq!(parse_guid("nope"), None);
    }
}
