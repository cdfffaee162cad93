//! Reading a DevTools CPU profile (`Profiler.stop`): where the page's main thread spent its time.

use serde_json::Value;
use std::collections::HashMap;

/// Milliseconds of self time per function name, most first. "(program)" is the browser's own
/// work outside script (style, layout, paint), "(idle)" is waiting.
pub fn self_time_by_function(profile: &Value) -> Vec<(String, f64)> {
    let names: HashMap<u64, String> = profile["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|node| {
            let name = node["callFrame"]["functionName"].as_str().filter(|n| !n.is_empty()).unwrap_or("(anonymous)");
            Some((node["id"].as_u64()?, name.to_owned()))
        })
        .collect();
    let samples = profile["samples"].as_array().into_iter().flatten().filter_map(Value::as_u64);
    let deltas = profile["timeDeltas"].as_array().into_iter().flatten().filter_map(Value::as_f64);
    // In order of first appearance, so equal times keep a stable order.
    let mut totals: Vec<(String, f64)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // A sample's time is the delta that follows it.
    let deltas: Vec<f64> = deltas.skip(1).chain(std::iter::once(0.0)).collect();
    for (node, delta) in samples.zip(deltas) {
        let name = names.get(&node).cloned().unwrap_or_else(|| "(unknown)".to_owned());
        let at = *index.entry(name.clone()).or_insert_with(|| {
            totals.push((name, 0.0));
            totals.len() - 1
        });
        totals[at].1 += delta / 1000.0;
    }
    totals.sort_by(|a, b| b.1.total_cmp(&a.1));
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_time_is_summed_per_function() {
        let profile = serde_json::json!({
            "nodes": [
                { "id": 1, "callFrame": { "functionName": "(root)" } },
                { "id": 2, "callFrame": { "functionName": "apply" } },
                { "id": 3, "callFrame": { "functionName": "(program)" } },
            ],
            "samples": [2, 3, 2, 2],
            "timeDeltas": [0, 1000, 3000, 2000],
        });
        let totals = self_time_by_function(&profile);
        assert_eq!(totals[0], ("apply".to_owned(), 3.0), "{totals:?}");
        assert_eq!(totals[1], ("(program)".to_owned(), 3.0), "{totals:?}");
    }
}
