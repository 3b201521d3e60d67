/// What the dashboard binds to when `queuectl dashboard` is given no `--host` or `--port`: written once, here,
/// because the command (in the lean `queuectl`, which must not link Hummingbird) shows them in its help and the
/// dashboard module (in `queuectl-server`) falls back to them.
public enum DashboardDefaults {
    /// The address bound when none is given: loopback only.
    public static let host = "127.0.0.1"
    /// The port used when none is given.
    public static let port = 8080
}
