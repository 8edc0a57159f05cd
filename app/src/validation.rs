//! Rules for what people type into the sign-up and sign-in forms. Plain functions, shared by the
//! server (which enforces them) and the views (which explain them).

use crate::error::AppError;

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 128;
/// Shown under the new-password field; a test keeps it in step with the rule.
pub const PASSWORD_HINT: &str = "At least 10 characters. A few words you will remember work well.";
const EMAIL_MAX_CHARS: usize = 254;

/// Trims and lower-cases an email address so that `Ana@Example.com ` and `ana@example.com` are one
/// login.
pub fn normalize_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// Checks the shape of an (already normalised) email address: one `@`, a non-empty local part,
/// a domain with a dot, no spaces.
pub fn validate_email(email: &str) -> Result<(), AppError> {
    if email.is_empty() {
        return Err(AppError::invalid("email", "Enter your email address."));
    }
    if email.chars().count() > EMAIL_MAX_CHARS {
        return Err(AppError::invalid(
            "email",
            "That email address is too long.",
        ));
    }
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace)
                // A mail client would read these as a display name, a list or a comment: the
                // address mail goes to would not be the one stored.
                && !email.chars().any(|c| "<>(),;:\"[]\\".contains(c))
        }
        None => false,
    };
    if valid {
        Ok(())
    } else {
        Err(AppError::invalid(
            "email",
            "Enter an email address like name@example.com.",
        ))
    }
}

/// The fields of a form that makes a new login (sign-up, an admin invite): the email, normalised
/// and checked, once the password and its repetition are acceptable.
pub fn validate_new_login(
    email: &str,
    password: &str,
    password_confirm: &str,
) -> Result<String, AppError> {
    let email = normalize_email(email);
    validate_email(&email)?;
    validate_new_password(password)?;
    if password != password_confirm {
        return Err(AppError::invalid(
            "password_confirm",
            "The two passwords do not match.",
        ));
    }
    Ok(email)
}

/// Length-based password rule (as NIST SP 800-63B recommends: long, no composition rules).
pub fn validate_new_password(password: &str) -> Result<(), AppError> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(AppError::invalid(
            "password",
            format!("Use at least {PASSWORD_MIN_CHARS} characters for your password."),
        ));
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(AppError::invalid(
            "password",
            format!("Use at most {PASSWORD_MAX_CHARS} characters for your password."),
        ));
    }
    if password.trim().is_empty() {
        return Err(AppError::invalid(
            "password",
            "A password cannot be only spaces.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised() {
        assert_eq!(normalize_email("  Ana@Example.COM "), "ana@example.com");
    }

    #[test]
    fn email_shapes() {
        for ok in ["a@b.co", "first.last+tag@sub.example.org"] {
            assert!(validate_email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@b",
            "a@.com",
            "a@com.",
            "a b@c.com",
            "a@b@c.com",
            "x<attacker@evil.com>",
            "<a@b.co>",
            "a@b.co,c@d.co",
            "a(comment)@b.co",
        ] {
            let err = validate_email(bad).unwrap_err();
            assert_eq!(err.field(), Some("email"), "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(validate_email(&long).is_err());
    }

    #[test]
    fn password_hint_states_the_rule() {
        assert!(PASSWORD_HINT.starts_with(&format!("At least {PASSWORD_MIN_CHARS} characters")));
    }

    #[test]
    fn password_length_rules() {
        assert!(validate_new_password("short").is_err());
        assert!(validate_new_password(&" ".repeat(12)).is_err());
        assert!(validate_new_password("correct horse battery").is_ok());
        assert!(validate_new_password(&"x".repeat(129)).is_err());
        // Counted in characters, not bytes.
        assert!(validate_new_password("ééééééééé").is_err());
        assert!(validate_new_password("éééééééééé").is_ok());
    }
}
