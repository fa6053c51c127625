//! The newsletter part of the setup form (Flexmail) and its checks, for create and update.

use secrecy::SecretString;
use serde::Deserialize;

use crate::domain::catalog::ACCESS_TOKEN;
use crate::domain::contact::looks_like_email;
use crate::domain::newsletter::{
    DEFAULT_CALLS_PER_MINUTE, DEFAULT_LANGUAGE, DEFAULT_RECONCILE_HOURS, FieldMapping, LANGUAGES, NewsletterSettings,
    ReportOptions,
};
use crate::domain::settings_input::{self as input, FieldProblem};

/// Flexmail fields of the setup form. On update, absent fields keep their value.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct NewsletterForm {
    pub account_id: Option<String>,
    #[schema(value_type = Option<String>)]
    pub personal_access_token: Option<SecretString>,
    pub interests: Option<bool>,
    pub bounce_email: Option<String>,
    pub opt_in: Option<bool>,
    pub field_map: Option<Vec<MappingInput>>,
    pub language: Option<String>,
    pub calls_per_minute: Option<u32>,
    pub monthly_call_cap: Option<u32>,
    pub reconcile_every_hours: Option<u32>,
    pub report: Option<ReportOptions>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct MappingInput {
    pub platform_field: String,
    pub flexmail_field: String,
}

impl NewsletterForm {
    pub fn is_empty(&self) -> bool {
        self.account_id.is_none()
            && self.personal_access_token.is_none()
            && self.interests.is_none()
            && self.bounce_email.is_none()
            && self.opt_in.is_none()
            && self.field_map.is_none()
            && self.language.is_none()
            && self.calls_per_minute.is_none()
            && self.monthly_call_cap.is_none()
            && self.reconcile_every_hours.is_none()
            && self.report.is_none()
    }
}

pub fn check_token(token: Option<&SecretString>, problems: &mut Vec<FieldProblem>) {
    match token {
        None => problems.push(FieldProblem::new(ACCESS_TOKEN, "the personal access token is missing")),
        Some(t) => {
            if let Err(p) = input::check_key(ACCESS_TOKEN, "personal access token", t) {
                problems.push(p);
            }
        }
    }
}

fn check_account(raw: &str) -> Result<String, FieldProblem> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 12 || !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldProblem::new(
            "account_id",
            format!("{s:?} is not a Flexmail account id; it is a number, e.g. 100200, shown in Flexmail"),
        ));
    }
    Ok(s.to_string())
}

fn check_email(field: &str, raw: &str) -> Result<Option<String>, FieldProblem> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if looks_like_email(s) {
        Ok(Some(s.to_string()))
    } else {
        Err(FieldProblem::new(field, format!("{s:?} is not an e-mail address")))
    }
}

fn check_map(rows: &[MappingInput]) -> Result<Vec<FieldMapping>, FieldProblem> {
    if rows.len() > 50 {
        return Err(FieldProblem::new("field_map", "at most 50 custom field mappings"));
    }
    let mut out: Vec<FieldMapping> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let (p, f) = (r.platform_field.trim(), r.flexmail_field.trim());
        if p.is_empty() || f.is_empty() || p.len() > 64 || f.len() > 100 {
            return Err(FieldProblem::new(
                "field_map",
                format!("row {}: give a platform field (≤ 64 characters) and a Flexmail field name (≤ 100)", i + 1),
            ));
        }
        if out.iter().any(|m| m.flexmail_field == f) {
            return Err(FieldProblem::new("field_map", format!("row {}: {f:?} is mapped twice", i + 1)));
        }
        out.push(FieldMapping { platform_field: p.into(), flexmail_field: f.into(), placeholder: None });
    }
    Ok(out)
}

