//! OAuth start and callback routes.
