//! Which operation a request calls: from `SOAPAction`, else from the body's first element.

use super::WireError;
use super::assumptions::OPERATIONS;

/// Longest name repeated in an error.
const MAX_NAME_ECHO: usize = 60;

/// The operation named `name` exactly (`WSGetActors`, `Authenticate`).
pub fn known(name: &str) -> Option<&'static str> {
    OPERATIONS.iter().map(|(op, _, _)| *op).find(|op| *op == name)
}

/// Every operation name, `Authenticate` last.
pub fn all() -> impl Iterator<Item = &'static str> {
    OPERATIONS.iter().map(|(op, _, _)| *op)
}

/// The operation part of a `SOAPAction` value: quotes and blanks trimmed, the part after the
/// last `/`, `#` or `:`. `None` when the header is absent or empty.
fn action_name(action: Option<&str>) -> Option<&str> {
    let raw = action?.trim().trim_matches('"').trim();
    let name = raw.rsplit(['/', '#', ':']).next().unwrap_or(raw);
    (!name.is_empty()).then_some(name)
}

/// What a body element name says: an operation wrapper, or a request type used by one or
/// more operations (message-contract style).
fn body_candidates(element: &str) -> Vec<&'static str> {
    if let Some(op) = known(element) {
        return vec![op];
    }
    OPERATIONS.iter().filter(|(_, ty, _)| *ty == Some(element)).map(|(op, _, _)| *op).collect()
}

pub fn resolve(action: Option<&str>, body_element: &str) -> Result<&'static str, WireError> {
    let from_action = action_name(action);
    let action_op = from_action.and_then(known);
    let candidates = body_candidates(body_element);
    match (action_op, candidates.as_slice()) {
        (Some(op), [only]) if *only != op => {
            Err(WireError::new(None, format!("SOAPAction names {op} but the body holds {}", echo(body_element))))
        }
        (Some(op), many) if many.len() > 1 && !many.contains(&op) => {
            Err(WireError::new(None, format!("SOAPAction names {op} but the body holds {}", echo(body_element))))
        }
        (Some(op), _) => Ok(op),
        (None, [only]) => Ok(only),
        (None, []) => {
            let named = from_action.map_or_else(|| echo(body_element), echo);
            Err(WireError::new(
                None,
                format!("unknown operation {named}; known: {}", all().collect::<Vec<_>>().join(", ")),
            ))
        }
        (None, many) => Err(WireError::new(
            None,
            format!(
                "the body element {} serves several operations ({}); send the SOAPAction header",
                echo(body_element),
                many.join(", ")
            ),
        )),
    }
}

fn echo(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(MAX_NAME_ECHO).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_action_wins_and_may_carry_any_namespace() {
        assert_eq!(
            resolve(Some("\"http://tempuri.org/IErpConnectorWS/WSGetActors\""), "WSGetActors"),
            Ok("WSGetActors")
        );
        assert_eq!(resolve(Some("urn:x#WSGetList"), "GetListRequestWS"), Ok("WSGetList"));
        assert_eq!(resolve(Some("WSTestConnection"), "RequestBaseWS"), Ok("WSTestConnection"));
        assert_eq!(
            resolve(Some("http://x/IIntegrationServiceConnectorAuth/Authenticate"), "Authenticate"),
            Ok("Authenticate")
        );
    }

    #[test]
    fn the_body_names_the_operation_without_an_action() {
        assert_eq!(resolve(None, "WSGetConfigData"), Ok("WSGetConfigData"));
        assert_eq!(resolve(Some(""), "WSSaveActors"), Ok("WSSaveActors"));
        assert_eq!(resolve(Some("\"\""), "SaveActorsRequestWS"), Ok("WSSaveActors"));
        assert_eq!(resolve(Some("http://x/Unknown"), "WSGetList"), Ok("WSGetList"));
    }

    #[test]
    fn unknown_ambiguous_and_contradicting_requests_are_refused() {
        let unknown = resolve(None, "WSDropTables").expect_err("unknown");
        assert!(unknown.message.contains("unknown operation WSDropTables"), "{unknown}");
        assert_eq!(unknown.operation, None);
        let ambiguous = resolve(None, "RequestBaseWS").expect_err("ambiguous");
        assert!(ambiguous.message.contains("send the SOAPAction header"), "{ambiguous}");
        let mismatch = resolve(Some("WSGetActors"), "WSSaveActors").expect_err("mismatch");
        assert!(mismatch.message.contains("SOAPAction names WSGetActors but the body holds WSSaveActors"));
        let mismatch = resolve(Some("WSGetList"), "RequestBaseWS").expect_err("type of other operations");
        assert!(mismatch.message.contains("RequestBaseWS"));
    }
}
