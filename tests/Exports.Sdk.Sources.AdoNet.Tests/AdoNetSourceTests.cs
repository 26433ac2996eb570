using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Sources.AdoNet.Tests;

public sealed class AdoNetSourceTests : IAsyncDisposable
{
    private const string MembersSql = """
        SELECT p.email AS "person.email", p.first_name AS "person.name.firstName", p.country AS "homeAddress.countryCode",
               p.points AS "loyalty.points", m.status AS "segmentMembership.status", m.changed_at AS "segmentMembership.lastQualificationTime"
        FROM segment_members m JOIN profiles p ON p.id = m.profile_id
        WHERE m.segment_id = @audienceId AND m.status = 'realized'
        ORDER BY p.id
        """;

    private readonly CrmDatabase _db = new();
    private readonly string _root = Directory.CreateTempSubdirectory("exports-crm-").FullName;
    private ServiceProvider? _provider;

    [Fact]
    public async Task AudienceExport_SqlMembers_WritesCsvWithAttributesAndStatus()
    {
        var dataflow = Dataflow(["person.email", "person.name.firstName", "loyalty.points"]);

        var result = await Runner(o => o.MembersSql = MembersSql).RunAsync(dataflow, new ExportRunRequest());

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var lines = File.ReadAllLines(Path.Combine(_root, result.Files.Single().Path));
        lines.Should().Equal(
            "person.email,person.name.firstName,loyalty.points,segmentMembership.status,segmentMembership.lastQualificationTime",
            "ana@example.com,Ana,1200,realized,2026-01-01T10:00:00.000Z",
            "bo@example.com,\"Bo, \"\"the\"\" Builder\",,realized,2026-01-02T10:00:00.000Z");
    }

    [Fact]
    public async Task AudienceExport_Incremental_UsesChangedMembersSqlWithSince()
    {
        var dataflow = Dataflow(["person.email"]);
        var runner = Runner(o =>
        {
            o.MembersSql = MembersSql;
            o.ChangedMembersSql = """
                SELECT p.email AS "person.email", m.status AS "segmentMembership.status", m.changed_at AS "segmentMembership.lastQualificationTime"
                FROM segment_members m JOIN profiles p ON p.id = m.profile_id
                WHERE m.segment_id = @audienceId AND m.changed_at >= @since ORDER BY p.id
                """;
        });

        var result = await runner.RunAsync(dataflow, new ExportRunRequest
        {
            ChangedSince = new Dictionary<string, DateTimeOffset> { ["vip"] = new(2026, 1, 2, 0, 0, 0, TimeSpan.Zero) },
        });

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        File.ReadAllLines(Path.Combine(_root, result.Files.Single().Path)).Skip(1).Should().Equal(
            "bo@example.com,realized,2026-01-02T10:00:00.000Z",
            "chloé@example.com,exited,2026-01-05T10:00:00.000Z");
    }

    [Fact]
    public async Task AudienceExport_IdentityNamespaces_AreReadFromIdentityMapColumns()
    {
        // Issue 21, item 4: the ADO.NET source ignored IdentityNamespaces ("returned no column 'identityMap.email'").
        var dataflow = Dataflow(["person.name.firstName"]);
        dataflow.IdentityNamespaces = ["email"];
        var sql = MembersSql.Replace("p.email AS \"person.email\"", "p.email AS \"identityMap.email\"", StringComparison.Ordinal);

        var result = await Runner(o => o.MembersSql = sql).RunAsync(dataflow, new ExportRunRequest());

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        File.ReadAllLines(Path.Combine(_root, result.Files.Single().Path)).Should().Equal(
            "person.name.firstName,identityMap.email,segmentMembership.status,segmentMembership.lastQualificationTime",
            "Ana,ana@example.com,realized,2026-01-01T10:00:00.000Z",
            "\"Bo, \"\"the\"\" Builder\",bo@example.com,realized,2026-01-02T10:00:00.000Z");
    }

    [Fact]
    public async Task AudienceExport_Deduplicated_ReadsMembersNewestFirst_AndKeepsTheNewestOfEachKey()
    {
        // Issue 21, item 4: the member query orders by profile id (oldest first); deduplication needs newest first,
        // which the source now asks of the database instead of failing the run.
        _db.Execute("""
            INSERT INTO profiles VALUES (4, 'dora@example.com', 'Dora', 'PT', 7, NULL, '2026-01-04 10:00:00');
            INSERT INTO segment_members VALUES ('vip', 4, 'realized', '2026-01-04 10:00:00');
            """);
        var dataflow = Dataflow(["person.email", "homeAddress.countryCode"]);
        dataflow.Deduplication = new DeduplicationKey { Attributes = ["homeAddress.countryCode"] };

        var result = await Runner(o => o.MembersSql = MembersSql).RunAsync(dataflow, new ExportRunRequest());

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        File.ReadAllLines(Path.Combine(_root, result.Files.Single().Path)).Skip(1).Should().Equal(
            "dora@example.com,PT,realized,2026-01-04T10:00:00.000Z",
            "bo@example.com,SE,realized,2026-01-02T10:00:00.000Z");
    }

