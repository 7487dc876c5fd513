extension String {
    /// The string without leading and trailing spaces and horizontal tabs (HTTP optional whitespace).
    var trimmingOWS: String {
        let isOWS: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isOWS($0) }), let end = lastIndex(where: { !isOWS($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
