//! `POST /json/2/{model}/{method}`: the body's `ids` and `context`, the remaining arguments
//! checked by name like the JSON-2 controller's `signature.bind` (an unknown or missing argument
//! is a 422) [C: addons/rpc/controllers/json2.py], then the ORM method or a model's own.

use serde_json::{Map, Value, json};

use super::domain::Domain;
use super::error::OdooError;
use super::mail;
use super::model::{self, ModelSpec, parse_order};
use super::store::Database;

/// The arguments of one call.
pub struct Args {
    pub model: String,
    pub method: String,
    pub ids: Vec<i64>,
    pub active_test: bool,
    pub uid: i64,
    kwargs: Map<String, Value>,
}

impl Args {
    pub fn parse(model: &str, method: &str, body: Value, uid: i64) -> Result<Self, OdooError> {
        let mut kwargs = match body {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            _ => return Err(OdooError::unprocessable("the request body must be a JSON object")),
        };
        let ids = match kwargs.remove("ids") {
            None | Some(Value::Null) => vec![],
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_i64().ok_or_else(|| OdooError::unprocessable(format!("ids: {v} is not an id"))))
                .collect::<Result<_, _>>()?,
            Some(other) => return Err(OdooError::unprocessable(format!("ids must be a list, got {other}"))),
        };
        let context = kwargs.remove("context");
        let active_test = context.as_ref().and_then(|c| c.get("active_test")).and_then(Value::as_bool).unwrap_or(true);
        Ok(Self { model: model.to_string(), method: method.to_string(), ids, active_test, uid, kwargs })
    }

    /// `allowed` are the method's parameters; `api_model` methods take no `ids`.
    pub fn signature(&self, allowed: &[&str], required: &[&str], api_model: bool) -> Result<(), OdooError> {
        if api_model && !self.ids.is_empty() {
            return Err(OdooError::unprocessable(format!("cannot call {}.{} with ids", self.model, self.method)));
        }
        if let Some(extra) = self.kwargs.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(OdooError::unprocessable(format!("got an unexpected keyword argument {extra:?}")));
        }
        if let Some(missing) = required.iter().find(|r| !self.kwargs.contains_key(**r)) {
            return Err(OdooError::unprocessable(format!("missing a required argument: {missing:?}")));
        }
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.kwargs.get(name).filter(|v| !v.is_null())
    }

    pub fn kwargs(&self) -> &Map<String, Value> {
        &self.kwargs
    }

    fn count(&self, name: &str) -> Result<Option<usize>, OdooError> {
        match self.get(name) {
            None | Some(Value::Bool(false)) => Ok(None),
            Some(v) => v
                .as_u64()
                .map(|n| Some(n as usize))
                .ok_or_else(|| OdooError::value(format!("{name} must be a whole number, got {v}"))),
        }
    }

    fn fields(&self) -> Result<Option<Vec<String>>, OdooError> {
        match self.get("fields") {
            None | Some(Value::Bool(false)) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(str::to_string).ok_or_else(|| OdooError::value(format!("fields: {v}"))))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(other) => Err(OdooError::value(format!("fields must be a list, got {other}"))),
        }
    }

    fn domain(&self) -> Result<Domain, OdooError> {
        Domain::parse(self.get("domain"))
    }
}

const SEARCH: &[&str] = &["domain", "fields", "offset", "limit", "order"];

pub fn dispatch(db: &mut Database, args: &Args) -> Result<Value, OdooError> {
    if args.model == "ir.model.data" {
        return match args.method.as_str() {
            "check_object_reference" => mail::check_object_reference(args),
            other => Err(no_method(&args.model, other)),
        };
    }
    let Some(spec) = model::spec(&args.model) else {
        return Err(OdooError::not_found(format!("the model {:?} does not exist", args.model)));
    };
    match args.method.as_str() {
        "search_read" => {
            args.signature(SEARCH, &[], true)?;
            let ids = search(db, spec, args)?;
            Ok(Value::Array(db.read(spec, &ids, args.fields()?.as_deref())?))
        }
        "search" => {
            args.signature(&["domain", "offset", "limit", "order"], &[], true)?;
            Ok(json!(search(db, spec, args)?))
        }
        "search_count" => {
            args.signature(&["domain", "limit"], &[], true)?;
            let n =
                db.search(spec, &args.domain()?, args.active_test, &[("id".into(), false)], 0, args.count("limit")?)?;
            Ok(json!(n.len()))
        }
        "read" => {
            args.signature(&["fields", "load"], &[], false)?;
            Ok(Value::Array(db.read(spec, &args.ids, args.fields()?.as_deref())?))
        }
        "name_search" => {
            args.signature(&["name", "domain", "operator", "limit"], &[], true)?;
            let name = args.get("name").and_then(Value::as_str).unwrap_or_default();
            let domain = Domain::And(
                Box::new(args.domain()?),
                Box::new(Domain::parse(Some(&json!([["name", "ilike", name]])))?),
            );
            let order = parse_order(Some("name asc"), spec)?;
            let ids = db.search(spec, &domain, args.active_test, &order, 0, args.count("limit")?.or(Some(100)))?;
            let rows = db.read(spec, &ids, Some(&["display_name".to_string()]))?;
            Ok(Value::Array(rows.iter().map(|r| json!([r["id"], r["display_name"]])).collect()))
        }
        "create" => {
            args.signature(&["vals_list"], &["vals_list"], true)?;
            let list = match args.get("vals_list") {
                Some(Value::Array(list)) => list.clone(),
                Some(Value::Object(one)) => vec![Value::Object(one.clone())],
                other => return Err(OdooError::value(format!("vals_list must be a list of objects, got {other:?}"))),
            };
            let mut ids = Vec::with_capacity(list.len());
            for vals in list {
                let Value::Object(vals) = vals else {
                    return Err(OdooError::value("vals_list must be a list of objects".into()));
                };
                ids.push(db.create(spec, vals, args.uid)?);
            }
            Ok(json!(ids))
        }
        "write" => {
            args.signature(&["vals"], &["vals"], false)?;
            let Some(Value::Object(vals)) = args.get("vals") else {
                return Err(OdooError::value("vals must be an object".into()));
            };
            db.write(spec, &args.ids, vals.clone())?;
            Ok(json!(true))
        }
        "unlink" => {
            args.signature(&[], &[], false)?;
            db.unlink(spec, &args.ids)?;
            Ok(json!(true))
        }
        "message_post" if spec.chatter => mail::message_post(db, spec, args),
        "action_feedback" if spec.name == model::ACTIVITY => mail::action_feedback(db, args),
        "context_get" if spec.name == model::USERS => {
            args.signature(&[], &[], true)?;
            Ok(json!({"lang": "en_US", "tz": "Europe/Brussels", "uid": args.uid}))
        }
        other => Err(no_method(spec.name, other)),
    }
}

