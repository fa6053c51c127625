//! Answers SuperOffice's ERP Sync Connector calls for one route (tenant + superoffice connection).
