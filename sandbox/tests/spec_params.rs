//! The emulator's request parameters (`sandbox::spec`, the one table every handler checks requests
//! against) compared with Stripe's own schema; any difference fails.
//!
//! Sources, per operation (`Operation::source`):
//! - Stripe's OpenAPI spec subset, `../shared/stripe-openapi/stripe-connect-subset.json`: the
//!   `application/x-www-form-urlencoded` (v1) or `application/json` (v2) request body of the
//!   operation, or its query parameters for GET and DELETE, with `$ref`s and `anyOf`s resolved.
//! - For operations the subset leaves out (its `x-missing-schemas` names the objects it left out):
//!   the parameter TypedDicts Stripe generates from the same spec for its Python SDK (stripe==12.5.1,
//!   `sandbox/tests/sdk/requirements.txt`), read at test time from the installed package by
//!   `sandbox/tests/sdk/params_schema.py` with `<workspace>/tools/venv/bin/python` (or
//!   `$SANDBOX_VENV/bin/python`). Without that venv those operations are skipped with a message;
//!   `scripts/test` always installs it.
//!
//! The rules, at every depth:
//! - every name the emulator accepts exists in Stripe's schema at the same place, with a compatible
//!   type; enums the emulator checks are a subset of Stripe's values;
//! - every name Stripe accepts is in the table: implemented, or `todo(…)` (refused as an unknown
//!   parameter, exactly as before the table existed), so a gap is a decision, not drift;
//! - required-ness agrees (the table's `required` is enforced by `spec::check`);
//! - the only exceptions are parameters marked `.beyond_spec(why)`, each naming its source; such a
//!   mark fails once Stripe's schema agrees with it (it is then stale).
//!
//! Also: every Stripe route of the emulator has an operation in the table, every operation is used
//! by a handler, and `sandbox/FIDELITY.md` lists the table's operations and sources as they are.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod common;

