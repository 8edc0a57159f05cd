//! Identifier generation: Stripe-looking ids (`acct_…`, `evt_…`) derived from a seed and a counter,
//! so that a seeded emulator produces the same ids on every run.

use sha2::{Digest, Sha256};

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Returns `len` base62 characters derived from `(seed, counter)`.
pub fn token(seed: u64, counter: u64, len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut block = 0u64;
    while out.len() < len {
        let mut hasher = Sha256::new();
        hasher.update(seed.to_le_bytes());
        hasher.update(counter.to_le_bytes());
        hasher.update(block.to_le_bytes());
        for byte in hasher.finalize() {
            // 62 * 4 = 248: reject the top values so every character is equally likely.
            if byte < 248 && out.len() < len {
                out.push(ALPHABET[(byte % 62) as usize] as char);
            }
        }
        block += 1;
    }
    out
}

/// Length of the random part for a given prefix, close to what Stripe uses.
pub fn length_for(prefix: &str) -> usize {
    match prefix {
        "acct" => 16,
        "whsec" | "accs_secret_" => 32,
        _ => 24,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_and_counter_give_same_token() {
        assert_eq!(token(42, 7, 16), token(42, 7, 16));
        assert_ne!(token(42, 7, 16), token(42, 8, 16));
        assert_ne!(token(42, 7, 16), token(43, 7, 16));
        assert_eq!(token(1, 1, 40).len(), 40);
        assert!(token(1, 1, 40).chars().all(|c| c.is_ascii_alphanumeric()));
    }
}