    [Fact]
    public async Task EvaluationState_IsTheDatabasesOwnLastEvaluatedAt()
    {
        // Issue 21, item 5: the source read last_evaluated_at but did not report it to the scheduler.
        _db.Execute("ALTER TABLE segments ADD COLUMN evaluated_at TEXT; UPDATE segments SET evaluated_at = '2026-06-15 05:40:00' WHERE id = 'vip';");
        var source = new AdoNetSource("crm", Options(o =>
        {
            o.MembersSql = MembersSql;
            o.ListAudiencesSql = "SELECT id, name, description, evaluated_at AS last_evaluated_at FROM segments ORDER BY id";
        }));

        var status = source;
        (await status.GetEvaluationStateAsync("vip")).Should().Be(new AudienceEvaluationState(false, new DateTimeOffset(2026, 6, 15, 5, 40, 0, TimeSpan.Zero)));
        (await status.GetEvaluationStateAsync("lapsed")).LastEvaluatedAt.Should().BeNull();
        (await status.GetEvaluationStateAsync("nowhere")).LastEvaluatedAt.Should().BeNull();
    }

    [Fact]
    public async Task ListAudiences_ReadsIdsNamesAndDescriptions()
    {
        var source = new AdoNetSource("crm", Options(o => o.MembersSql = MembersSql));

        var audiences = await source.ListAudiencesAsync().ToListAsync();

        audiences.Should().BeEquivalentTo([new AudienceInfo("lapsed", "Lapsed"), new AudienceInfo("vip", "VIP / best customers") { Description = "Top 1 %" }]);
    }

    [Fact]
    public async Task ListAttributes_DescribesTheMembersQueryColumns_WithoutTheMembershipStatusOnes()
    {
        var source = new AdoNetSource("crm", Options(o => o.MembersSql = MembersSql));

        var attributes = await source.ListAttributesAsync().ToListAsync();

        attributes.Select(a => a.Name).Should().Equal("person.email", "person.name.firstName", "homeAddress.countryCode", "loyalty.points");
    }

    [Fact]
    public async Task AudienceExport_AttributeMissingFromQuery_FailsNamingDataflowColumnAndLeavesNothing()
    {
        var dataflow = Dataflow(["person.email", "person.phone"]);

        var result = await Runner(o => o.MembersSql = MembersSql).RunAsync(dataflow, new ExportRunRequest());

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Errors.Single().Should().Contain("Dataflow 'crm-daily'").And.Contain("audience 'vip'").And.Contain("'person.phone'").And.Contain("returned no column");
        Directory.EnumerateFileSystemEntries(_root).Should().BeEmpty();
    }

    [Fact]
    public async Task DatasetExport_QueryError_FailsNamingExportDatasetAndProblem()
    {
        var result = await DatasetRunner(new AdoNetDatasetQuery { Sql = "SELECT * FROM profile" })
            .RunAsync(DatasetExport(), new DatasetRunRequest());

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Errors.Should().ContainSingle().Which.Should().Contain("Dataset export 'profiles-export'").And.Contain("dataset 'profiles'").And.Contain("no such table: profile");
        Directory.EnumerateFileSystemEntries(_root).Should().BeEmpty();
    }

    [Fact]
    public async Task DatasetExport_ColumnTypeExportCannotHold_FailsNamingColumn()
    {
        var result = await DatasetRunner(new AdoNetDatasetQuery { Sql = "SELECT id, email, avatar FROM profiles" })
            .RunAsync(DatasetExport(), new DatasetRunRequest());

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Errors.Should().ContainSingle().Which.Should().Contain("Dataset export 'profiles-export'").And.Contain("column 'avatar'").And.Contain("BLOB").And.Contain("cannot hold");
        Directory.EnumerateFileSystemEntries(_root).Should().BeEmpty();
    }

    [Fact]
    public async Task DatasetExport_ValueNotOfDeclaredType_FailsNamingColumnAndType()
    {
        var query = new AdoNetDatasetQuery { Sql = "SELECT id, first_name FROM profiles" };
        query.ColumnTypes["first_name"] = ExportColumnType.Timestamp;

        var result = await DatasetRunner(query).RunAsync(DatasetExport(), new DatasetRunRequest());

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Errors.Should().ContainSingle().Which.Should().Contain("column 'first_name'").And.Contain("cannot be read as Timestamp");
        Directory.EnumerateFileSystemEntries(_root).Should().BeEmpty();
    }

