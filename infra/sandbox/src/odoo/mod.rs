//! odoo stand-in (being written).
