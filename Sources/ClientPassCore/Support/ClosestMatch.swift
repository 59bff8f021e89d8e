/// The candidate a mistyped name most likely meant, for "did you mean …?" hints: one that starts
/// with the name (`alice` → `alice@example.com`), or one within a small edit distance,
/// compared case-insensitively. `nil` when nothing is close.
public func closestMatch(to name: String, among candidates: [String]) -> String? {
    let typed = name.lowercased()
    guard !typed.isEmpty else { return nil }
    let lowered = candidates.map { ($0, $0.lowercased()) }
    if let prefixed = lowered.filter({ $0.1.hasPrefix(typed) || $0.1.hasPrefix(typed + "@") }).min(by: { $0.1.count < $1.1.count }) {
        return prefixed.0
    }
    let allowed = min(3, max(1, typed.count / 2))
    var best: (name: String, distance: Int)?
    for (original, candidate) in lowered {
        let distance = editDistance(Array(typed), Array(candidate))
        if distance <= allowed, distance < (best?.distance ?? .max) {
            best = (original, distance)
        }
    }
    return best?.name
}

/// Levenshtein distance between two character arrays.
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
