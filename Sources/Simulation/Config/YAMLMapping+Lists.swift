import Yams

extension YAMLMapping {
    func stringList(_ key: String) throws(InputError) -> [String]? {
        guard let n = node(key) else { return nil }
        guard case .sequence(let seq) = n else { throw error(key, "expected a list", line: n.mark?.line) }
        var out: [String] = []
        for item in seq {
            guard let s = item.scalar?.string, !s.isEmpty else {
                throw error(key, "expected a list of strings", line: item.mark?.line)
            }
            out.append(s)
        }
        return out
    }

    func intList(_ key: String, in range: ClosedRange<Int>) throws(InputError) -> [Int]? {
        guard let n = node(key) else { return nil }
        guard case .sequence(let seq) = n else { throw error(key, "expected a list", line: n.mark?.line) }
        var out: [Int] = []
        for item in seq {
            guard let v = item.scalar.flatMap({ Int($0.string) }), range.contains(v) else {
                throw error(
                    key, "expected a list of whole numbers from \(range.lowerBound) to \(range.upperBound)",
                    line: item.mark?.line)
            }
            out.append(v)
        }
        return out
    }
}
