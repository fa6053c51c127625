//! The WSDL 1.1 served on `GET`: document/literal wrapped, the shapes [`super::write`] writes
//! and [`super::read`] reads (DataContract style: `WS…` → `request` → members).

use super::assumptions as a;
use super::xml_out::{Xml, escape};

const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
const WSDL_SOAP_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
const XS_NS: &str = "http://www.w3.org/2001/XMLSchema";
const HTTP_TRANSPORT: &str = "http://schemas.xmlsoap.org/soap/http";

/// Member type shorthands: `s` string, `b` boolean, `i` int, anything else a qualified type.
const STRINGS: &str = "arr:ArrayOfstring";
const DICT: &str = "arr:ArrayOfKeyValueOfstringstring";

/// Members of each request type (in DataContract order: the base's `ConnectionGuid` first).
fn request_members(type_name: &str) -> Vec<(&'static str, &'static str)> {
    let guid = (a::CONNECTION_GUID, "s");
    let actor_type = (a::ACTOR_TYPE, "s");
    let field_keys = (a::FIELD_KEYS, STRINGS);
    match type_name {
        "TestConfigDataRequestWS" => vec![(a::CONNECTION_INFO, DICT)],
        "SaveConnectionRequestWS" => vec![guid, (a::CONNECTION_INFO, DICT)],
        "GetSupportedActorTypeFieldsRequestWS" | "GetSearchableFieldsRequestWS" => vec![guid, actor_type],
        "GetActorsRequestWS" => vec![guid, actor_type, (a::ERP_KEYS, STRINGS), field_keys],
        "GetActorsByTimestampRequestWS" => vec![guid, actor_type, field_keys, (a::UPDATED_ON_OR_AFTER, "s")],
        "SearchActorsRequestWS" => vec![guid, actor_type, field_keys, (a::SEARCH_TEXT, "s")],
        "SearchActorByParentRequestWS" => vec![
            guid,
            actor_type,
            field_keys,
            (a::PARENT_ACTOR_ERP_KEY, "s"),
            (a::PARENT_ACTOR_TYPE, "s"),
            (a::SEARCH_TEXT, "s"),
        ],
        "SearchActorsAdvancedRequestWS" => {
            vec![guid, actor_type, field_keys, (a::RESTRICTIONS, "d:ArrayOfSearchRestrictionInfoWS")]
        }
        "CreateActorRequestWS" => vec![guid, (a::ACTOR, "d:ErpActorWS")],
        "SaveActorsRequestWS" => vec![guid, (a::ACTORS, "d:ArrayOfErpActorWS")],
        "GetListRequestWS" => vec![guid, (a::LIST_NAME, "s")],
        "GetListItemsRequestWS" => vec![guid, (a::LIST_ITEM_KEYS, STRINGS), (a::LIST_NAME, "s")],
        "AuthenticationRequest" => vec![(a::SIGNED_TOKEN, "s")],
        _ => vec![guid],
    }
}

/// Members of each result type after the `PluginResponse` base.
fn result_payload(type_name: &str) -> Option<(&'static str, &'static str)> {
    match type_name {
        "FieldMetadataInfoArrayPluginResponseWS" => Some((a::FIELD_META_DATA_OBJECTS, "d:ArrayOfFieldMetadataInfoWS")),
        "StringArrayPluginResponseWS" => Some((a::ITEMS, STRINGS)),
        "ActorArrayPluginResponseWS" => Some((a::ACTORS, "d:ArrayOfErpActorWS")),
        "ActorPluginResponseWS" => Some((a::ACTOR, "d:ErpActorWS")),
        "ListItemArrayPluginResponseWS" => Some((a::LIST_ITEMS, DICT)),
        _ => None,
    }
}

