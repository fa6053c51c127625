//! Platform customers: add, list, read, and read a customer's invoices and payments.

use serde::Deserialize;

use crate::domain::records::{Address, Customer, Invoice, Payment};
use crate::domain::settings_input::FieldProblem;
use crate::platform::customers as platform;
use crate::platform::records::{INVOICE, PAYMENT};
use crate::{AppError, Deps, keys, repo};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewCustomer {
    pub name: String,
    pub customer_number: Option<String>,
    pub vat_number: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub coc_number: Option<String>,
    #[serde(default)]
    pub address: Address,
}

fn clean(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

pub async fn create(deps: &Deps, tenant: &str, form: NewCustomer) -> Result<Customer, AppError> {
    let name = form.name.trim().to_string();
    let mut problems = Vec::new();
    if name.is_empty() || name.chars().count() > 200 {
        problems.push(FieldProblem::new("name", "a customer needs a name of 1 to 200 characters"));
    }
    if let Some(e) = form.email.as_deref().map(str::trim).filter(|e| !e.is_empty())
        && (!e.contains('@') || e.contains(char::is_whitespace))
    {
        problems.push(FieldProblem::new("email", format!("{e:?} is not an e-mail address")));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let now = deps.clock.now();
    let c = Customer {
        field_sources: Default::default(),
        id: format!("cus_{}", deps.ids.new_id().to_lowercase()),
        name,
        customer_number: clean(form.customer_number),
        vat_number: clean(form.vat_number),
        email: clean(form.email),
        phone: clean(form.phone),
        coc_number: clean(form.coc_number),
        address: form.address,
        merged_into: None,
        created_by: "api".into(),
        created_at: now,
        updated_at: now,
    };
    deps.store.batch_write(platform::writes(tenant, None, &c)).await?;
    Ok(c)
}

pub async fn get(deps: &Deps, tenant: &str, id: &str) -> Result<Customer, AppError> {
    platform::get(deps.store.as_ref(), tenant, id).await?.ok_or_else(|| AppError::NotFound(format!("customer {id}")))
}

pub async fn list(
    deps: &Deps,
    tenant: &str,
    limit: usize,
    token: Option<&str>,
) -> Result<(Vec<Customer>, Option<String>), AppError> {
    repo::query_page(deps.store.as_ref(), &keys::tenant(tenant), keys::CUSTOMER_PREFIX, limit.clamp(1, 500), token)
        .await
}

async fn owned<T: serde::de::DeserializeOwned>(
    deps: &Deps,
    tenant: &str,
    customer: &str,
    kind: &str,
) -> Result<Vec<T>, AppError> {
    get(deps, tenant, customer).await?;
    let store = deps.store.as_ref();
    let pk = keys::tenant(tenant);
    let prefix = format!("{}{kind}#", keys::by_customer_prefix(customer));
    let ids: Vec<(String, String)> = repo::query_all(store, &pk, &prefix)
        .await?
        .into_iter()
        .filter_map(|i| i.sk.strip_prefix(&prefix).map(|id| (pk.clone(), format!("{kind}#{id}"))))
        .collect();
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(100) {
        for item in store.batch_get(chunk).await? {
            out.push(repo::decode(&item)?);
        }
    }
    Ok(out)
}

pub async fn invoices(deps: &Deps, tenant: &str, customer: &str) -> Result<Vec<Invoice>, AppError> {
    let mut v: Vec<Invoice> = owned(deps, tenant, customer, INVOICE).await?;
    v.sort_by_key(|i| std::cmp::Reverse(i.invoice_date));
    Ok(v)
}

pub async fn payments(deps: &Deps, tenant: &str, customer: &str) -> Result<Vec<Payment>, AppError> {
    owned(deps, tenant, customer, PAYMENT).await
}
