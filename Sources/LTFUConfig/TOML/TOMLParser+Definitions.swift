/// TOML 1.0's rules on defining things once: a key or a table is defined once; `[a]` may
/// define a table that `[a.b]` only made on the way, but not one that dotted keys defined;
/// dotted keys may add to tables that they made in the same section, and to nothing else;
/// inline tables and arrays written as values are finished and take no additions; `[[a]]`
/// appends to an array of tables, and `[a.b]` goes into its last table.
extension TOMLParser {
    /// `[a.b.c]`
    mutating func defineTable(_ key: [KeyPart]) throws(TOMLError) -> TOMLTableNode {
        let parent = try headerParent(of: key)
        guard let last = key.last else { return parent }
        let path = Self.display(key)
        switch parent[last.name] {
        case nil:
            let table = TOMLTableNode(origin: .header, position: last.position)
            parent.add(last.name, .table(table))
            return table
        case .table(let table):
            switch table.origin {
            case .implicit:
                table.origin = .header
                table.position = last.position
                return table
            case .header:
                throw scanner.error("table [\(path)] is defined twice (first on line \(line(of: table.position)))", at: last.position)
            case .dotted:
                throw scanner.error("table [\(path)] was already defined by dotted keys on line \(line(of: table.position))", at: last.position)
            }
        case .tables(let array):
            throw scanner.error("[\(path)] is an array of tables (first [[\(path)]] on line \(line(of: array.position))), not a table", at: last.position)
        case .value(let value, let position):
            throw cannotAdd(to: value, path, writtenAt: position, at: last.position)
        }
    }

    /// `[[a.b.c]]`
    mutating func appendTable(_ key: [KeyPart]) throws(TOMLError) -> TOMLTableNode {
        let parent = try headerParent(of: key)
        guard let last = key.last else { return parent }
        let path = Self.display(key)
        let table = TOMLTableNode(origin: .header, position: last.position)
        switch parent[last.name] {
        case nil:
            parent.add(last.name, .tables(TOMLTableArray(first: table)))
        case .tables(let array):
            array.append(table)
        case .table(let existing):
            throw scanner.error("[[\(path)]] cannot append to `\(path)`, which is a table (line \(line(of: existing.position)))", at: last.position)
        case .value(.array, let position):
            throw scanner.error("[[\(path)]] cannot append to the array `\(path)` written on line \(line(of: position)); only arrays made with [[…]] can grow", at: last.position)
        case .value(let value, let position):
            throw cannotAdd(to: value, path, writtenAt: position, at: last.position)
        }
        return table
    }

    /// The table a header's last key goes into; the keys before it name existing tables (the
    /// last table of an array of tables) or make implicit ones.
    private func headerParent(of key: [KeyPart]) throws(TOMLError) -> TOMLTableNode {
        var table = root
        for (index, part) in key.dropLast().enumerated() {
            switch table[part.name] {
            case nil:
                let made = TOMLTableNode(origin: .implicit, position: part.position)
                table.add(part.name, .table(made))
                table = made
            case .table(let existing):
                table = existing
            case .tables(let array):
                guard let lastTable = array.tables.last else { return table }
                table = lastTable
            case .value(let value, let position):
                throw cannotAdd(to: value, Self.display(key.prefix(index + 1)), writtenAt: position, at: part.position)
            }
        }
        return table
    }

    /// `a.b.c = value` in `table`, whose header is `header`.
    func define(_ key: [KeyPart], _ value: TOMLValue, in table: TOMLTableNode, under header: [KeyPart], section: Int) throws(TOMLError) {
        var table = table
        for (index, part) in key.dropLast().enumerated() {
            let path = Self.display(header + key.prefix(index + 1))
            switch table[part.name] {
            case nil:
                let made = TOMLTableNode(origin: .dotted(section: section), position: part.position)
                table.add(part.name, .table(made))
                table = made
            case .table(let existing):
                switch existing.origin {
                case .implicit:
                    existing.origin = .dotted(section: section)
                    existing.position = part.position
                case .dotted(section: section):
                    break
                case .header, .dotted:
                    throw scanner.error("table `\(path)` is already defined on line \(line(of: existing.position)); dotted keys cannot add to it", at: part.position)
                }
                table = existing
            case .tables(let array):
                throw scanner.error("`\(path)` is an array of tables (line \(line(of: array.position))); dotted keys cannot add to it", at: part.position)
            case .value(let existing, let position):
                throw cannotAdd(to: existing, path, writtenAt: position, at: part.position)
            }
        }
        guard let last = key.last, let first = key.first else { return }
        let path = Self.display(header + key)
        if let existing = table[last.name] {
            throw scanner.error("key `\(path)` is defined twice (first on line \(line(of: existing.position)))", at: last.position)
        }
        table.add(last.name, .value(value, position: first.position))
    }

    /// A header or dotted key that would reach into a value: a finished inline table or array, or a plain value.
    private func cannotAdd(to value: TOMLValue, _ path: String, writtenAt written: Int, at position: Int) -> TOMLError {
        let reason = switch value {
        case .table: "is an inline table (line \(line(of: written))), which cannot be added to"
        case .array: "is an array (line \(line(of: written))), which cannot be added to"
        default: "already holds \(value.kind) (line \(line(of: written))), not a table"
        }
        return scanner.error("`\(path)` \(reason)", at: position)
    }

    private func line(of position: Int) -> Int {
        scanner.location(of: position).line
    }

    /// A key as TOML writes it: `a.b`, `site."time zone"`.
    static func display(_ key: some Collection<KeyPart>) -> String {
        key.map { part in
            if !part.name.isEmpty, part.name.utf8.allSatisfy(\.isBareKeyByte) { return part.name }
            var quoted = "\""
            for scalar in part.name.unicodeScalars {
                switch scalar {
                case "\"": quoted += "\\\""
                case "\\": quoted += "\\\\"
                case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                    quoted += "\\u" + TOMLScanner.codePoint(scalar.value).dropFirst(2)
                default: quoted.unicodeScalars.append(scalar)
                }
            }
            return quoted + "\""
        }.joined(separator: ".")
    }
}