    [Fact]
    public async Task DatasetExport_IncrementalSql_SecondRunReadsOnlyNewRowsThroughSince()
    {
        var query = new AdoNetDatasetQuery
        {
            Sql = "SELECT id, email, updated_at FROM profiles ORDER BY id",
            IncrementalSql = "SELECT id, email, updated_at FROM profiles WHERE updated_at > @since ORDER BY id",
        };
        query.ColumnTypes["updated_at"] = ExportColumnType.Timestamp;
        var runner = DatasetRunner(query);
        var export = DatasetExport();
        export.WatermarkColumn = "updated_at";

        var first = await runner.RunAsync(export, new DatasetRunRequest());
        _db.Execute("INSERT INTO profiles (id, email, updated_at) VALUES (4, 'dee@example.com', '2026-02-01 08:00:00.000')");
        var second = await runner.RunAsync(export, new DatasetRunRequest { Since = first.Entries[0].Watermark });

        first.RowsExported.Should().Be(3);
        first.Entries[0].Watermark.Should().Be(DatasetWatermark.FromTimestamp(new DateTimeOffset(2026, 1, 3, 10, 0, 0, TimeSpan.Zero)));
        second.RowsRead.Should().Be(1, "the SQL filtered by @since");
        second.Entries[0].Watermark.Should().Be(DatasetWatermark.FromTimestamp(new DateTimeOffset(2026, 2, 1, 8, 0, 0, TimeSpan.Zero)));
        File.ReadAllLines(Path.Combine(_root, second.Files.Single().Path)).Should().Equal("id,email,updated_at", "4,dee@example.com,2026-02-01T08:00:00.000Z");
    }

    [Fact]
    public async Task ListDatasets_DescribesColumnsWithoutReadingRows()
    {
        var source = new AdoNetSource("crm", Options(o => o.Datasets["profiles"] = new AdoNetDatasetQuery { Sql = "SELECT id, email, points FROM profiles" }));

        var dataset = (await source.ListDatasetsAsync().ToListAsync()).Single();

        dataset.Schema.Should().Equal(
            new ExportColumn("id", ExportColumnType.Int64), new ExportColumn("email", ExportColumnType.String), new ExportColumn("points", ExportColumnType.Int64));
    }

    [Fact]
    public void Constructor_IncompleteOptions_ListsEveryProblem()
    {
        var act = () => new AdoNetSource("crm", new AdoNetSourceOptions { MembersSql = "SELECT 1" });

        act.Should().Throw<ExportValidationException>().Which.Errors.Should().HaveCount(2)
            .And.Contain(e => e.Contains("ConnectionFactory", StringComparison.Ordinal))
            .And.Contain(e => e.Contains("ListAudiencesSql", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        _db.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static DataflowDefinition Dataflow(List<string> attributes) => new()
    {
        Id = "crm-daily",
        Source = "crm",
        Destination = "out",
        Attributes = attributes,
        IncludeMembershipStatus = true,
        Audiences = [new AudienceActivation { AudienceId = "vip" }],
    };

    private static DatasetExportDefinition DatasetExport() => new() { Id = "profiles-export", Source = "crm", Destination = "out", DatasetId = "profiles" };

    private AdoNetSourceOptions Options(Action<AdoNetSourceOptions> configure)
    {
        var options = new AdoNetSourceOptions
        {
            ConnectionFactory = () => new SqliteConnection(_db.ConnectionString),
            ListAudiencesSql = "SELECT id, name, description FROM segments ORDER BY id",
        };
        options.ColumnTypes[AudienceColumns.MembershipStatusTime] = ExportColumnType.Timestamp;
        configure(options);
        return options;
    }

    private IExportRunner Runner(Action<AdoNetSourceOptions> configure) => Build(configure).GetRequiredService<IExportRunner>();

    private IDatasetExportRunner DatasetRunner(AdoNetDatasetQuery query) =>
        Build(o => o.Datasets["profiles"] = query).GetRequiredService<IDatasetExportRunner>();

    private ServiceProvider Build(Action<AdoNetSourceOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddExports().UseInMemoryExportStore()
            .AddAdoNetSource("crm", o =>
            {
                var built = Options(configure);
                o.ConnectionFactory = built.ConnectionFactory;
                o.ListAudiencesSql = built.ListAudiencesSql;
                o.MembersSql = built.MembersSql;
                o.ChangedMembersSql = built.ChangedMembersSql;
                o.Datasets = built.Datasets;
                o.ColumnTypes = built.ColumnTypes;
            })
            .AddLocalFolderDestination("out", _root);
        _provider = services.BuildServiceProvider();
        return _provider;
    }
}
