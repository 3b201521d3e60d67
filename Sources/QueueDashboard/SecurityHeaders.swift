import HTTPTypes

/// Header names and values that keep browsers from treating the dashboard's answers as anything but what they are.
enum SecurityHeaders {
    /// `X-Content-Type-Options`: with `nosniff`, JSON and text are never rendered as HTML.
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    /// `Referrer-Policy`: the page URL may carry the token (`#token=` or `?token=`); never send it elsewhere.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    /// `X-Frame-Options`: the page may not be framed (clickjacking of the buttons).
    static let frameOptions = HTTPField.Name("X-Frame-Options")!

    /// The page's content security policy: its own inline script and style only, requests to itself only,
    /// no framing, no forms posting elsewhere.
    static let pagePolicy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
        + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}
