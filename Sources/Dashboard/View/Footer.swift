/// The footer line, computed from the key table alone: the enabled bindings that have a footer
/// label, in the table's order. Reverse-video labels where they all fit; else plainer, with
/// short words, and the lowest `footerPriority` entries left to the help overlay.
struct Footer {
    var context: BindingContext

    func line(width: Int) -> Line {
        var entries = Keymap.footerBindings(in: context)
        let roomy = entries.reduce(Line()) { line, b in
            line.appending(" " + b.label + " ", Style(bold: true, reverse: true)).appending(
                " \(b.footer?.label ?? "")  ")
        }
        guard roomy.displayWidth > width else { return roomy }
        func plain(_ entries: [KeyBinding]) -> Line {
            entries.reduce(Line(" ")) { line, b in
                line.appending(b.label, .fg(.cyan, bold: true)).appending(" \(b.footer?.short ?? "")  ")
            }
        }
        while plain(entries).displayWidth > width, entries.count > 1,
            let drop = entries.indices.min(by: { entries[$0].footerPriority < entries[$1].footerPriority })
        {
            entries.remove(at: drop)
        }
        return plain(entries)
    }
}
