//! Admin IS / Consult API stand-in: token from key, apisettings, customers with link paging, change feed, throttling.
