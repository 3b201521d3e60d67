extension PostgresMigrations {
    /// `015` (as on SQLite): queues as rows, and the claim that honours them.
    ///
    /// `queuectl_queue` holds one row per queue that has settings (`paused`, `job_limit`; 0: no limit).
    /// `queuectl_due_jobs` (003/004, which both claiming statements call) is replaced, same signature, so the
    /// prepared statements stay as they are:
    ///
    /// - With no relevant row (no paused or limited queue among those asked for) it runs 003's query unchanged
    ///   after one probe of the small queue table: unlimited queues never touch a queue row.
    /// - Otherwise paused queues are left out, and each limited queue's row is locked (`FOR UPDATE`, in name
    ///   order, so two claimers never deadlock) before its processing jobs are counted. Why a lock and a count
    ///   rather than a counter: under READ COMMITTED one statement sees one snapshot, so a count inside the claim
    ///   statement races (two claimers both see N-1 and both claim). A VOLATILE PL/pgSQL function takes a new
    ///   snapshot for each of its queries, so the count that follows the lock sees every claim of that queue
    ///   committed before the lock was granted, and claims after wait for this one's commit. A counter on the
    ///   row would have to be kept in step by every way out of `processing` (end of run, lost run, release,
    ///   cancel, recovery) and by a limit set while jobs run; the count needs none of that, and a dead worker's
    ///   jobs count until they are recovered because they are still `processing`.
    /// - Jobs are then taken in contract order; when a limited queue's room runs out its queue joins the
    ///   skipped ones and the scan starts again (at most once per limited queue), so a full queue does not hold
    ///   up the others.
    ///
    /// The price: claimers that may take a limited queue's jobs take turns on its row while it has a limit (a
    /// few milliseconds each); jobs of paused or full queues ahead in the claim order are stepped over by the
    /// index scan. Planner settings as in 003/004 (`CREATE OR REPLACE` replaces them: all are restated).
    static let queues = Migration(
        version: 15, name: "queues",
        statements: [
            """
            CREATE TABLE queuectl_queue (
                name TEXT PRIMARY KEY,
                paused BOOLEAN NOT NULL DEFAULT false,
                job_limit INTEGER NOT NULL DEFAULT 0 CHECK (job_limit >= 0),
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE OR REPLACE FUNCTION queuectl_due_jobs(bigint, text[], bigint) RETURNS SETOF bigint
            LANGUAGE plpgsql VOLATILE ROWS 1
            SET enable_sort = off SET enable_bitmapscan = off SET enable_seqscan = off
            SET plan_cache_mode = force_generic_plan
            AS $$
            DECLARE
                held text[];
                limited text[] := '{}';
                room bigint[] := '{}';
                taken bigint[] := '{}';
                q record;
                r record;
                running bigint;
                i integer;
                rescan boolean;
            BEGIN
                IF $3 <= 0 THEN
                    RETURN;
                END IF;
                IF NOT EXISTS (
                    SELECT 1 FROM queuectl_queue s
                    WHERE (s.paused OR s.job_limit > 0) AND (cardinality($2) = 0 OR s.name = ANY($2))
                ) THEN
                    RETURN QUERY
                    SELECT j.seq FROM queuectl_job j
                    WHERE j.state IN ('pending', 'failed') AND j.run_at <= $1
                      AND (cardinality($2) = 0 OR j.queue = ANY($2))
                    ORDER BY j.priority DESC, j.run_at, j.seq
                    LIMIT $3
                    FOR UPDATE SKIP LOCKED;
                    RETURN;
                END IF;
                SELECT COALESCE(array_agg(s.name), '{}') INTO held FROM queuectl_queue s
                WHERE s.paused AND (cardinality($2) = 0 OR s.name = ANY($2));
                FOR q IN
                    SELECT s.name, s.job_limit FROM queuectl_queue s
                    WHERE NOT s.paused AND s.job_limit > 0 AND (cardinality($2) = 0 OR s.name = ANY($2))
                    ORDER BY s.name FOR UPDATE
                LOOP
                    SELECT count(*) INTO running FROM queuectl_job p WHERE p.state = 'processing' AND p.queue = q.name;
                    IF running >= q.job_limit THEN
                        held := held || q.name;
                    ELSE
                        limited := limited || q.name;
                        room := room || (q.job_limit - running);
                    END IF;
                END LOOP;
                LOOP
                    rescan := false;
                    FOR r IN
                        SELECT j.seq, j.queue FROM queuectl_job j
                        WHERE j.state IN ('pending', 'failed') AND j.run_at <= $1
                          AND (cardinality($2) = 0 OR j.queue = ANY($2))
                          AND NOT (j.queue = ANY(held)) AND NOT (j.seq = ANY(taken))
                        ORDER BY j.priority DESC, j.run_at, j.seq
                        LIMIT $3 - cardinality(taken)
                        FOR UPDATE SKIP LOCKED
                    LOOP
                        i := array_position(limited, r.queue);
                        IF i IS NOT NULL THEN
                            room[i] := room[i] - 1;
                            IF room[i] <= 0 THEN
                                held := held || r.queue;
                                rescan := true;
                            END IF;
                        END IF;
                        taken := taken || r.seq;
                        RETURN NEXT r.seq;
                        EXIT WHEN rescan;
                    END LOOP;
                    EXIT WHEN NOT rescan OR cardinality(taken) >= $3;
                END LOOP;
            END
            $$
            """,
        ])
}

