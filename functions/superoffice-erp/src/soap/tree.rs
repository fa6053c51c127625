//! A small element tree of a SOAP envelope, built with quick-xml's namespace reader. Nodes live
//! in one arena (no recursion when building or dropping), and the input is bounded: depth,
//! element count, no DTD, only the predefined entities.

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 64;
/// Most elements accepted in one envelope.
pub const MAX_ELEMENTS: usize = 500_000;

#[derive(Debug)]
pub struct Node {
    /// Local name (prefix stripped).
    pub local: String,
    /// Index into [`Tree::namespaces`]; 0 = no namespace.
    pub ns: usize,
    pub children: Vec<usize>,
    /// Character data directly inside (entities resolved, CDATA included).
    pub text: String,
    /// `xsi:nil="true"`.
    pub nil: bool,
}

#[derive(Debug)]
pub struct Tree {
    pub nodes: Vec<Node>,
    /// `namespaces[0]` is the empty namespace.
    pub namespaces: Vec<String>,
}

impl Tree {
    pub fn root(&self) -> Option<usize> {
        (!self.nodes.is_empty()).then_some(0)
    }
    pub fn node(&self, id: usize) -> &Node {
        &self.nodes[id]
    }
    pub fn namespace(&self, id: usize) -> &str {
        &self.namespaces[self.nodes[id].ns]
    }
    /// Child elements of `id` with local name `name` (case-sensitive).
    pub fn children_named<'a>(&'a self, id: usize, name: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.nodes[id].children.iter().copied().filter(move |c| self.nodes[*c].local == name)
    }
    pub fn child(&self, id: usize, name: &str) -> Option<usize> {
        self.children_named(id, name).next()
    }
    /// The first element named `name` below `id`, breadth first, at most `max_depth` levels down.
    pub fn find(&self, id: usize, name: &str, max_depth: usize) -> Option<usize> {
        let mut level = vec![id];
        for _ in 0..max_depth {
            let next: Vec<usize> = level.iter().flat_map(|n| self.nodes[*n].children.iter().copied()).collect();
            if let Some(hit) = next.iter().copied().find(|c| self.nodes[*c].local == name) {
                return Some(hit);
            }
            level = next;
        }
        None
    }
    /// Text of an element (empty for `nil`).
    pub fn text(&self, id: usize) -> &str {
        let node = &self.nodes[id];
        if node.nil { "" } else { &node.text }
    }
}

/// Why the body is not an XML document Koppel reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeError {
    #[error("the request body is not UTF-8")]
    NotUtf8,
    #[error("the request body is not well-formed XML ({0})")]
    Syntax(String),
    #[error("the request body holds a DTD, which is not accepted")]
    Dtd,
    #[error("the request body uses the unknown entity &{0};")]
    UnknownEntity(String),
    #[error("the request body nests elements deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("the request body holds more than {MAX_ELEMENTS} elements")]
    TooManyElements,
    #[error("the request body holds no XML element")]
    Empty,
}

/// Longest quick-xml message repeated in an error.
const MAX_SYNTAX_MESSAGE: usize = 200;

pub fn parse(body: &[u8]) -> Result<Tree, TreeError> {
    let text = std::str::from_utf8(body).map_err(|_| TreeError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut tree = Tree { nodes: Vec::new(), namespaces: vec![String::new()] };
    let mut open: Vec<usize> = Vec::new();
    let mut closed_root = false;
    loop {
        let (resolved, event) = reader.read_resolved_event().map_err(|e| syntax(&e.to_string()))?;
        let ns = match resolved {
            ResolveResult::Bound(ns) => Some(ns.as_ref().to_vec()),
            ResolveResult::Unbound => None,
            ResolveResult::Unknown(prefix) => {
                return Err(syntax(&format!("unknown namespace prefix {}", String::from_utf8_lossy(&prefix))));
            }
        };
        match event {
            Event::Start(start) | Event::Empty(start) if closed_root => {
                let _ = start;
                return Err(syntax("more than one root element"));
            }
            Event::Start(start) => {
                let id = push(&mut tree, &mut open, &start, ns, &reader)?;
                open.push(id);
                if open.len() > MAX_DEPTH {
                    return Err(TreeError::TooDeep);
                }
            }
            Event::Empty(start) => {
                push(&mut tree, &mut open, &start, ns, &reader)?;
                closed_root |= open.is_empty();
            }
            Event::End(_) => {
                open.pop();
                closed_root |= open.is_empty();
            }
            Event::Text(t) => {
                let decoded = t.xml10_content().map_err(|e| syntax(&e.to_string()))?;
                append_text(&mut tree, &open, &decoded)?;
            }
            Event::CData(c) => {
                let decoded = c.decode().map_err(|e| syntax(&e.to_string()))?;
                append_text(&mut tree, &open, &decoded)?;
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| syntax(&e.to_string()))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| syntax(&e.to_string()))?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| TreeError::UnknownEntity(name.chars().take(20).collect()))?
                            .to_string()
                    }
                };
                append_text(&mut tree, &open, &resolved)?;
            }
            Event::DocType(_) => return Err(TreeError::Dtd),
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !open.is_empty() {
        return Err(syntax("the document ends inside an element"));
    }
    if tree.nodes.is_empty() {
        return Err(TreeError::Empty);
    }
    Ok(tree)
}

fn push(
    tree: &mut Tree,
    open: &mut [usize],
    start: &BytesStart<'_>,
    ns: Option<Vec<u8>>,
    reader: &NsReader<&[u8]>,
) -> Result<usize, TreeError> {
    if tree.nodes.len() >= MAX_ELEMENTS {
        return Err(TreeError::TooManyElements);
    }
    let local = String::from_utf8(start.local_name().as_ref().to_vec()).map_err(|_| TreeError::NotUtf8)?;
    let ns = match ns {
        None => 0,
        Some(bytes) => {
            let uri = String::from_utf8(bytes).map_err(|_| TreeError::NotUtf8)?;
            match tree.namespaces.iter().position(|n| *n == uri) {
                Some(i) => i,
                None => {
                    tree.namespaces.push(uri);
                    tree.namespaces.len() - 1
                }
            }
        }
    };
    let mut nil = false;
    for attr in start.attributes().with_checks(true) {
        let attr = attr.map_err(|e| syntax(&e.to_string()))?;
        let (_, name) = reader.resolve_attribute(attr.key);
        if name.as_ref() == b"nil" {
            let value = attr.unescape_value().map_err(|e| syntax(&e.to_string()))?;
            nil = value.trim() == "true" || value.trim() == "1";
        }
    }
    let id = tree.nodes.len();
    tree.nodes.push(Node { local, ns, children: Vec::new(), text: String::new(), nil });
    if let Some(parent) = open.last() {
        tree.nodes[*parent].children.push(id);
    }
    Ok(id)
}

fn append_text(tree: &mut Tree, open: &[usize], text: &str) -> Result<(), TreeError> {
    match open.last() {
        Some(id) => {
            tree.nodes[*id].text.push_str(text);
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err(syntax("text outside the root element")),
    }
}

fn syntax(message: &str) -> TreeError {
    TreeError::Syntax(message.chars().take(MAX_SYNTAX_MESSAGE).collect())
}
