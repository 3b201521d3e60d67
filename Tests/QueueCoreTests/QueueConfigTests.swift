import Foundation
import QueueCore
import Testing

/// Configuration keys, values, ranges and messages.
@Suite("Queue configuration")
struct QueueConfigTests {
    @Test("keys parse in snake_case and kebab-case", arguments: [
        ("max_retries", QueueConfig.Key.maxRetries), ("max-retries", .maxRetries), ("MAX-RETRIES", .maxRetries),
        ("backoff-base", .backoffBase), ("backoff_max", .backoffMax), ("job-timeout", .jobTimeout),
        ("poll-interval-ms", .pollIntervalMilliseconds), ("lease_timeout", .leaseTimeout),
        ("no-retry-exit-codes", .noRetryExitCodes), ("snooze_exit_code", .snoozeExitCode), ("snooze-delay", .snoozeDelay),
        ("max_snoozes", .maxSnoozes), ("retention_completed", .retentionCompleted),
        ("retention-cancelled", .retentionCancelled), ("retention_dead", .retentionDead),
    ])
    func keys(text: String, key: QueueConfig.Key) throws {
        #expect(try QueueConfig.Key(parsing: text) == key)
    }

    @Test("an unknown key is rejected listing the known ones")
    func unknownKey() {
        #expect(
            throws: QueueError.invalidInput(
                "unknown config key 'colour': use one of max_retries, backoff_base, backoff_max, job_timeout, poll_interval_ms, lease_timeout, retention_completed, retention_cancelled, retention_dead, no_retry_exit_codes, snooze_exit_code, snooze_delay, max_snoozes"
            )
        ) { try QueueConfig.Key(parsing: "colour") }
    }

    @Test("values in range are stored and printed back as given", arguments: [
        (QueueConfig.Key.maxRetries, "0", "0"), (.maxRetries, " 10 ", "10"), (.backoffBase, "1", "1"),
        (.backoffBase, "1.5", "1.5"), (.backoffBase, "2.0", "2"), (.backoffMax, "0", "0"), (.jobTimeout, "0", "0"),
        (.pollIntervalMilliseconds, "10", "10"), (.pollIntervalMilliseconds, "600000", "600000"),
        (.backoffMax, "0.5", "0.5"), (.backoffMax, ".25", "0.25"), (.backoffBase, "+3", "3"),
        (.leaseTimeout, "3", "3"), (.leaseTimeout, "86400", "86400"),
        (.noRetryExitCodes, "2,64", "2,64"), (.noRetryExitCodes, " 64, 2 ,2", "2,64"), (.noRetryExitCodes, "", ""),
        (.noRetryExitCodes, "127", "127"), (.noRetryExitCodes, "1,255", "1,255"),
        (.snoozeExitCode, "0", "0"), (.snoozeExitCode, "255", "255"), (.snoozeDelay, "0", "0"),
        (.snoozeDelay, "86400", "86400"), (.maxSnoozes, "0", "0"), (.maxSnoozes, "1000000", "1000000"),
    ])
    func accepted(key: QueueConfig.Key, text: String, printed: String) throws {
        var config = QueueConfig()
        try config.set(key, to: text)
        #expect(config.value(of: key) == printed)
    }

    @Test("out-of-range or malformed values are rejected with the allowed range", arguments: [
        (QueueConfig.Key.maxRetries, "-1", "invalid value '-1' for max_retries: expected a whole number from 0 to 1000000"),
        (.maxRetries, "2.5", "invalid value '2.5' for max_retries: expected a whole number from 0 to 1000000"),
        (.backoffBase, "0.5", "invalid value '0.5' for backoff_base: expected a number from 1 to 1000000000"),
        (.backoffBase, "abc", "invalid value 'abc' for backoff_base: expected a number from 1 to 1000000000"),
        (.backoffMax, "-3", "invalid value '-3' for backoff_max: expected a number from 0 to 1000000000"),
        (.jobTimeout, "forever", "invalid value 'forever' for job_timeout: expected a whole number from 0 to 31536000"),
        (.pollIntervalMilliseconds, "5", "invalid value '5' for poll_interval_ms: expected a whole number from 10 to 600000"),
        (.leaseTimeout, "2", "invalid value '2' for lease_timeout: expected a whole number from 3 to 86400"),
        (.leaseTimeout, "", "invalid value '' for lease_timeout: expected a whole number from 3 to 86400"),
        (.backoffBase, "0x10", "invalid value '0x10' for backoff_base: expected a number from 1 to 1000000000"),
        (.backoffBase, "1e3", "invalid value '1e3' for backoff_base: expected a number from 1 to 1000000000"),
        (.backoffBase, "inf", "invalid value 'inf' for backoff_base: expected a number from 1 to 1000000000"),
        (.backoffBase, "nan", "invalid value 'nan' for backoff_base: expected a number from 1 to 1000000000"),
        (.backoffMax, "0x1p3", "invalid value '0x1p3' for backoff_max: expected a number from 0 to 1000000000"),
        (.backoffMax, ".", "invalid value '.' for backoff_max: expected a number from 0 to 1000000000"),
        (.maxRetries, "0x10", "invalid value '0x10' for max_retries: expected a whole number from 0 to 1000000"),
        (.noRetryExitCodes, "2,x", "invalid value '2,x' for no_retry_exit_codes: expected exit codes from 1 to 255 separated by commas, like 2,64 (or '' for none)"),
        (.noRetryExitCodes, "0", "invalid value '0' for no_retry_exit_codes: expected exit codes from 1 to 255 separated by commas, like 2,64 (or '' for none)"),
        (.noRetryExitCodes, "256", "invalid value '256' for no_retry_exit_codes: expected exit codes from 1 to 255 separated by commas, like 2,64 (or '' for none)"),
        (.noRetryExitCodes, "2,,64", "invalid value '2,,64' for no_retry_exit_codes: expected exit codes from 1 to 255 separated by commas, like 2,64 (or '' for none)"),
        (.noRetryExitCodes, "-1", "invalid value '-1' for no_retry_exit_codes: expected exit codes from 1 to 255 separated by commas, like 2,64 (or '' for none)"),
        (.noRetryExitCodes, "2 64", "invalid value '2 64' for no_retry_exit_codes: expected exit codes from 1 to 255 separated by commas, like 2,64 (or '' for none)"),
        (.snoozeExitCode, "256", "invalid value '256' for snooze_exit_code: expected a whole number from 0 to 255"),
        (.snoozeExitCode, "-1", "invalid value '-1' for snooze_exit_code: expected a whole number from 0 to 255"),
        (.snoozeDelay, "1.5", "invalid value '1.5' for snooze_delay: expected a whole number from 0 to 86400"),
        (.snoozeDelay, "86401", "invalid value '86401' for snooze_delay: expected a whole number from 0 to 86400"),
        (.maxSnoozes, "-1", "invalid value '-1' for max_snoozes: expected a whole number from 0 to 1000000"),
    ])
    func rejected(key: QueueConfig.Key, text: String, message: String) {
        var config = QueueConfig()
        #expect(throws: QueueError.invalidInput(message)) { try config.set(key, to: text) }
        #expect(config == QueueConfig())
    }

    @Test("the defaults are the contract's")
    func defaults() {
        let config = QueueConfig()
        #expect(
            QueueConfig.Key.allCases.map { config.value(of: $0) } == ["3", "2", "3600", "0", "500", "30", "604800", "604800", "0", "", "75", "10", "100"])
        #expect(config.number(of: .backoffBase) == 2)
    }

    @Test("stored values override defaults, and unknown or unreadable entries are ignored")
    func stored() {
        let config = QueueConfig(stored: ["max_retries": "9", "backoff_base": "bogus", "colour": "red", "lease_timeout": "45"])
        #expect(config.maxRetries == 9)
        #expect(config.backoffBase == 2)
        #expect(config.leaseTimeout == 45)
    }

    @Test("a stored value printed with an exponent is read back")
    func storedExponent() throws {
        var config = QueueConfig()
        try config.set(.backoffMax, to: "0.00001")
        #expect(QueueConfig(stored: ["backoff_max": config.value(of: .backoffMax)]).backoffMax == 0.00001)
    }

    @Test("the exit code list is an array of integers in JSON, every other key a number")
    func jsonForms() throws {
        var config = QueueConfig()
        #expect(config.jsonValue(of: .noRetryExitCodes) == .integers([]))
        try config.set(.noRetryExitCodes, to: "64,2")
        #expect(config.jsonValue(of: .noRetryExitCodes) == .integers([2, 64]))
        #expect(config.jsonValue(of: .snoozeExitCode) == .number(75))
        #expect(config.jsonValue(of: .maxSnoozes) == .number(100))
        #expect(config.number(of: .noRetryExitCodes) == nil)
        #expect(config.number(of: .snoozeDelay) == 10)
    }

    @Test("stored exit-code settings are read back")
    func storedExitCodeSettings() {
        let config = QueueConfig(stored: [
            "no_retry_exit_codes": "2,64", "snooze_exit_code": "0", "snooze_delay": "1", "max_snoozes": "3",
        ])
        #expect(config.noRetryExitCodes == [2, 64])
        #expect(config.snoozeExitCode == 0)
        #expect(config.snoozeDelay == 1)
        #expect(config.maxSnoozes == 3)
    }
}
