import HTTPTypes

/// The dashboard's paths and the methods each takes, so that a known path asked with another method is answered
/// 405 with an `Allow` list instead of "no such route".
struct RouteTable: Sendable {
    /// Each path pattern, split into segments, with its methods in the order they were listed.
    private let routes: [(pattern: String, segments: [Substring], methods: [HTTPRequest.Method])]

    /// The table of `endpoints` (method and path pattern each). A path with GET also takes HEAD, as the router
    /// answers HEAD like GET without the body.
    init(_ endpoints: [(method: HTTPRequest.Method, path: String)]) {
        var routes: [(pattern: String, segments: [Substring], methods: [HTTPRequest.Method])] = []
        for endpoint in endpoints {
            var methods = [endpoint.method]
            if endpoint.method == .get { methods.append(.head) }
            if let index = routes.firstIndex(where: { $0.pattern == endpoint.path }) {
                routes[index].methods += methods.filter { !routes[index].methods.contains($0) }
            } else {
                routes.append((endpoint.path, Self.segments(endpoint.path), methods))
            }
        }
        self.routes = routes
    }

    /// The pattern a request path falls under and the methods it takes, or nil when no route has that path.
    func route(matching path: String) -> (pattern: String, methods: [HTTPRequest.Method])? {
        let given = Self.segments(path)
        let matches = routes.filter { route in
            route.segments.count == given.count
                && zip(route.segments, given).allSatisfy { pattern, segment in
                    (pattern.hasPrefix("{") && pattern.hasSuffix("}")) || pattern == segment
                }
        }
        guard let first = matches.first else { return nil }
        var methods: [HTTPRequest.Method] = []
        for method in matches.flatMap(\.methods) where !methods.contains(method) { methods.append(method) }
        return (first.pattern, methods)
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
