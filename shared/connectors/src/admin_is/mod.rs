//! Admin IS / Admin Consult (Syneton "Hermes Consult API") connector: customers and their change feed.