fn search(db: &Database, spec: &ModelSpec, args: &Args) -> Result<Vec<i64>, OdooError> {
    let order = parse_order(args.get("order").and_then(Value::as_str), spec)?;
    let offset = args.count("offset")?.unwrap_or(0);
    db.search(spec, &args.domain()?, args.active_test, &order, offset, args.count("limit")?)
}

fn no_method(model: &str, method: &str) -> OdooError {
    OdooError::not_found(format!("The method '{model}.{method}' does not exist"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odoo::config::BOT_UID;
    use chrono::Utc;

    fn call(db: &mut Database, model: &str, method: &str, body: Value) -> Result<Value, OdooError> {
        dispatch(db, &Args::parse(model, method, body, BOT_UID)?)
    }

    #[test]
    fn arguments_are_bound_by_name() {
        let mut db = Database::generate(3, 5, 2, Utc::now());
        let status = |r: Result<Value, OdooError>| r.err().map(|e| e.status);
        assert_eq!(status(call(&mut db, "res.partner", "search_read", json!({"bogus": 1}))), Some(422));
        assert_eq!(status(call(&mut db, "res.partner", "create", json!({}))), Some(422));
        assert_eq!(status(call(&mut db, "res.partner", "create", json!({"ids": [1], "vals_list": []}))), Some(422));
        assert_eq!(status(call(&mut db, "res.partner", "write", json!({"ids": [1001], "values": {}}))), Some(422));
        assert_eq!(status(call(&mut db, "no.model", "search_read", json!({}))), Some(404));
        assert_eq!(status(call(&mut db, "res.partner", "frobnicate", json!({}))), Some(404));
        assert_eq!(
            status(call(&mut db, "res.partner", "write", json!({"ids": [9], "vals": {"name": "x"}}))),
            Some(404)
        );
        let ids =
            call(&mut db, "res.partner", "search", json!({"domain": [["id", "in", [1001, 1002]]], "order": "id desc"}));
        assert_eq!(ids.ok(), Some(json!([1002, 1001])));
    }

    #[test]
    fn message_post_escapes_plain_text_and_links_attachments() {
        let mut db = Database::generate(3, 5, 2, Utc::now());
        let att = call(&mut db, "ir.attachment", "create", json!({"vals_list": [{"name": "a", "datas": "YQ=="}]}));
        let att = att.ok().and_then(|v| v[0].as_i64()).unwrap_or_default();
        let plain = call(&mut db, "res.partner", "message_post", json!({"ids": [1001], "body": "<b>x</b>"}));
        let html = call(
            &mut db,
            "res.partner",
            "message_post",
            json!({"ids": [1001], "body": "<b>x</b>", "body_is_html": true, "attachment_ids": [att], "subtype_xmlid": "mail.mt_note"}),
        );
        let read = |db: &Database, id: Option<Value>| {
            let id = id.and_then(|v| v[0].as_i64()).unwrap_or_default();
            db.table(model::MESSAGE).and_then(|t| t.get(id)).cloned().unwrap_or_default()
        };
        assert_eq!(read(&db, plain.ok())["body"], json!("&lt;b&gt;x&lt;/b&gt;"));
        let m = read(&db, html.ok());
        assert_eq!((m["body"].clone(), m["attachment_ids"].clone()), (json!("<b>x</b>"), json!([att])));
        let a = db.table(model::ATTACHMENT).and_then(|t| t.get(att)).cloned().unwrap_or_default();
        assert_eq!((a["res_model"].clone(), a["res_id"].clone()), (json!("res.partner"), json!(1001)), "re-pointed");
        let gone = call(&mut db, "res.partner", "message_post", json!({"ids": [4242], "body": "x"}));
        assert!(gone.is_err_and(|e| e.status == 404));
    }
}
