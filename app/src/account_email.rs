//! A login's address by mail: confirming it (after sign-up, and after a change) and resetting a
//! forgotten password. Each link is single-use, expires, and is stored only as a hash; the mail
//! is queued in the same transaction as the change that causes it (`db::mail_outbox`).

use crate::error::AppError;
use leptos::prelude::*;

/// Confirms a new login's address with the mailed link, and signs the person in.
#[server]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    crate::error::with_status(ssr::confirm_email(token).await)
}

/// Sends a new confirmation link to the signed-in person's unconfirmed address.
#[server]
pub async fn resend_confirmation() -> Result<(), AppError> {
    crate::error::with_status(ssr::resend_confirmation().await)
}

/// "Forgot your password?": mails a reset link when a login has this address. The answer is the
/// same either way.
#[server]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    crate::error::with_status(ssr::request_password_reset(email).await)
}

/// Sets a new password with a reset link; every session of the login ends, and this browser is
/// signed in.
#[server]
pub async fn reset_password(
    token: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<(), AppError> {
    crate::error::with_status(ssr::reset_password(token, new_password, new_password_confirm).await)
}

/// Moves the login to the new address the link was mailed to; other sessions end and the old
/// address is told.
#[server]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    crate::error::with_status(ssr::confirm_email_change(token).await)
}

