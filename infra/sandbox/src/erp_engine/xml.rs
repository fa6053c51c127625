//! A small element tree over quick-xml, by local name (prefixes and namespaces are not compared:
//! the engine reads what a connector answers, whatever prefixes it chose).

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

/// One element: its local name, attributes (local names), child elements and text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    pub text: String,
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct XmlError(pub String);

impl Node {
    /// The first child element with this local name.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The first element with this local name at any depth below (depth first), not `self`.
    pub fn find(&self, name: &str) -> Option<&Node> {
        self.children.iter().find_map(|c| if c.name == name { Some(c) } else { c.find(name) })
    }

    /// Every element with this local name at any depth below.
    pub fn find_all<'a>(&'a self, name: &str, out: &mut Vec<&'a Node>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            c.find_all(name, out);
        }
    }

    /// The text of a child element, empty when it is missing or nil.
    pub fn text_of(&self, name: &str) -> String {
        self.child(name).map(|c| c.text.clone()).unwrap_or_default()
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// `xsi:nil="true"`.
    pub fn is_nil(&self) -> bool {
        self.attr("nil") == Some("true")
    }
}

/// Read a whole document and return its root element.
pub fn parse(xml: &str) -> Result<Node, XmlError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let event = reader.read_event().map_err(|e| XmlError(format!("at byte {}: {e}", reader.buffer_position())))?;
        match event {
            Event::Start(e) => stack.push(open(&e)?),
            Event::Empty(e) => {
                let node = open(&e)?;
                close(node, &mut stack, &mut root)?;
            }
            Event::End(_) => {
                let node = stack.pop().ok_or_else(|| XmlError("a closing tag without an opening one".into()))?;
                close(node, &mut stack, &mut root)?;
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| XmlError(e.to_string()))?;
                push_text(&mut stack, &text)?;
            }
            Event::CData(t) => {
                let text = t.decode().map_err(|e| XmlError(e.to_string()))?;
                push_text(&mut stack, &text)?;
            }
            Event::GeneralRef(r) => {
                let text = if let Some(c) = r.resolve_char_ref().map_err(|e| XmlError(e.to_string()))? {
                    c.to_string()
                } else {
                    let name = r.decode().map_err(|e| XmlError(e.to_string()))?;
                    resolve_predefined_entity(&name)
                        .ok_or_else(|| XmlError(format!("unknown entity &{name};")))?
                        .to_string()
                };
                push_text(&mut stack, &text)?;
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlError(format!("the document ends inside <{}>", stack.last().map_or("", |n| n.name.as_str()))));
    }
    root.ok_or_else(|| XmlError("no element in the document".into()))
}

fn local(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    match s.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => s.into_owned(),
    }
}

fn open(e: &BytesStart<'_>) -> Result<Node, XmlError> {
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|e| XmlError(e.to_string()))?;
        let value = a.unescape_value().map_err(|e| XmlError(e.to_string()))?;
        attrs.push((local(a.key.as_ref()), value.into_owned()));
    }
    Ok(Node { name: local(e.name().as_ref()), attrs, children: Vec::new(), text: String::new() })
}

fn close(node: Node, stack: &mut [Node], root: &mut Option<Node>) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(node),
        None if root.is_none() => *root = Some(node),
        None => return Err(XmlError("more than one root element".into())),
    }
    Ok(())
}

fn push_text(stack: &mut [Node], text: &str) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(n) => n.text.push_str(text),
        None if text.trim().is_empty() => {}
        None => return Err(XmlError("text outside the root element".into())),
    }
    Ok(())
}

/// Escape text for an element or attribute.
pub fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}
