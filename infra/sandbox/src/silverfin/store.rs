//! The firms' data: companies in list order per firm, periods per company, and the remarks and
//! documents pushed to them (indexed per period and per company, so a list is cheap).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::config::SilverfinConfig;
use super::generate;
use super::model::{Company, Document, Period, Remark};

/// Companies each extra firm gets.
pub const OTHER_FIRM_COMPANIES: usize = 5;

#[derive(Debug, Default)]
pub struct Store {
    /// `(id, name)` of every firm served.
    pub firms: Vec<(String, String)>,
    companies: BTreeMap<u64, Company>,
    /// Company ids per firm, in list order (archived ones removed).
    order: HashMap<String, Vec<u64>>,
    archived: HashSet<u64>,
    periods: HashMap<u64, Vec<Period>>,
    remarks: BTreeMap<u64, Remark>,
    remarks_by_period: HashMap<u64, Vec<u64>>,
    documents: BTreeMap<u64, Document>,
    documents_by_company: HashMap<u64, Vec<u64>>,
    next_id: u64,
}

impl Store {
    pub fn generate(config: &SilverfinConfig) -> Self {
        let mut store = Store { next_id: 5_000_000, ..Store::default() };
        let firms =
            std::iter::once((config.firm_id.clone(), config.firm_name.clone())).chain(config.other_firms.clone());
        for (index, (firm_id, name)) in firms.enumerate() {
            let count = if index == 0 { config.companies } else { OTHER_FIRM_COMPANIES };
            for i in 1..=count {
                let company = generate::company(config.seed, index, &firm_id, i);
                let periods = generate::periods(company.id, config.first_year, config.last_year);
                store.periods.insert(company.id, periods);
                store.order.entry(firm_id.clone()).or_default().push(company.id);
                store.companies.insert(company.id, company);
            }
            store.order.entry(firm_id.clone()).or_default();
            store.firms.push((firm_id, name));
        }
        store
    }

    fn next(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn firm_name(&self, firm: &str) -> Option<&str> {
        self.firms.iter().find(|(id, _)| id == firm).map(|(_, name)| name.as_str())
    }

    /// Companies of `firm` from `from`, at most `size`.
    pub fn companies_page(&self, firm: &str, from: usize, size: usize) -> Vec<&Company> {
        let ids = self.order.get(firm).map(Vec::as_slice).unwrap_or_default();
        ids.iter().skip(from).take(size).filter_map(|id| self.companies.get(id)).collect()
    }

    pub fn companies(&self, firm: &str) -> Vec<Company> {
        self.companies_page(firm, 0, usize::MAX).into_iter().cloned().collect()
    }

    /// A company of `firm` that is not archived.
    pub fn company(&self, firm: &str, id: u64) -> Option<&Company> {
        self.companies.get(&id).filter(|c| c.firm_id == firm && !self.archived.contains(&id))
    }

    pub fn add_company(&mut self, firm: &str, name: &str, file_code: &str, years: (i32, i32)) -> Option<u64> {
        self.firm_name(firm)?;
        let id = self.next();
        let company = Company {
            id,
            firm_id: firm.to_string(),
            name: name.to_string(),
            file_code: file_code.to_string(),
            city: "Gent".into(),
            country: "BE".into(),
            organisation_form: "BV".into(),
            created_at: "2026-01-01T09:00:00Z".into(),
        };
        self.periods.insert(id, generate::periods(id, years.0, years.1));
        self.order.entry(firm.to_string()).or_default().push(id);
        self.companies.insert(id, company);
        Some(id)
    }

    /// Archived: gone from the list, and every call on it answers 404.
    pub fn archive_company(&mut self, id: u64) -> bool {
        self.archived.insert(id);
        let mut found = false;
        for ids in self.order.values_mut() {
            let before = ids.len();
            ids.retain(|c| *c != id);
            found |= ids.len() != before;
        }
        found
    }

    pub fn periods(&self, company: u64) -> &[Period] {
        self.periods.get(&company).map(Vec::as_slice).unwrap_or_default()
    }

    pub fn set_periods(&mut self, company: u64, periods: Vec<Period>) {
        self.periods.insert(company, periods);
    }

    pub fn period(&self, company: u64, id: u64) -> Option<&Period> {
        self.periods(company).iter().find(|p| p.id == id)
    }

    pub fn add_remark(&mut self, company: u64, period: u64, text: String, todo: bool, now: String) -> Remark {
        let id = self.next();
        let remark = Remark { id, company_id: company, period_id: period, text, todo, done_at: None, created_at: now };
        self.remarks.insert(id, remark.clone());
        self.remarks_by_period.entry(period).or_default().push(id);
        remark
    }

    pub fn remarks_in(&self, period: u64) -> Vec<&Remark> {
        let ids = self.remarks_by_period.get(&period).map(Vec::as_slice).unwrap_or_default();
        ids.iter().filter_map(|id| self.remarks.get(id)).collect()
    }

    pub fn remark_mut(&mut self, period: u64, id: u64) -> Option<&mut Remark> {
        self.remarks.get_mut(&id).filter(|r| r.period_id == period)
    }

    pub fn delete_remark(&mut self, period: u64, id: u64) -> bool {
        if self.remarks.get(&id).is_none_or(|r| r.period_id != period) {
            return false;
        }
        self.remarks.remove(&id);
        if let Some(ids) = self.remarks_by_period.get_mut(&period) {
            ids.retain(|r| *r != id);
        }
        true
    }

    /// Every remark of a company, oldest first.
    pub fn remarks_of(&self, company: u64) -> Vec<Remark> {
        self.remarks.values().filter(|r| r.company_id == company).cloned().collect()
    }

    pub fn remark_count(&self) -> usize {
        self.remarks.len()
    }

    pub fn add_document(&mut self, mut document: Document) -> Document {
        document.id = self.next();
        self.documents_by_company.entry(document.company_id).or_default().push(document.id);
        self.documents.insert(document.id, document.clone());
        document
    }

    pub fn documents_in(&self, company: u64) -> Vec<&Document> {
        let ids = self.documents_by_company.get(&company).map(Vec::as_slice).unwrap_or_default();
        ids.iter().filter_map(|id| self.documents.get(id)).collect()
    }

    pub fn document(&self, company: u64, id: u64) -> Option<&Document> {
        self.documents.get(&id).filter(|d| d.company_id == company)
    }

    pub fn delete_document(&mut self, company: u64, id: u64) -> bool {
        if self.document(company, id).is_none() {
            return false;
        }
        self.documents.remove(&id);
        if let Some(ids) = self.documents_by_company.get_mut(&company) {
            ids.retain(|d| *d != id);
        }
        true
    }

    pub fn document_count(&self) -> usize {
        self.documents.len()
    }

    /// Every pushed remark and document gone; companies and periods stay.
    pub fn clear_items(&mut self) {
        self.remarks.clear();
        self.remarks_by_period.clear();
        self.documents.clear();
        self.documents_by_company.clear();
    }
}
