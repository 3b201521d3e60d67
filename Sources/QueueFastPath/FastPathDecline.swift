/// Why the fast path hands a command to the full command line: it met something it does not handle exactly as
/// the full path would (an option, a store, a home or a schema it does not know, or any error). It is thrown
/// only before anything was written, so the full path then runs as if the fast path had not been tried.
struct FastPathDecline: Error {}
