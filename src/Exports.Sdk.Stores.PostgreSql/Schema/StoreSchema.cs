namespace Exports.Sdk.Stores.PostgreSql;

/// <summary>
/// The store's tables, as an ordered list of migrations. Append new versions; never edit a shipped one (hosts that
/// already applied it would not see the change).
/// </summary>
internal static class StoreSchema
{
    public static readonly IReadOnlyList<SchemaMigration> Migrations =
    [
        new(1, "dataflows, runs with leases, audience state", """
            CREATE TABLE IF NOT EXISTS {schema}.dataflows (
                id          text PRIMARY KEY,
                etag        text NOT NULL,
                record      jsonb NOT NULL,
                created_at  timestamptz NOT NULL,
                updated_at  timestamptz NOT NULL
            );
            CREATE TABLE IF NOT EXISTS {schema}.runs (
                dataflow_id  text NOT NULL,
                run_id       text NOT NULL,
                status       text NOT NULL,
                audience_ids text[] NOT NULL,
                created_at   timestamptz NOT NULL,
                host         text,
                lease_until  timestamptz,
                record       jsonb NOT NULL,
                PRIMARY KEY (dataflow_id, run_id)
            );
            CREATE INDEX IF NOT EXISTS runs_active ON {schema}.runs (dataflow_id) WHERE status IN ('Queued', 'Running');
            CREATE INDEX IF NOT EXISTS runs_newest ON {schema}.runs (dataflow_id, created_at DESC);
            CREATE TABLE IF NOT EXISTS {schema}.audience_state (
                dataflow_id text NOT NULL,
                audience_id text NOT NULL,
                record      jsonb NOT NULL,
                updated_at  timestamptz NOT NULL,
                PRIMARY KEY (dataflow_id, audience_id)
            );
            """),
        new(2, "Look runs up by id alone (runs/{runId} of the HTTP API)", """
            CREATE INDEX IF NOT EXISTS runs_by_id ON {schema}.runs (run_id);
            """),
        new(3, "Destinations created at run time (secret settings protected), and the shared Data Protection key ring", """
            CREATE TABLE IF NOT EXISTS {schema}.destinations (
                name        text PRIMARY KEY,
                etag        text NOT NULL,
                record      jsonb NOT NULL,
                created_at  timestamptz NOT NULL,
                updated_at  timestamptz NOT NULL
            );
            CREATE TABLE IF NOT EXISTS {schema}.data_protection_keys (
                name        text PRIMARY KEY,
                xml         text NOT NULL,
                created_at  timestamptz NOT NULL
            );
            """),
        new(4, "Dataset exports managed at run time", """
            CREATE TABLE IF NOT EXISTS {schema}.dataset_exports (
                id          text PRIMARY KEY,
                etag        text NOT NULL,
                record      jsonb NOT NULL,
                created_at  timestamptz NOT NULL,
                updated_at  timestamptz NOT NULL
            );
            """),
        new(5, "Find the runs that left files at their destination without reading every run (the clean-up before each run)", """
            CREATE INDEX IF NOT EXISTS runs_leftovers ON {schema}.runs (dataflow_id)
                WHERE record->'leftoverFiles' <> '[]'::jsonb OR record->'leftoverWrites' <> '[]'::jsonb;
            """),
    ];
}
