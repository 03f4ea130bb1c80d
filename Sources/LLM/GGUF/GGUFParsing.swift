/// The field readers behind `GGUFFile.init`: strings, typed metadata values (arrays nested up
/// to `maximumArrayDepth`), and tensor infos, each validated before use.
extension GGUFFile {
    static func readString(_ cursor: inout ByteCursor, for what: String) throws -> String {
        let length = try cursor.read(UInt64.self, for: "length of \(what)")
        guard length <= UInt64(cursor.remaining) else {
            throw cursor.error(.truncated, "\(what) declares \(length) bytes but only \(cursor.remaining) remain")
        }
        return try cursor.readUTF8(Int(length), for: what)
    }

    static func readValue(_ type: GGUFValueType, _ cursor: inout ByteCursor, key: String, depth: Int) throws
        -> GGUFValue
    {
        let what = "value of \(key)"
        switch type {
        case .uint8: return .uint8(try cursor.read(UInt8.self, for: what))
        case .int8: return .int8(try cursor.read(Int8.self, for: what))
        case .uint16: return .uint16(try cursor.read(UInt16.self, for: what))
        case .int16: return .int16(try cursor.read(Int16.self, for: what))
        case .uint32: return .uint32(try cursor.read(UInt32.self, for: what))
        case .int32: return .int32(try cursor.read(Int32.self, for: what))
        case .uint64: return .uint64(try cursor.read(UInt64.self, for: what))
        case .int64: return .int64(try cursor.read(Int64.self, for: what))
        case .float32: return .float32(try cursor.readFloat(for: what))
        case .float64: return .float64(try cursor.readDouble(for: what))
        case .bool:
            let byte = try cursor.read(UInt8.self, for: what)
            guard byte <= 1 else {
                throw ModelFileError(
                    .invalidValue, file: cursor.file, location: "key \(key)", "boolean byte is \(byte), not 0 or 1")
            }
            return .bool(byte == 1)
        case .string:
            return .string(try readString(&cursor, for: what))
        case .array:
            guard depth < maximumArrayDepth else {
                throw ModelFileError(
                    .invalidValue, file: cursor.file, location: "key \(key)",
                    "arrays nested deeper than \(maximumArrayDepth) levels")
            }
            let rawType = try cursor.read(UInt32.self, for: "element type of \(key)")
            guard let elementType = GGUFValueType(rawValue: rawType) else {
                throw ModelFileError(
                    .unsupportedType, file: cursor.file, location: "key \(key)", "unknown array element type \(rawType)"
                )
            }
            let count = try cursor.read(UInt64.self, for: "element count of \(key)")
            guard count <= UInt64(cursor.remaining / elementType.minimumSize) else {
                throw ModelFileError(
                    .truncated, file: cursor.file, location: "key \(key)",
                    "array declares \(count) elements but only \(cursor.remaining) bytes remain")
            }
            var elements: [GGUFValue] = []
            elements.reserveCapacity(Int(count))
            for _ in 0..<Int(count) {
                elements.append(try readValue(elementType, &cursor, key: key, depth: depth + 1))
            }
            return .array(elementType, elements)
        }
    }

    static func readTensorInfo(_ cursor: inout ByteCursor, alignment: Int) throws -> GGUFTensorInfo {
        let name = try readString(&cursor, for: "tensor name")
        let location = "tensor \(name)"
        func invalid(_ reason: String) -> ModelFileError {
            ModelFileError(.invalidValue, file: cursor.file, location: location, reason)
        }
        let rank = try cursor.read(UInt32.self, for: "rank of \(name)")
        guard rank >= 1, rank <= UInt32(maximumRank) else {
            throw invalid("rank \(rank) is not between 1 and \(maximumRank)")
        }
        var shape: [Int] = []
        var elements = 1
        for _ in 0..<Int(rank) {
            let dim = try cursor.read(Int64.self, for: "dimensions of \(name)")
            guard dim >= 0, let d = Int(exactly: dim) else { throw invalid("dimension \(dim) is negative") }
            let (product, overflow) = elements.multipliedReportingOverflow(by: d)
            guard !overflow, product <= Int(Int32.max) * 64 else { throw invalid("element count overflows") }
            elements = product
            shape.append(d)
        }
        let typeID = try cursor.read(UInt32.self, for: "type of \(name)")
        let type = GGMLType(rawValue: typeID)
        let offset = try cursor.read(UInt64.self, for: "offset of \(name)")
        guard offset <= UInt64(Int.max / 2) else { throw invalid("data offset \(offset) is absurd") }
        guard Int(offset) % alignment == 0 else {
            throw invalid("data offset \(offset) is not a multiple of \(alignment)")
        }
        var byteCount: Int?
        if let type {
            guard shape[0] % type.blockSize == 0, let bytes = type.byteCount(elements: elements) else {
                throw invalid("row length \(shape[0]) is not a multiple of the \(type) block size \(type.blockSize)")
            }
            byteCount = bytes
        }
        return GGUFTensorInfo(
            name: name, shape: shape, typeID: typeID, type: type, offset: Int(offset), elementCount: elements,
            byteCount: byteCount)
    }
}
