//! The architecture's invariants checked as a test: which crate may depend on which, which
//! crates may speak SQL or HTTP, what the server's `api/`, `site/` and `http/` may import, and
//! that no files of a crate import each other in a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The normal (not dev, not build) dependencies of `crates/{folder}`, by package name.
fn dependencies(folder: &str) -> BTreeSet<String> {
    let path = root().join("crates").join(folder).join("Cargo.toml");
    let manifest = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut in_dependencies = false;
    let mut found = BTreeSet::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
            continue;
        }
        if in_dependencies && let Some((name, _)) = line.split_once(['=', '.']) {
            let name = name.trim();
            if !name.is_empty() && !name.starts_with('#') {
                found.insert(name.to_string());
            }
        }
    }
    found
}

fn crate_folders() -> Vec<String> {
    let mut folders: Vec<String> = std::fs::read_dir(root().join("crates"))
        .expect("crates/")
        .flatten()
        .filter(|entry| entry.path().join("Cargo.toml").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    folders
}

/// Each crate's own crates: the layers, bottom up. A crate may use only those named here.
const LAYERS: &[(&str, &[&str])] = &[
    ("article", &[]),
    ("extract", &["lector-article"]),
    ("speech", &["lector-article"]),
    ("store", &["lector-article"]),
    ("store-sqlite", &["lector-article", "lector-store"]),
    ("store-postgres", &["lector-article", "lector-store"]),
    ("core", &["lector-article", "lector-extract", "lector-speech", "lector-store"]),
    ("server", &["lector-article", "lector-core", "lector-speech", "lector-store"]),
    (
        "cli",
        &[
            "lector-article",
            "lector-extract",
            "lector-speech",
            "lector-store",
            "lector-store-sqlite",
            "lector-store-postgres",
            "lector-core",
            "lector-server",
        ],
    ),
];

#[test]
fn each_crate_uses_only_the_layers_below_it() {
    let folders = crate_folders();
    let named: Vec<&str> = LAYERS.iter().map(|(folder, _)| *folder).collect();
    assert_eq!(
        folders.iter().map(String::as_str).collect::<BTreeSet<_>>(),
        named.iter().copied().collect::<BTreeSet<_>>(),
        "every crate has its place in LAYERS"
    );
    let mut wrong = Vec::new();
    for (folder, allowed) in LAYERS {
        for dependency in dependencies(folder).iter().filter(|d| d.starts_with("lector-")) {
            if !allowed.contains(&dependency.as_str()) {
                wrong.push(format!("{folder} uses {dependency}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:?}");
}

/// Which crates may use a library: SQL only in the store backends, HTTP serving only in the
/// server, `anyhow` only in the binary.
#[test]
fn sql_http_and_anyhow_stay_in_their_crates() {
    let rules: [(&str, &[&str]); 4] = [
        ("sqlx", &["store", "store-sqlite", "store-postgres"]),
        ("axum", &["server"]),
        ("utoipa", &["server"]),
        ("anyhow", &["cli"]),
    ];
    let mut wrong = Vec::new();
    for folder in crate_folders() {
        let used = dependencies(&folder);
        for (library, owners) in rules {
            if used.contains(library) && !owners.contains(&folder.as_str()) {
                wrong.push(format!("{folder} uses {library}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:?}");
    // The store's SQL helpers are there for its backends only, behind a feature.
    let store = std::fs::read_to_string(root().join("crates/store/Cargo.toml")).expect("store manifest");
    assert!(store.contains("sqlx = { workspace = true, optional = true"), "lector-store's sqlx is optional");
}

/// A Rust file's module: `src/a/b.rs` and `src/a/b/mod.rs` are `a::b`; `lib.rs` is the root.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> =
        relative.iter().map(|part| part.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts
}

/// The code of a file without comments, re-exports (`pub use`: a module's face, not its use
/// of another) and its tests (tests may use anything).
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod ").next().unwrap_or("");
    let mut in_reexport = false;
    text.lines()
        .filter(|line| {
            let trimmed = line.trim_start();
            in_reexport |= trimmed.starts_with("pub use ") || trimmed.starts_with("pub(crate) use ");
            let keep = !in_reexport;
            in_reexport &= !trimmed.trim_end().ends_with(';');
            keep
        })
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Paths written after `prefix::` in `code`, with `{a, b::c}` groups expanded.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let needle = format!("{prefix}::");
    let mut rest = code;
    while let Some(at) = rest.find(&needle) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + needle.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let (tree, _) = path_tree(rest);
        paths.extend(tree);
    }
    paths
}

/// Reads a use-tree at the start of `text`: the paths it names and the bytes it took.
fn path_tree(text: &str) -> (Vec<Vec<String>>, usize) {
    let mut at = 0;
    let mut prefix = Vec::new();
    loop {
        let rest = &text[at..];
        if let Some(inner) = rest.strip_prefix('{') {
            let mut paths = Vec::new();
            let mut taken = 1;
            let mut inner = inner;
            loop {
                let trimmed = inner.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
                taken += inner.len() - trimmed.len();
                inner = trimmed;
                if inner.is_empty() || inner.starts_with('}') {
                    taken += usize::from(!inner.is_empty());
                    break;
                }
                let (subtree, used) = path_tree(inner);
                if used == 0 {
                    break;
                }
                paths.extend(subtree.into_iter().map(|tail| [prefix.clone(), tail].concat()));
                inner = &inner[used..];
                taken += used;
            }
            return (paths, at + taken);
        }
        let length = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        if length == 0 {
            return (if prefix.is_empty() { Vec::new() } else { vec![prefix] }, at);
        }
        prefix.push(rest[..length].to_string());
        at += length;
        match text[at..].strip_prefix("::") {
            Some(_) => at += 2,
            None => return (vec![prefix], at),
        }
    }
}

/// The file of the longest leading part of `path` that is a module of the crate.
fn file_of(modules: &BTreeMap<Vec<String>, PathBuf>, path: &[String]) -> Option<PathBuf> {
    (0..=path.len()).rev().find_map(|n| modules.get(&path[..n]).cloned())
}

/// For each file of a crate, the other files of that crate it imports from. The crate root
/// (`lib.rs`, `main.rs`) is left out: it declares the modules and is the crate's face, its
/// entry points and shared types, so every file may use it and it may use every file.
fn imports(src: &Path) -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let mut files = Vec::new();
    collect(src, &mut files);
    let modules: BTreeMap<Vec<String>, PathBuf> =
        files.iter().map(|file| (module_of(src, file), file.clone())).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let module = module_of(src, file);
        let code = code_of(&std::fs::read_to_string(file).unwrap_or_default());
        let mut targets: Vec<Vec<String>> = paths_after(&code, "crate");
        for path in paths_after(&code, "super") {
            let mut absolute = module.clone();
            absolute.pop();
            targets.push([absolute, path].concat());
        }
        for path in paths_after(&code, "self") {
            targets.push([module.clone(), path].concat());
        }
        // A child module named by its own name: `body::render` in the file that says `mod body;`.
        for child in modules.keys().filter(|m| m.len() == module.len() + 1 && m.starts_with(&module)) {
            let name = child.last().expect("a child has a name");
            for path in paths_after(&code, name) {
                targets.push([child.clone(), path].concat());
            }
        }
        if module.is_empty() {
            continue;
        }
        let edges: BTreeSet<PathBuf> = targets
            .iter()
            .filter_map(|path| file_of(&modules, path))
            .filter(|target| target != file && !module_of(src, target).is_empty())
            .collect();
        graph.insert(file.clone(), edges);
    }
    graph
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A circle in the graph, as the files along it, if there is one.
fn circle(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Option<Vec<PathBuf>> {
    fn visit(
        file: &PathBuf,
        graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        state: &mut BTreeMap<PathBuf, bool>,
        trail: &mut Vec<PathBuf>,
    ) -> Option<Vec<PathBuf>> {
        match state.get(file) {
            Some(true) => return None,
            Some(false) => {
                let start = trail.iter().position(|f| f == file).unwrap_or(0);
                return Some([&trail[start..], std::slice::from_ref(file)].concat());
            }
            None => {}
        }
        state.insert(file.clone(), false);
        trail.push(file.clone());
        for next in graph.get(file).into_iter().flatten() {
            if let Some(found) = visit(next, graph, state, trail) {
                return Some(found);
            }
        }
        trail.pop();
        state.insert(file.clone(), true);
        None
    }
    let mut state = BTreeMap::new();
    graph.keys().find_map(|file| visit(file, graph, &mut state, &mut Vec::new()))
}

#[test]
fn no_files_import_each_other_in_a_circle() {
    let mut circles = Vec::new();
    for folder in crate_folders() {
        let src = root().join("crates").join(&folder).join("src");
        if let Some(found) = circle(&imports(&src)) {
            let names: Vec<String> =
                found.iter().map(|f| f.strip_prefix(&src).unwrap_or(f).display().to_string()).collect();
            circles.push(format!("crates/{folder}: {}", names.join(" → ")));
        }
    }
    assert!(circles.is_empty(), "files that import each other in a circle: {circles:#?}");
}

#[test]
fn the_circle_finder_sees_circles() {
    let graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> =
        [("a.rs", vec!["b.rs"]), ("b.rs", vec!["c.rs"]), ("c.rs", vec!["a.rs"]), ("d.rs", vec!["a.rs"])]
            .into_iter()
            .map(|(file, targets)| (PathBuf::from(file), targets.into_iter().map(PathBuf::from).collect()))
            .collect();
    assert_eq!(circle(&graph).map(|c| c.len()), Some(4));
    let mut straight = graph.clone();
    straight.insert(PathBuf::from("c.rs"), BTreeSet::new());
    assert_eq!(circle(&straight), None);
}

#[test]
fn use_trees_are_read_whole() {
    let code = "use crate::{http::error::ApiError, views::{page_url, rfc3339}};\nlet x = crate::now();";
    let paths: Vec<String> = paths_after(code, "crate").iter().map(|p| p.join("::")).collect();
    assert_eq!(paths, ["http::error::ApiError", "views::page_url", "views::rfc3339", "now"]);
    assert!(paths_after("my_crate::x; std::io::error::Kind", "crate").is_empty());
    assert!(paths_after("std::io::error::Kind", "error").is_empty());
}

/// The server's parts: `api/` and `site/` never import each other, and `http/` neither of
/// them nor the views they share.
#[test]
fn the_api_and_the_site_stand_apart() {
    let src = root().join("crates/server/src");
    let graph = imports(&src);
    let part = |file: &Path| {
        file.strip_prefix(&src).ok().and_then(|p| p.iter().next()).map(|p| p.to_string_lossy().into_owned())
    };
    let forbidden: [(&str, &[&str]); 3] =
        [("api", &["site"]), ("site", &["api"]), ("http", &["api", "site", "views.rs"])];
    let mut wrong = Vec::new();
    for (file, targets) in &graph {
        let from = part(file).unwrap_or_default();
        for (owner, banned) in forbidden {
            if from == owner {
                for target in targets {
                    let to = part(target).unwrap_or_default();
                    if banned.contains(&to.as_str()) {
                        wrong.push(format!("{} imports {}", file.display(), target.display()));
                    }
                }
            }
        }
    }
    assert!(graph.len() > 10 && wrong.is_empty(), "{wrong:?}");
}

/// The core knows nothing of HTTP requests or responses.
#[test]
fn the_core_knows_no_http_server() {
    let mut files = Vec::new();
    collect(&root().join("crates/core/src"), &mut files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|file| {
            let code = code_of(&std::fs::read_to_string(file).unwrap_or_default());
            code.contains("axum") || code.contains("lector_server")
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(files.len() > 5 && offenders.is_empty(), "{offenders:?}");
}