extension PostgresMigrations {
    /// `018` (PostgreSQL only): `queuectl_due_jobs` as 015 left it, with two changes that give claims of queues
    /// without settings their speed back (bench/store_throughput.sh, 8 claimers: 015 fell from ~2,400 to ~30
    /// jobs/s).
    ///
    /// - No JIT (`SET jit = off`). With sequential scans disabled for the function (003), its probe of the small
    ///   queue table is costed at 10^10, above `jit_above_cost`, so every claim JIT-compiled that probe first
    ///   (110 ms). None of the function's queries gains from JIT.
    /// - The probe is part of the claim query instead of a statement before it: an uncorrelated `NOT EXISTS`,
    ///   which PostgreSQL evaluates once per execution as a one-time filter, so without settings a claim is one
    ///   query, as before 015. When it returns no row, the probe is asked again on its own: settings exist (the
    ///   path of 015 follows) or nothing is due (an idle claimer pays one more probe).
    static let dueJobsWithoutJIT = Migration(
        version: 18, name: "due_jobs_without_jit", statements: [dueJobsHonouringQueues(extraCondition: "")])

    /// 018's `queuectl_due_jobs`, with `extraCondition` (SQL starting with " AND ", on the job `j`) added to
    /// both of its selections of due jobs: 019 (dependencies) restates it with `waiting_on = 0`. 018's text is
    /// this with an empty condition, unchanged. `selection` replaces the query of the loop that honours
    /// settings (rows `seq, queue`; nil: `dueRowsSkippingHeldQueues`): 020 calls `queuectl_due_heads` there.
    static func dueJobsHonouringQueues(extraCondition: String, selection: String? = nil) -> String {
        """
        CREATE OR REPLACE FUNCTION queuectl_due_jobs(bigint, text[], bigint) RETURNS SETOF bigint
        LANGUAGE plpgsql VOLATILE ROWS 1
        SET enable_sort = off SET enable_bitmapscan = off SET enable_seqscan = off
        SET plan_cache_mode = force_generic_plan SET jit = off
        AS $$
        DECLARE
            held text[];
            limited text[] := '{}';
            room bigint[] := '{}';
            taken bigint[] := '{}';
            q record;
            r record;
            running bigint;
            i integer;
            rescan boolean;
        BEGIN
            IF $3 <= 0 THEN
                RETURN;
            END IF;
            RETURN QUERY
            SELECT j.seq FROM queuectl_job j
            WHERE j.state IN ('pending', 'failed')\(extraCondition) AND j.run_at <= $1
              AND (cardinality($2) = 0 OR j.queue = ANY($2))
              AND NOT EXISTS (
                  SELECT 1 FROM queuectl_queue s
                  WHERE (s.paused OR s.job_limit > 0) AND (cardinality($2) = 0 OR s.name = ANY($2)))
            ORDER BY j.priority DESC, j.run_at, j.seq
            LIMIT $3
            FOR UPDATE SKIP LOCKED;
            IF FOUND OR NOT EXISTS (
                SELECT 1 FROM queuectl_queue s
                WHERE (s.paused OR s.job_limit > 0) AND (cardinality($2) = 0 OR s.name = ANY($2))
            ) THEN
                RETURN;
            END IF;
            SELECT COALESCE(array_agg(s.name), '{}') INTO held FROM queuectl_queue s
            WHERE s.paused AND (cardinality($2) = 0 OR s.name = ANY($2));
            FOR q IN
                SELECT s.name, s.job_limit FROM queuectl_queue s
                WHERE NOT s.paused AND s.job_limit > 0 AND (cardinality($2) = 0 OR s.name = ANY($2))
                ORDER BY s.name FOR UPDATE
            LOOP
                SELECT count(*) INTO running FROM queuectl_job p WHERE p.state = 'processing' AND p.queue = q.name;
                IF running >= q.job_limit THEN
                    held := held || q.name;
                ELSE
                    limited := limited || q.name;
                    room := room || (q.job_limit - running);
                END IF;
            END LOOP;
            LOOP
                rescan := false;
                FOR r IN
                    \(selection ?? dueRowsSkippingHeldQueues(extraCondition: extraCondition))
                LOOP
                    i := array_position(limited, r.queue);
                    IF i IS NOT NULL THEN
                        room[i] := room[i] - 1;
                        IF room[i] <= 0 THEN
                            held := held || r.queue;
                            rescan := true;
                        END IF;
                    END IF;
                    taken := taken || r.seq;
                    RETURN NEXT r.seq;
                    EXIT WHEN rescan;
                END LOOP;
                EXIT WHEN NOT rescan OR cardinality(taken) >= $3;
            END LOOP;
        END
        $$
        """
    }

    /// The query of 018's loop: the first due rows in claim order of the queues that are not held, stepping over
    /// the held queues' rows (the lines of `dueJobsHonouringQueues` as 018 wrote them, indentation included).
    static func dueRowsSkippingHeldQueues(extraCondition: String) -> String {
        """
        SELECT j.seq, j.queue FROM queuectl_job j
                    WHERE j.state IN ('pending', 'failed')\(extraCondition) AND j.run_at <= $1
                      AND (cardinality($2) = 0 OR j.queue = ANY($2))
                      AND NOT (j.queue = ANY(held)) AND NOT (j.seq = ANY(taken))
                    ORDER BY j.priority DESC, j.run_at, j.seq
                    LIMIT $3 - cardinality(taken)
                    FOR UPDATE SKIP LOCKED
        """
    }
}
