//! The module graph of `core`, `app` and `server`, read from their `use` lines: no import
//! cycle between sibling modules, and nothing imports items from a crate's root (the root only
//! wires modules together). A module may use its own parent's items (that is one unit: a
//! folder and its `mod.rs`), and parents use their children. Test files are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's path inside its crate: `["hub", "task"]`; the root is empty.
type ModPath = Vec<String>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn module_of(src: &Path, file: &Path) -> ModPath {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: ModPath = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts
}

/// Every `crate::a::b` and `super::a` path in the text (not `$crate::`, not macros), up to the
/// file's inline test module (whose `super` would be the file itself).
fn references(module: &ModPath, text: &str) -> Vec<ModPath> {
    let parent = &module[..module.len().saturating_sub(1)];
    let mut found = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        if code.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        for (prefix, base) in [("crate::", &[][..]), ("super::", parent)] {
            let mut rest = code;
            while let Some(at) = rest.find(prefix) {
                let before = rest[..at].chars().last();
                let after = &rest[at + prefix.len()..];
                rest = after;
                if matches!(before, Some(c) if c == '$' || c == ':' || c.is_alphanumeric() || c == '_') {
                    continue;
                }
                found.extend(paths_after(base, after));
            }
        }
    }
    found
}

/// `a::b::Item` or `{a::X, b::Y}` after a prefix, as module paths (segments in snake case; a
/// trailing `!` marks a macro, which is not a module item to worry about).
fn paths_after(prefix: &[String], text: &str) -> Vec<ModPath> {
    if let Some(group) = text.strip_prefix('{') {
        let inner = group.split('}').next().unwrap_or("");
        return inner.split(',').flat_map(|part| paths_after(prefix, part.trim())).collect();
    }
    let mut path: ModPath = prefix.to_vec();
    let mut rest = text;
    loop {
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if name.is_empty() {
            break;
        }
        rest = &rest[name.len()..];
        if rest.starts_with('!') {
            return Vec::new();
        }
        path.push(name);
        match rest.strip_prefix("::") {
            Some(more) if more.starts_with('{') => {
                return paths_after(&path, more);
            }
            Some(more) => rest = more,
            None => break,
        }
    }
    vec![path]
}

/// The longest known module that `path` starts with (what it imports from).
fn target(modules: &BTreeSet<ModPath>, path: &ModPath) -> ModPath {
    (0..=path.len()).rev().map(|n| path[..n].to_vec()).find(|p| modules.contains(p)).unwrap_or_default()
}

fn is_prefix(a: &[String], b: &[String]) -> bool {
    b.len() >= a.len() && b[..a.len()] == *a
}

fn find_cycle(edges: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Option<Vec<ModPath>> {
    fn visit(
        node: &ModPath,
        edges: &BTreeMap<ModPath, BTreeSet<ModPath>>,
        stack: &mut Vec<ModPath>,
        done: &mut BTreeSet<ModPath>,
    ) -> Option<Vec<ModPath>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            return Some(stack[at..].to_vec());
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    edges.keys().find_map(|node| visit(node, edges, &mut Vec::new(), &mut done))
}

/// The problems in one crate's `src`, as sentences.
fn problems(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    // Tests sit beside what they test but may use anything: they are not part of the graph.
    files.retain(|f| {
        let name = f.file_stem().unwrap_or_default().to_string_lossy();
        name != "tests" && !name.ends_with("_tests")
    });
    let modules: BTreeSet<ModPath> = files.iter().map(|f| module_of(src, f)).collect();
    let mut problems = Vec::new();
    let mut edges: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    for file in &files {
        let from = module_of(src, file);
        let text = std::fs::read_to_string(file).unwrap();
        for path in references(&from, &text) {
            let to = target(&modules, &path);
            if to.is_empty() && !from.is_empty() {
                problems.push(format!("{} imports `{}` from the crate root", file.display(), path.join("::")));
                continue;
            }
            // A module using its ancestors' or descendants' items stays inside one unit.
            if is_prefix(&to, &from) || is_prefix(&from, &to) {
                continue;
            }
            // Otherwise the edge is between the two children of their closest common ancestor.
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            edges.entry(from[..=common].to_vec()).or_default().insert(to[..=common].to_vec());
        }
    }
    // Every cycle, one at a time: report it, cut one of its edges, look again.
    while let Some(cycle) = find_cycle(&edges) {
        let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
        problems.push(format!("{}: import cycle {}", src.display(), names.join(" → ")));
        let next = cycle.get(1).unwrap_or(&cycle[0]).clone();
        edges.entry(cycle[0].clone()).or_default().remove(&next);
    }
    problems
}

#[test]
fn no_crate_has_an_import_cycle_or_imports_from_its_root() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut all = Vec::new();
    for krate in ["core", "app", "server"] {
        let src = workspace.join(krate).join("src");
        assert!(src.join("lib.rs").exists(), "{} has no lib.rs", src.display());
        all.extend(problems(&src));
    }
    assert!(all.is_empty(), "module graph:\n{}", all.join("\n"));
}

#[test]
fn the_check_sees_a_cycle_and_a_root_import() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("sync")).unwrap();
    std::fs::write(src.join("lib.rs"), "pub mod sync;\npub fn now_ms() -> i64 { 0 }\n").unwrap();
    std::fs::write(src.join("sync/mod.rs"), "mod live;\nmod socket;\n").unwrap();
    std::fs::write(src.join("sync/live.rs"), "use super::socket::Link;\n").unwrap();
    std::fs::write(
        src.join("sync/socket.rs"),
        "use crate::sync::live::{Live, Refusal};\nfn f() { crate::now_ms(); }\n",
    )
    .unwrap();
    let found = problems(src);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("imports `now_ms` from the crate root"), "{found:?}");
    assert!(found[1].contains("import cycle sync::live → sync::socket"), "{found:?}");
}