use common::openapi;
use sandbox::spec::{Kind, Operation, Param, Source, OPERATIONS};
use serde_json::{json, Value};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Python with stripe-python installed, if any.
fn sdk_python() -> Option<PathBuf> {
    let venv = std::env::var_os("SANDBOX_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("../tools/venv"));
    let python = venv.join("bin/python");
    python.exists().then_some(python)
}

/// The SDK's parameter schemas of `names` (`module:Class.Params`), one Python run for all.
fn sdk_schemas(python: &Path, names: &[&str]) -> BTreeMap<String, Value> {
    let out = std::process::Command::new(python)
        .arg(manifest_dir().join("tests/sdk/params_schema.py"))
        .args(names)
        .output()
        .expect("run params_schema.py");
    assert!(
        out.status.success(),
        "params_schema.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from params_schema.py")
}

struct Spec {
    doc: Value,
}

impl Spec {
    fn resolve<'a>(&'a self, mut s: &'a Value) -> &'a Value {
        while let Some(r) = s.get("$ref").and_then(Value::as_str) {
            let name = r.rsplit('/').next().unwrap_or_default();
            s = &self.doc["components"]["schemas"][name];
        }
        s
    }

    /// The alternatives a value may take, `""` (Stripe's "unset") left out.
    fn alternatives<'a>(&'a self, s: &'a Value) -> Vec<&'a Value> {
        let s = self.resolve(s);
        match s.get("anyOf").and_then(Value::as_array) {
            Some(alts) => alts
                .iter()
                .flat_map(|a| self.alternatives(a))
                .filter(|a| !(a["type"] == "string" && a["enum"] == json!([""])))
                .collect(),
            None => vec![s],
        }
    }

    /// The parameters of an OpenAPI operation as one object schema.
    fn operation(&self, op: &Operation, id: &str) -> Result<Value, String> {
        let method = op.method.to_ascii_lowercase();
        let found = &self.doc["paths"][op.path][&method];
        if found.is_null() {
            return Err(format!("the subset has no {} {}", op.method, op.path));
        }
        if found["operationId"] != id {
            return Err(format!(
                "{} {} is {} in the subset, not {id}",
                op.method, op.path, found["operationId"]
            ));
        }
        if op.method == "POST" {
            let content = &found["requestBody"]["content"];
            let body = ["application/x-www-form-urlencoded", "application/json"]
                .iter()
                .map(|t| &content[*t]["schema"])
                .find(|s| !s.is_null())
                .ok_or_else(|| format!("{id}: no form or JSON request body"))?;
            return Ok(self.resolve(body).clone());
        }
        let mut props = serde_json::Map::new();
        let mut required = Vec::new();
        for p in found["parameters"].as_array().into_iter().flatten() {
            if p["in"] == "query" {
                let name = p["name"].as_str().unwrap_or_default().to_string();
                if p["required"] == true {
                    required.push(json!(name));
                }
                props.insert(name, p["schema"].clone());
            }
        }
        Ok(json!({"type": "object", "properties": props, "required": required}))
    }
}

fn is_scalar(s: &Value) -> bool {
    matches!(
        s["type"].as_str(),
        Some("string" | "integer" | "boolean" | "number")
    )
}

fn object_with_props(s: &Value) -> bool {
    s["type"] == "object" && s["properties"].is_object()
}

/// Whether `kind` fits one of Stripe's alternatives; nested hashes are compared by the caller.
fn fits<'a>(spec: &'a Spec, kind: &Kind, alts: &[&'a Value]) -> Option<Fit<'a>> {
    match kind {
        Kind::NotImplemented => Some(Fit::Leaf),
        Kind::Text => alts
            .iter()
            .any(|s| s["type"] == "string")
            .then_some(Fit::Leaf),
        Kind::Integer => alts
            .iter()
            .any(|s| s["type"] == "integer")
            .then_some(Fit::Leaf),
        Kind::Decimal => alts
            .iter()
            .any(|s| s["type"] == "number" || s["format"] == "decimal")
            .then_some(Fit::Leaf),
        Kind::Boolean => alts
            .iter()
            .any(|s| s["type"] == "boolean")
            .then_some(Fit::Leaf),
        Kind::OneOf(values) => alts
            .iter()
            .any(|s| {
                let stripe: Vec<&str> = s["enum"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                s["type"] == "string" && values.iter().all(|v| stripe.contains(v))
            })
            .then_some(Fit::Leaf),
        Kind::OneOfEach(values) => alts
            .iter()
            .filter(|s| s["type"] == "array")
            .flat_map(|s| spec.alternatives(&s["items"]))
            .any(|i| {
                let stripe = i["enum"].as_array().cloned().unwrap_or_default();
                values.iter().all(|v| stripe.contains(&json!(v)))
            })
            .then_some(Fit::Leaf),
        Kind::Texts => alts
            .iter()
            .any(|s| {
                s["type"] == "array" && spec.alternatives(&s["items"]).iter().all(|i| is_scalar(i))
            })
            .then_some(Fit::Leaf),
        Kind::Metadata => alts
            .iter()
            .any(|s| s["type"] == "object" && !s["properties"].is_object())
            .then_some(Fit::Leaf),
        Kind::Range => (alts.iter().any(|s| s["type"] == "integer")
            && alts.iter().any(|s| {
                s["properties"].as_object().is_some_and(|p| {
                    p.keys().cloned().collect::<BTreeSet<_>>()
                        == ["gt", "gte", "lt", "lte"].map(String::from).into()
                })
            }))
        .then_some(Fit::Leaf),
        Kind::Hash(_) => alts
            .iter()
            .find(|s| object_with_props(s))
            .map(|s| Fit::Object(s)),
        Kind::Hashes(_) => alts
            .iter()
            .filter(|s| s["type"] == "array")
            .flat_map(|s| spec.alternatives(&s["items"]))
            .find(|s| object_with_props(s))
            .map(Fit::Object),
    }
}

enum Fit<'a> {
    Leaf,
    Object(&'a Value),
}

fn describe(alts: &[&Value]) -> String {
    alts.iter()
        .map(|s| {
            let mut d = s["type"].as_str().unwrap_or("?").to_string();
            if let Some(e) = s["enum"].as_array() {
                d.push_str(&format!(" {}", Value::Array(e.clone())));
            }
            d
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Compares the table's parameters of one hash with Stripe's object schema `schema`.
fn compare(spec: &Spec, params: &[Param], schema: &Value, path: &str, problems: &mut Vec<String>) {
    let props = schema["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut seen = BTreeSet::new();
    for p in params {
        let name = if path.is_empty() {
            p.name.to_string()
        } else {
            format!("{path}[{}]", p.name)
        };
        if !seen.insert(p.name) {
            problems.push(format!("{name}: listed twice"));
        }
        let Some(stripe) = props.get(p.name) else {
            if p.beyond_spec.is_none() {
                problems.push(format!(
                    "{name}: accepted by the emulator, absent from Stripe's schema"
                ));
            }
            continue;
        };
        let stripe_required = required.contains(p.name);
        let alts = spec.alternatives(stripe);
        let fit = fits(spec, &p.kind, &alts);
        let implemented = p.kind != Kind::NotImplemented;
        if p.beyond_spec.is_some() {
            if fit.is_some() && (stripe_required == p.required || !implemented) {
                problems.push(format!(
                    "{name}: marked beyond_spec, but Stripe's schema now agrees with the table"
                ));
            }
        } else {
            if !implemented && stripe_required {
                problems.push(format!("{name}: required by Stripe, not implemented"));
            }
            if implemented && stripe_required != p.required {
                problems.push(format!(
                    "{name}: required by {} only",
                    if p.required { "the emulator" } else { "Stripe" }
                ));
            }
            if fit.is_none() {
                problems.push(format!(
                    "{name}: the emulator reads {}, Stripe's schema has {}",
                    short(&p.kind),
                    describe(&alts)
                ));
            }
        }
        if let (Some(Fit::Object(obj)), Kind::Hash(children) | Kind::Hashes(children)) =
            (fit, p.kind)
        {
            compare(spec, children, obj, &name, problems);
        }
    }
    for name in props.keys() {
        if !seen.contains(name.as_str()) {
            let full = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}[{name}]")
            };
            problems.push(format!(
                "{full}: accepted by Stripe, missing from the table (implement it or list it as todo)"
            ));
        }
    }
}

fn short(kind: &Kind) -> String {
    match kind {
        Kind::Hash(_) => "Hash".into(),
        Kind::Hashes(_) => "Hashes".into(),
        other => format!("{other:?}"),
    }
}

#[test]
fn every_operation_matches_stripes_schema() {
    let spec = Spec { doc: openapi() };
    let sdk_names: Vec<&str> = OPERATIONS
        .iter()
        .filter_map(|op| match op.source {
            Source::Sdk(name) => Some(name),
            Source::OpenApi(_) => None,
        })
        .collect();
    let sdk = match sdk_python() {
        Some(python) => Some(sdk_schemas(&python, &sdk_names)),
        None => {
            println!(
                "SKIPPED: {} operations anchored in stripe-python ({}) — no tools/venv with stripe==12.5.1 \
                 (set SANDBOX_VENV or run scripts/setup --test)",
                sdk_names.len(),
                sdk_names.join(", ")
            );
            None
        }
    };
    let mut problems = Vec::new();
    for op in OPERATIONS {
        let schema = match op.source {
            Source::OpenApi(id) => spec.operation(op, id),
            Source::Sdk(name) => match &sdk {
                Some(all) => all
                    .get(name)
                    .cloned()
                    .ok_or_else(|| format!("stripe-python has no {name}")),
                None => continue,
            },
        };
        let mut found = Vec::new();
        match schema {
            Ok(schema) => compare(&spec, op.params, &schema, "", &mut found),
            Err(e) => found.push(e),
        }
        problems.extend(
            found
                .into_iter()
                .map(|p| format!("{} {}: {p}", op.method, op.path)),
        );
    }
    assert!(
        problems.is_empty(),
        "{} differences from Stripe's schema:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// `{account}`, `{id}` → `{}`.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push('{');
            }
            '}' => {
                inside = false;
                out.push('}');
            }
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

#[test]
fn every_stripe_route_has_an_operation_and_every_operation_a_handler() {
    let src = manifest_dir().join("src");
    let mut routes = BTreeSet::new();
    let mut sources = String::new();
    for entry in std::fs::read_dir(&src).expect("src") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("source");
            for part in text.split(".route(").skip(1) {
                let Some(route) = part.trim_start().strip_prefix('"') else {
                    continue;
                };
                let route = route.split('"').next().unwrap_or_default();
                if (route.starts_with("/v1/") || route.starts_with("/v2/")) && !route.contains("{*")
                {
                    routes.insert(shape(route));
                }
            }
            sources.push_str(&text);
        }
    }
    let table: BTreeSet<String> = OPERATIONS.iter().map(|op| shape(op.path)).collect();
    let missing: Vec<&String> = routes.difference(&table).collect();
    assert!(
        missing.is_empty(),
        "routes without an operation in sandbox::spec: {missing:?}"
    );
    let table_src =
        std::fs::read_to_string(src.join("spec/table.rs")).expect("spec/table.rs source");
    for name in table_src
        .lines()
        .filter_map(|l| l.strip_prefix("pub const "))
        .filter_map(|l| l.strip_suffix(": Operation = Operation {"))
    {
        assert!(
            sources.contains(&format!("spec::{name}")),
            "no handler checks requests against spec::{name}"
        );
    }
}

fn fidelity_table() -> String {
    let mut out = String::from(
        "| Operation | Stripe's schema | Implemented | Not implemented (refused as unknown) | Beyond the schema |\n\
         | --- | --- | --- | --- | --- |\n",
    );
    for op in OPERATIONS {
        let mut done = Vec::new();
        let mut todo = Vec::new();
        let mut beyond = Vec::new();
        walk(op.params, "", &mut done, &mut todo, &mut beyond);
        let source = match op.source {
            Source::OpenApi(id) => format!("OpenAPI `{id}`"),
            Source::Sdk(name) => format!("stripe-python `{name}`"),
        };
        out.push_str(&format!(
            "| `{} {}` | {source} | {} | {} | {} |\n",
            op.method,
            op.path,
            done.len(),
            todo.len(),
            if beyond.is_empty() {
                "—".to_string()
            } else {
                beyond.join("; ")
            }
        ));
    }
    out
}

fn walk(
    params: &[Param],
    path: &str,
    done: &mut Vec<String>,
    todo: &mut Vec<String>,
    beyond: &mut Vec<String>,
) {
    for p in params {
        let name = if path.is_empty() {
            p.name.to_string()
        } else {
            format!("{path}[{}]", p.name)
        };
        if let Some(why) = p.beyond_spec {
            beyond.push(format!("`{name}`: {why}"));
        }
        match p.kind {
            Kind::NotImplemented => todo.push(name),
            Kind::Hash(children) | Kind::Hashes(children) => {
                done.push(name.clone());
                walk(children, &name, done, todo, beyond);
            }
            _ => done.push(name),
        }
    }
}

#[test]
fn fidelity_md_lists_the_table() {
    const BEGIN: &str = "<!-- BEGIN generated by sandbox/tests/spec_params.rs -->\n";
    const END: &str = "<!-- END generated -->";
    let path = manifest_dir().join("FIDELITY.md");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let expected = fidelity_table();
    let current = text
        .split_once(BEGIN)
        .and_then(|(_, rest)| rest.split_once(END))
        .map(|(table, _)| table);
    if current != Some(expected.as_str()) {
        if std::env::var_os("UPDATE_FIDELITY").is_some() {
            let (head, tail) = match text.split_once(BEGIN) {
                Some((head, rest)) => (head, rest.split_once(END).map(|(_, t)| t).unwrap_or("")),
                None => (text.as_str(), "\n"),
            };
            std::fs::write(&path, format!("{head}{BEGIN}{expected}{END}{tail}"))
                .expect("write FIDELITY.md");
        } else {
            panic!(
                "sandbox/FIDELITY.md is not the table's (UPDATE_FIDELITY=1 cargo test -p sandbox \
                 --test spec_params rewrites it); expected:\n{expected}"
            );
        }
    }
}
