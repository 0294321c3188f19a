//! One sort for the cold paths. Every `sort_by` on a new element type or with a
//! new closure compiles a whole sort algorithm into the wasm (5–8 KB each at
//! opt-level 3); the summary, the export and the track records sort short lists
//! a few times per call, so they share this one: the positions are sorted by a
//! dynamic comparator, then the items are moved into that order.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`, through the one shared instantiation.
pub(crate) fn sort_by_cold<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_positions(&mut order, &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts `v` stably by a key, through the one shared instantiation.
pub(crate) fn sort_by_key_cold<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by_cold(v, |a, b| key(a).cmp(&key(b)));
}

#[inline(never)]
fn sort_positions(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_like_the_standard_sort() {
        let mut v: Vec<(u8, char)> = vec![(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e')];
        let mut expected = v.clone();
        expected.sort_by_key(|p| p.0);
        sort_by_key_cold(&mut v, |p| p.0);
        assert_eq!(v, expected);
        let mut one = vec![7];
        sort_by_cold(&mut one, |a, b| b.cmp(a));
        assert_eq!(one, vec![7]);
    }
}