/// Apply the form onto `current` (or defaults for a new connection), collecting every problem.
pub fn apply(
    form: &NewsletterForm,
    current: Option<&NewsletterSettings>,
    problems: &mut Vec<FieldProblem>,
) -> Option<NewsletterSettings> {
    let account = match (&form.account_id, current) {
        (Some(a), _) => check_account(a).map_err(|p| problems.push(p)).ok(),
        (None, Some(c)) => Some(c.account_id.clone()),
        (None, None) => {
            problems.push(FieldProblem::new("account_id", "the Flexmail account id is missing"));
            None
        }
    };
    let bounce = match &form.bounce_email {
        Some(b) => check_email("bounce_email", b).map_err(|p| problems.push(p)).ok().flatten(),
        None => current.and_then(|c| c.bounce_email.clone()),
    };
    let field_map = match &form.field_map {
        Some(rows) => check_map(rows).map_err(|p| problems.push(p)).ok().unwrap_or_default(),
        None => current.map(|c| c.field_map.clone()).unwrap_or_default(),
    };
    let language = form
        .language
        .as_deref()
        .map(str::trim)
        .map(str::to_string)
        .or_else(|| current.map(|c| c.language.clone()))
        .unwrap_or_else(|| DEFAULT_LANGUAGE.into());
    if !LANGUAGES.contains(&language.as_str()) {
        problems.push(FieldProblem::new("language", format!("{language:?} is not one of {}", LANGUAGES.join(", "))));
    }
    let per_minute = form.calls_per_minute.or(current.map(|c| c.calls_per_minute)).unwrap_or(DEFAULT_CALLS_PER_MINUTE);
    if !(1..=DEFAULT_CALLS_PER_MINUTE).contains(&per_minute) {
        problems.push(FieldProblem::new("calls_per_minute", "between 1 and 60 (Flexmail allows 60 calls a minute)"));
    }
    let cap = match form.monthly_call_cap {
        Some(0) => None,
        Some(c) if c < 100 => {
            problems.push(FieldProblem::new("monthly_call_cap", "at least 100 calls, or 0 for no cap"));
            None
        }
        Some(c) => Some(c),
        None => current.and_then(|c| c.monthly_call_cap),
    };
    let hours =
        form.reconcile_every_hours.or(current.map(|c| c.reconcile_every_hours)).unwrap_or(DEFAULT_RECONCILE_HOURS);
    if !(1..=24 * 31).contains(&hours) {
        problems.push(FieldProblem::new("reconcile_every_hours", "between 1 hour and 31 days (744 hours)"));
    }
    let report = form.report.clone().or(current.map(|c| c.report.clone())).unwrap_or_default();
    if let Some(to) = report.to.as_deref()
        && let Err(p) = check_email("report.to", to)
    {
        problems.push(p);
    }
    let account = account?;
    let keep_learned = |f: &FieldMapping| {
        current
            .and_then(|c| c.field_map.iter().find(|m| m.flexmail_field == f.flexmail_field))
            .and_then(|m| m.placeholder.clone())
    };
    Some(NewsletterSettings {
        account_id: account,
        interests: form.interests.or(current.map(|c| c.interests)).unwrap_or(true),
        bounce_email: bounce,
        opt_in: form.opt_in.or(current.map(|c| c.opt_in)).unwrap_or(false),
        field_map: field_map.iter().map(|f| FieldMapping { placeholder: keep_learned(f), ..f.clone() }).collect(),
        language,
        calls_per_minute: per_minute,
        monthly_call_cap: cap,
        reconcile_every_hours: hours,
        report,
        source_id: current.and_then(|c| c.source_id.clone()),
        webhook: current.and_then(|c| c.webhook.clone()),
        last_reconciled_at: current.and_then(|c| c.last_reconciled_at),
    })
}

/// Whether the change needs a new test (the credentials or the custom fields to check changed).
pub fn needs_new_test(form: &NewsletterForm, before: &NewsletterSettings, after: &NewsletterSettings) -> bool {
    form.personal_access_token.is_some()
        || before.account_id != after.account_id
        || before.field_map.iter().map(|m| &m.flexmail_field).ne(after.field_map.iter().map(|m| &m.flexmail_field))
}
