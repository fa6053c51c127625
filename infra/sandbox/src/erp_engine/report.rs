//! What a lifecycle run found: every step with pass/fail and why.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub name: String,
    pub passed: bool,
    /// What was checked and seen (on failure: what was wrong).
    pub why: String,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub steps: Vec<Step>,
}

impl Report {
    pub fn pass(&mut self, name: &str, why: impl Into<String>) {
        self.steps.push(Step { name: name.into(), passed: true, why: why.into() });
    }

    pub fn fail(&mut self, name: &str, why: impl Into<String>) {
        self.steps.push(Step { name: name.into(), passed: false, why: why.into() });
    }

    /// Record a step from a list of problems (none = passed).
    pub fn check(&mut self, name: &str, problems: Vec<String>, ok_why: impl Into<String>) -> bool {
        if problems.is_empty() {
            self.pass(name, ok_why);
            true
        } else {
            self.fail(name, problems.join("; "));
            false
        }
    }

    pub fn passed(&self) -> bool {
        !self.steps.is_empty() && self.steps.iter().all(|s| s.passed)
    }

    pub fn failures(&self) -> Vec<&Step> {
        self.steps.iter().filter(|s| !s.passed).collect()
    }

    pub fn step(&self, name: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.name == name)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let failed = self.failures().len();
        writeln!(f, "ERP engine lifecycle: {} steps, {} failed", self.steps.len(), failed)?;
        for s in &self.steps {
            writeln!(f, "  [{}] {}: {}", if s.passed { "pass" } else { "FAIL" }, s.name, s.why)?;
        }
        Ok(())
    }
}