/// The WSDL, with `endpoint_url` (escaped) as both ports' address.
pub fn wsdl(endpoint_url: &str) -> String {
    let mut x = Xml::new();
    x.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    x.open(
        "wsdl:definitions",
        &[
            ("name", a::WSDL_SERVICE),
            ("targetNamespace", a::SERVICE_NS),
            ("xmlns:wsdl", WSDL_NS),
            ("xmlns:soap", WSDL_SOAP_NS),
            ("xmlns:xs", XS_NS),
            ("xmlns:tns", a::SERVICE_NS),
            ("xmlns:d", a::DATA_NS),
            ("xmlns:ad", a::AUTH_DATA_NS),
            ("xmlns:arr", a::ARRAYS_NS),
        ],
    );
    x.open("wsdl:types", &[]);
    arrays_schema(&mut x);
    data_schema(&mut x);
    auth_schema(&mut x);
    service_schema(&mut x);
    x.close("wsdl:types");
    for op in super::operation::all() {
        for (suffix, element) in [("InputMessage", op.to_string()), ("OutputMessage", a::response_element(op))] {
            let name = format!("{}_{op}_{suffix}", contract(op));
            x.open("wsdl:message", &[("name", name.as_str())]);
            x.raw(&format!(r#"<wsdl:part name="parameters" element="tns:{element}"/>"#));
            x.close("wsdl:message");
        }
    }
    for contract_name in [a::CONTRACT, a::AUTH_CONTRACT] {
        x.open("wsdl:portType", &[("name", contract_name)]);
        for op in super::operation::all().filter(|op| contract(op) == contract_name) {
            x.open("wsdl:operation", &[("name", op)]);
            x.raw(&format!(r#"<wsdl:input message="tns:{contract_name}_{op}_InputMessage"/>"#));
            x.raw(&format!(r#"<wsdl:output message="tns:{contract_name}_{op}_OutputMessage"/>"#));
            x.close("wsdl:operation");
        }
        x.close("wsdl:portType");
        let binding = format!("BasicHttpBinding_{contract_name}");
        let port_type = format!("tns:{contract_name}");
        x.open("wsdl:binding", &[("name", binding.as_str()), ("type", port_type.as_str())]);
        x.raw(&format!(r#"<soap:binding transport="{HTTP_TRANSPORT}"/>"#));
        for op in super::operation::all().filter(|op| contract(op) == contract_name) {
            x.open("wsdl:operation", &[("name", op)]);
            x.raw(&format!(r#"<soap:operation soapAction="{}" style="document"/>"#, escape(&a::soap_action(op))));
            x.raw(r#"<wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output>"#);
            x.close("wsdl:operation");
        }
        x.close("wsdl:binding");
    }
    x.open("wsdl:service", &[("name", a::WSDL_SERVICE)]);
    for contract_name in [a::CONTRACT, a::AUTH_CONTRACT] {
        let binding = format!("BasicHttpBinding_{contract_name}");
        let qualified = format!("tns:{binding}");
        x.open("wsdl:port", &[("name", binding.as_str()), ("binding", qualified.as_str())]);
        x.raw(&format!(r#"<soap:address location="{}"/>"#, escape(endpoint_url)));
        x.close("wsdl:port");
    }
    x.close("wsdl:service").close("wsdl:definitions");
    x.out
}

fn contract(op: &str) -> &'static str {
    if op == a::AUTHENTICATE { a::AUTH_CONTRACT } else { a::CONTRACT }
}

fn member(x: &mut Xml, name: &str, ty: &str) {
    let ty = match ty {
        "s" => "xs:string",
        "b" => "xs:boolean",
        "i" => "xs:int",
        other => other,
    };
    let nillable = if ty.starts_with("xs:") && ty != "xs:string" { "false" } else { "true" };
    x.raw(&format!(r#"<xs:element minOccurs="0" name="{name}" nillable="{nillable}" type="{ty}"/>"#));
}

fn complex(x: &mut Xml, name: &str, members: &[(&str, &str)]) {
    x.open("xs:complexType", &[("name", name)]).open("xs:sequence", &[]);
    for (m, ty) in members {
        member(x, m, ty);
    }
    x.close("xs:sequence").close("xs:complexType");
}

fn array(x: &mut Xml, name: &str, item: &str, ty: &str) {
    x.open("xs:complexType", &[("name", name)]).open("xs:sequence", &[]);
    x.raw(&format!(r#"<xs:element minOccurs="0" maxOccurs="unbounded" name="{item}" nillable="true" type="{ty}"/>"#));
    x.close("xs:sequence").close("xs:complexType");
}

fn enumeration(x: &mut Xml, name: &str, values: &[&str]) {
    x.open("xs:simpleType", &[("name", name)]).open("xs:restriction", &[("base", "xs:string")]);
    for v in values {
        x.raw(&format!(r#"<xs:enumeration value="{v}"/>"#));
    }
    x.close("xs:restriction").close("xs:simpleType");
}

fn arrays_schema(x: &mut Xml) {
    x.open("xs:schema", &[("elementFormDefault", "qualified"), ("targetNamespace", a::ARRAYS_NS)]);
    array(x, "ArrayOfstring", a::STRING_ITEM, "xs:string");
    x.open("xs:complexType", &[("name", "ArrayOfKeyValueOfstringstring")]).open("xs:sequence", &[]);
    x.open("xs:element", &[("minOccurs", "0"), ("maxOccurs", "unbounded"), ("name", a::DICT_ITEM)]);
    x.open("xs:complexType", &[]).open("xs:sequence", &[]);
    x.raw(&format!(r#"<xs:element name="{}" nillable="true" type="xs:string"/>"#, a::DICT_KEY));
    x.raw(&format!(r#"<xs:element name="{}" nillable="true" type="xs:string"/>"#, a::DICT_VALUE));
    x.close("xs:sequence").close("xs:complexType").close("xs:element");
    x.close("xs:sequence").close("xs:complexType");
    x.close("xs:schema");
}

fn data_schema(x: &mut Xml) {
    x.open("xs:schema", &[("elementFormDefault", "qualified"), ("targetNamespace", a::DATA_NS)]);
    x.raw(&format!(r#"<xs:import namespace="{}"/>"#, a::ARRAYS_NS));
    let mut seen: Vec<&str> = Vec::new();
    for &(_, request, result) in a::OPERATIONS.iter().filter(|(op, _, _)| *op != a::AUTHENTICATE) {
        if let Some(request) = request.filter(|r| !seen.contains(r)) {
            seen.push(request);
            complex(x, request, &request_members(request));
        }
        if !seen.contains(&result) {
            seen.push(result);
            let state = format!("d:{}", a::STATE_TYPE);
            let [code, is_ok, state_name, tech, user] = a::RESULT_BASE_MEMBERS;
            let mut members = vec![(code, "s"), (is_ok, "b"), (state_name, state.as_str()), (tech, "s"), (user, "s")];
            let payload = result_payload(result);
            members.extend(payload);
            complex(x, result, &members);
        }
    }
    let actor_members: Vec<(&str, &str)> =
        a::ACTOR_MEMBERS.iter().map(|m| (*m, if *m == a::FIELD_VALUES { DICT } else { "s" })).collect();
    complex(x, a::ACTOR_ITEM, &actor_members);
    array(x, "ArrayOfErpActorWS", a::ACTOR_ITEM, &format!("d:{}", a::ACTOR_ITEM));
    let access = format!("d:{}", a::ACCESS_TYPE);
    let field_type = format!("d:{}", a::FIELD_TYPE_TYPE);
    let field_members: Vec<(&str, &str)> = a::FIELD_MEMBERS
        .iter()
        .map(|m| match *m {
            "Access" => (*m, access.as_str()),
            "FieldType" => (*m, field_type.as_str()),
            "MaxLength" | "Rank" => (*m, "i"),
            _ => (*m, "s"),
        })
        .collect();
    complex(x, a::FIELD_ITEM, &field_members);
    array(x, "ArrayOfFieldMetadataInfoWS", a::FIELD_ITEM, &format!("d:{}", a::FIELD_ITEM));
    complex(
        x,
        a::RESTRICTION_ITEM,
        &[(a::RESTRICTION_FIELD_KEY, "s"), (a::RESTRICTION_OPERATOR, "s"), (a::RESTRICTION_VALUES, STRINGS)],
    );
    array(x, "ArrayOfSearchRestrictionInfoWS", a::RESTRICTION_ITEM, &format!("d:{}", a::RESTRICTION_ITEM));
    enumeration(x, a::STATE_TYPE, &["Ok", "OkWithInfo", "Warning", "Error"]);
    enumeration(
        x,
        a::FIELD_TYPE_TYPE,
        &["Checkbox", "Text", "Password", "Integer", "Double", "List", "Datetime", "Label"],
    );
    enumeration(x, a::ACCESS_TYPE, &["Normal", "Mandatory", "ReadOnly"]);
    x.close("xs:schema");
}

fn auth_schema(x: &mut Xml) {
    x.open("xs:schema", &[("elementFormDefault", "qualified"), ("targetNamespace", a::AUTH_DATA_NS)]);
    complex(x, "AuthenticationRequest", &request_members("AuthenticationRequest"));
    let [reason, token, succeeded] = a::AUTH_RESPONSE_MEMBERS;
    complex(x, "AuthenticationResponse", &[(reason, "s"), (token, "s"), (succeeded, "b")]);
    x.close("xs:schema");
}

fn service_schema(x: &mut Xml) {
    x.open("xs:schema", &[("elementFormDefault", "qualified"), ("targetNamespace", a::SERVICE_NS)]);
    x.raw(&format!(r#"<xs:import namespace="{}"/><xs:import namespace="{}"/>"#, a::DATA_NS, a::AUTH_DATA_NS));
    for (op, request, result) in a::OPERATIONS {
        let prefix = if op == a::AUTHENTICATE { "ad" } else { "d" };
        x.open("xs:element", &[("name", op)]).open("xs:complexType", &[]).open("xs:sequence", &[]);
        if let Some(request) = request {
            member(x, a::REQUEST_PARAM, &format!("{prefix}:{request}"));
        }
        x.close("xs:sequence").close("xs:complexType").close("xs:element");
        let response = a::response_element(op);
        x.open("xs:element", &[("name", response.as_str())]).open("xs:complexType", &[]).open("xs:sequence", &[]);
        member(x, &a::result_element(op), &format!("{prefix}:{result}"));
        x.close("xs:sequence").close("xs:complexType").close("xs:element");
    }
    x.close("xs:schema");
}