/// Whether a mailed link can still be used (`purpose`: the page's), to show its page.
#[server]
pub async fn check_email_link(token: String, purpose: String) -> Result<(), AppError> {
    crate::error::with_status(ssr::check_link(token, purpose).await)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::auth::{attempts, password, ssr as auth, Role};
    use crate::db::{email_tokens, mail_outbox, sessions, unix_now, users};
    use crate::error::AppError;
    use crate::mail::{self, Letterhead, LinkPurpose};
    use crate::state::{app_state, AppState};
    use sha2::{Digest, Sha256};

    /// Resends of a confirmation link are this far apart at least.
    const RESEND_SPACING_SECS: i64 = 60;

    fn hash(token: &str) -> String {
        hex::encode(Sha256::digest(token.as_bytes()))
    }

    /// A new random link token (256 bits).
    fn new_token() -> String {
        hex::encode(rand::random::<[u8; 32]>())
    }

    fn link_closed() -> AppError {
        AppError::Conflict(
            "This link has expired or was already used. Ask for a new one.".to_string(),
        )
    }

    fn purpose_of(page: &str) -> Option<LinkPurpose> {
        match page {
            "confirm_email" => Some(LinkPurpose::ConfirmEmail),
            "reset_password" => Some(LinkPurpose::ResetPassword),
            "change_email" => Some(LinkPurpose::ChangeEmail),
            _ => None,
        }
    }

    /// The platform's colour and address for the mails' letterhead.
    pub(crate) async fn letterhead_color(state: &AppState) -> Result<String, AppError> {
        Ok(crate::platform::current(state)
            .await?
            .branding
            .primary_color)
    }

    /// Issues a link for `user_id` and queues `mail` (made with the token) in one transaction.
    #[allow(clippy::too_many_arguments)]
    async fn issue_link_and_mail(
        state: &AppState,
        user_id: i64,
        for_email: &str,
        purpose: LinkPurpose,
        new_email: Option<&str>,
        lifetime_secs: i64,
        mail: impl FnOnce(&str) -> mail_outbox::NewMail,
        also: Option<mail_outbox::NewMail>,
    ) -> Result<(), AppError> {
        let now = unix_now();
        let token = new_token();
        let mut tx = state.db.pool().begin().await?;
        email_tokens::issue_in(
            &mut tx,
            &hash(&token),
            user_id,
            for_email,
            purpose.as_str(),
            new_email,
            now,
            now + lifetime_secs,
        )
        .await?;
        mail_outbox::enqueue_in(&mut *tx, &mail(&token), now).await?;
        if let Some(extra) = also {
            mail_outbox::enqueue_in(&mut *tx, &extra, now).await?;
        }
        tx.commit().await?;
        state.mail_wake.notify_one();
        Ok(())
    }

    /// Sign-up's work once the password is hashed: a new login with a confirmation link, or, when
    /// the address has a login, a mail telling its owner. Both queue one mail in one transaction,
    /// and the caller answers the same, so the page does not tell which it was.
    pub async fn sign_up_mail(
        state: &AppState,
        email: &str,
        password_hash: &str,
    ) -> Result<(), AppError> {
        let color = letterhead_color(state).await?;
        let head = Letterhead {
            public_url: &state.settings.public_url,
            color: &color,
        };
        let now = unix_now();
        let token = new_token();
        let mut tx = state.db.pool().begin().await?;
        match users::insert_unless_taken_in(
            &mut tx,
            email,
            password_hash,
            Role::Owner.as_str(),
            now,
        )
        .await?
        {
            Some(user_id) => {
                email_tokens::issue_in(
                    &mut tx,
                    &hash(&token),
                    user_id,
                    email,
                    LinkPurpose::ConfirmEmail.as_str(),
                    None,
                    now,
                    now + mail::CONFIRM_LINK_SECS,
                )
                .await?;
                mail_outbox::enqueue_in(&mut *tx, &mail::confirm_email(&head, email, &token), now)
                    .await?;
                tx.commit().await?;
                state.mail_wake.notify_one();
                tracing::info!(user_id, "account owner signed up; confirmation mailed");
            }
            None => {
                mail_outbox::enqueue_in(
                    &mut *tx,
                    &mail::sign_up_with_taken_address(&head, email),
                    now,
                )
                .await?;
                tx.commit().await?;
                state.mail_wake.notify_one();
                tracing::info!("sign-up with an address that has a login; its owner was mailed");
            }
        }
        Ok(())
    }

    /// Confirms the address and signs the login out everywhere; the person then signs in with
    /// their password. The link alone never signs anyone in: someone who signed up with another
    /// person's address must not end up sharing a confirmed login with them.
    pub async fn confirm_email(token: String) -> Result<(), AppError> {
        let state = app_state()?;
        if !LinkPurpose::well_formed(&token) {
            return Err(link_closed());
        }
        let now = unix_now();
        let mut tx = state.db.pool().begin().await?;
        let Some(used) = email_tokens::consume_in(
            &mut tx,
            &hash(&token),
            LinkPurpose::ConfirmEmail.as_str(),
            now,
        )
        .await?
        else {
            return Err(link_closed());
        };
        users::confirm_email_in(&mut tx, used.user_id, now).await?;
        let ended = sessions::delete_for_user_in(&mut *tx, used.user_id).await?;
        tx.commit().await?;
        tracing::info!(
            user_id = used.user_id,
            sessions_ended = ended,
            "email address confirmed"
        );
        leptos_axum::redirect("/sign-in?email=confirmed");
        Ok(())
    }

    pub async fn resend_confirmation() -> Result<(), AppError> {
        let user = auth::require_user().await?;
        let state = app_state()?;
        if user.email_confirmed {
            return Err(AppError::Conflict(
                "Your address is already confirmed.".to_string(),
            ));
        }
        let purpose = LinkPurpose::ConfirmEmail;
        if let Some(at) =
            email_tokens::newest_created_at(&state.db, user.id, purpose.as_str()).await?
        {
            if unix_now() - at < RESEND_SPACING_SECS {
                return Err(AppError::TooManyAttempts(
                    "We sent a link less than a minute ago. Check your inbox (and spam folder) first."
                        .to_string(),
                ));
            }
        }
        let client = auth::client_address(&state).await;
        attempts::count_mail_request(&state.db, &state.settings.limits, &user.email, &client)
            .await?;
        let color = letterhead_color(&state).await?;
        let head = Letterhead {
            public_url: &state.settings.public_url,
            color: &color,
        };
        issue_link_and_mail(
            &state,
            user.id,
            &user.email,
            purpose,
            None,
            mail::CONFIRM_LINK_SECS,
            |token| mail::confirm_email(&head, &user.email, token),
            None,
        )
        .await?;
        tracing::info!(user_id = user.id, "confirmation link sent again");
        Ok(())
    }

    /// Answers at once and the same for every address; the lookup, the limit and the mail run
    /// after the answer, so neither the answer nor its timing tells whether a login has the
    /// address. Past the limit nothing is sent and the newest link already mailed stays valid (a
    /// stranger asking five times cannot lock the owner out of resetting).
    pub async fn request_password_reset(email: String) -> Result<(), AppError> {
        let state = app_state()?;
        let email = crate::validation::normalize_email(&email);
        crate::validation::validate_email(&email)
            .map_err(|e| AppError::invalid("email", e.to_string()))?;
        let client = auth::client_address(&state).await;
        tokio::spawn(async move {
            if let Err(e) = mail_reset_link(&state, &email, &client).await {
                tracing::warn!(error = %e, "password reset link not made");
            }
        });
        Ok(())
    }

    async fn mail_reset_link(state: &AppState, email: &str, client: &str) -> Result<(), AppError> {
        if attempts::count_mail_request(&state.db, &state.settings.limits, email, client)
            .await
            .is_err()
        {
            return Ok(());
        }
        let Some(user) = users::find_by_email(&state.db, email).await? else {
            tracing::info!("password reset asked for an address without a login");
            return Ok(());
        };
        let color = letterhead_color(state).await?;
        let head = Letterhead {
            public_url: &state.settings.public_url,
            color: &color,
        };
        issue_link_and_mail(
            state,
            user.id,
            &user.email,
            LinkPurpose::ResetPassword,
            None,
            mail::RESET_LINK_SECS,
            |token| mail::password_reset(&head, &user.email, token),
            None,
        )
        .await?;
        tracing::info!(user_id = user.id, "password reset link mailed");
        Ok(())
    }

    pub async fn reset_password(
        token: String,
        new_password: String,
        new_password_confirm: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        // The link is the caller's authority: checked before what was typed.
        let purpose = LinkPurpose::ResetPassword;
        if !LinkPurpose::well_formed(&token)
            || !email_tokens::is_open(&state.db, &hash(&token), purpose.as_str(), unix_now())
                .await?
        {
            return Err(link_closed());
        }
        crate::validation::validate_new_password(&new_password)
            .map_err(|e| AppError::invalid("new_password", e.to_string()))?;
        if new_password != new_password_confirm {
            return Err(AppError::invalid(
                "new_password_confirm",
                "The two passwords do not match.",
            ));
        }
        let password_hash = password::hash(new_password).await?;
        let now = unix_now();
        let mut tx = state.db.pool().begin().await?;
        let Some(used) =
            email_tokens::consume_in(&mut tx, &hash(&token), purpose.as_str(), now).await?
        else {
            return Err(link_closed());
        };
        users::set_password_hash_in(&mut *tx, used.user_id, &password_hash)
            .await?
            .ok_or_else(link_closed)?;
        // The mailbox proved the address: it is confirmed too. Links mailed before the new
        // password stop working.
        users::confirm_email_in(&mut tx, used.user_id, now).await?;
        email_tokens::withdraw_all_in(&mut *tx, used.user_id, now).await?;
        let ended = sessions::delete_for_user_in(&mut *tx, used.user_id).await?;
        tx.commit().await?;
        tracing::info!(
            user_id = used.user_id,
            sessions_ended = ended,
            "password reset"
        );
        let user = users::find_by_id(&state.db, used.user_id)
            .await?
            .ok_or_else(link_closed)?;
        auth::start_session(user.id, user.credentials_version).await?;
        let role = Role::parse(&user.role).unwrap_or(Role::Owner);
        leptos_axum::redirect(role.home_path());
        Ok(())
    }

    /// The profile's change of address: the new address gets a confirmation link and the current
    /// one a notice; nothing changes until the link is followed. When the new address has a login,
    /// its owner is told instead, and the answer here is the same.
    pub async fn request_email_change(
        state: &AppState,
        user_id: i64,
        current: &str,
        new_email: &str,
    ) -> Result<(), AppError> {
        // Each request mails the new address: limited per new address and per client.
        let client = auth::client_address(state).await;
        attempts::count_mail_request(&state.db, &state.settings.limits, new_email, &client).await?;
        let color = letterhead_color(state).await?;
        let head = Letterhead {
            public_url: &state.settings.public_url,
            color: &color,
        };
        // The current address hears of every request, whether or not the new one is free, so
        // the owner's own inbox does not tell which addresses have logins either.
        let notice = mail::email_change_requested(&head, current, new_email);
        if users::find_by_email(&state.db, new_email).await?.is_some() {
            let now = unix_now();
            let mut tx = state.db.pool().begin().await?;
            mail_outbox::enqueue_in(
                &mut *tx,
                &mail::email_change_to_taken_address(&head, new_email),
                now,
            )
            .await?;
            mail_outbox::enqueue_in(&mut *tx, &notice, now).await?;
            tx.commit().await?;
            state.mail_wake.notify_one();
            tracing::info!(user_id, "email change to an address that has a login");
            return Ok(());
        }
        issue_link_and_mail(
            state,
            user_id,
            current,
            LinkPurpose::ChangeEmail,
            Some(new_email),
            mail::CONFIRM_LINK_SECS,
            |token| mail::confirm_email_change(&head, new_email, token),
            Some(notice),
        )
        .await?;
        tracing::info!(user_id, "email change asked for; confirmation mailed");
        Ok(())
    }

    pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
        let state = app_state()?;
        if !LinkPurpose::well_formed(&token) {
            return Err(link_closed());
        }
        let session = auth::session().await?;
        let signed_in = auth::user_of_session(&state, &session).await?;
        let color = letterhead_color(&state).await?;
        let head = Letterhead {
            public_url: &state.settings.public_url,
            color: &color,
        };
        let now = unix_now();
        let mut tx = state.db.pool().begin().await?;
        let Some(used) = email_tokens::consume_in(
            &mut tx,
            &hash(&token),
            LinkPurpose::ChangeEmail.as_str(),
            now,
        )
        .await?
        else {
            return Err(link_closed());
        };
        let (Some(new_email), Some(before)) = (
            used.new_email.clone(),
            users::email_in(&mut tx, used.user_id).await?,
        ) else {
            return Err(link_closed());
        };
        if !users::move_to_confirmed_email_in(&mut tx, used.user_id, &new_email, now).await? {
            tx.rollback().await?;
            return Err(AppError::Conflict(
                "Another login uses that address by now, so your address did not change."
                    .to_string(),
            ));
        }
        // Whoever was signed in under the old address is signed out everywhere but here (when
        // this browser is the login's own).
        let keep = match (&signed_in, session.id()) {
            (Some(me), Some(id)) if me.id == used.user_id => Some(id),
            _ => None,
        };
        let ended = match &keep {
            Some(id) => sessions::delete_others_in(&mut *tx, used.user_id, id).await?,
            None => sessions::delete_for_user_in(&mut *tx, used.user_id).await?,
        };
        mail_outbox::enqueue_in(
            &mut *tx,
            &mail::email_changed(&head, &before, &new_email),
            now,
        )
        .await?;
        // Links mailed to the old address (a reset, another change) die with it.
        email_tokens::withdraw_all_in(&mut *tx, used.user_id, now).await?;
        tx.commit().await?;
        state.mail_wake.notify_one();
        tracing::info!(
            user_id = used.user_id,
            other_sessions_ended = ended,
            "email changed"
        );
        leptos_axum::redirect(if keep.is_some() {
            "/profile?email=changed"
        } else {
            "/sign-in?email=changed"
        });
        Ok(())
    }

    pub async fn check_link(token: String, purpose: String) -> Result<(), AppError> {
        let state = app_state()?;
        let Some(purpose) = purpose_of(&purpose) else {
            return Err(AppError::NotFound);
        };
        if LinkPurpose::well_formed(&token)
            && email_tokens::is_open(&state.db, &hash(&token), purpose.as_str(), unix_now()).await?
        {
            Ok(())
        } else {
            Err(link_closed())
        }
    }
}
