//! The core's modules form no circle: each idea builds on others without being
//! built on by them (docs/design.md, "Layout"). Read from the sources: a module
//! depends on another when its text names `crate::<other>`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of the crate, and the modules it names.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = BTreeMap::new();
    let mut add = |module: &str, text: &str| {
        let deps: &mut BTreeSet<String> = graph.entry(module.to_owned()).or_default();
        for (i, _) in text.match_indices("crate::") {
            let name: String = text[i + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() && name != module {
                deps.insert(name);
            }
        }
    };
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            // A folder module: all its files are one module.
            let module = path.file_name().unwrap().to_string_lossy().into_owned();
            for file in std::fs::read_dir(&path).unwrap() {
                add(
                    &module,
                    &std::fs::read_to_string(file.unwrap().path()).unwrap(),
                );
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let module = path.file_stem().unwrap().to_string_lossy().into_owned();
            if module != "lib" {
                add(&module, &std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    graph
}

#[test]
fn no_module_of_the_core_depends_on_itself_through_others() {
    let graph = graph();
    assert!(graph.len() > 10, "the modules were read: {graph:?}");
    // Depth-first, with the path so far: a module met again on its own path is a circle.
    fn visit<'a>(
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        module: &'a str,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if let Some(at) = path.iter().position(|m| *m == module) {
            panic!("a circle: {} → {module}", path[at..].join(" → "));
        }
        if !done.insert(module) {
            return;
        }
        path.push(module);
        for dep in graph.get(module).into_iter().flatten() {
            visit(graph, dep, path, done);
        }
        path.pop();
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        visit(&graph, module, &mut Vec::new(), &mut done);
    }
}
