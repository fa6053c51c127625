//! odoo meeting connector (being written).
