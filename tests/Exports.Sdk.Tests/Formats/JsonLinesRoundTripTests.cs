using System.IO.Compression;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Tests.Formats;

public class JsonLinesRoundTripTests
{
    [Fact]
    public async Task AudienceExport_NestedPathsGzip_EachLineParsesWithNestedObjects()
    {
        var members = new[]
        {
            new AudienceMember(new Dictionary<string, object?>
            {
                ["person.name.firstName"] = "Zoë \"Z\" O'Brien",
                ["person.name.lastName"] = "line\nbreak\ttab\u0001ctl",
                ["person.email"] = "zoe@example.com",
                ["loyalty.points"] = 1200,
                ["loyalty.lifetimeValue"] = 1234.5678m,
                ["person.birthDate"] = new DateOnly(1990, 5, 17),
                ["optIn"] = true,
            }, MembershipStatus.Realized, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)),
            new AudienceMember(new Dictionary<string, object?>
            {
                ["person.name.firstName"] = "日本語 😀",
                ["person.email"] = "x@example.com",
                ["loyalty.points"] = null,
                ["optIn"] = false,
            }),
        };
        var root = Directory.CreateTempSubdirectory("exports-jsonl-").FullName;
        var services = new ServiceCollection();
        services.AddExports().UseInMemoryExportStore()
            .AddAudienceSource("mem", new InMemoryAudienceSource().AddAudience(new AudienceInfo("vip", "VIP"), members))
            .AddLocalFolderDestination("out", root, d => { d.Output.Format.Name = "jsonl"; d.Output.Format.Compression = ExportCompression.Gzip; });
        await using var provider = services.BuildServiceProvider();
        var dataflow = new DataflowDefinition
        {
            Id = "flow",
            Source = "mem",
            Destination = "out",
            Attributes = ["person.name.firstName", "person.name.lastName", "person.email", "loyalty.points", "loyalty.lifetimeValue", "person.birthDate", "optIn"],
            IncludeMembershipStatus = true,
            Audiences = [new AudienceActivation { AudienceId = "vip", FileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%" }],
        };

        var result = await provider.GetRequiredService<IExportRunner>().RunAsync(dataflow, new ExportRunRequest());

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var file = result.Files.Single();
        file.Name.Should().Be("out_vip.jsonl.gz");
        await using var gzip = new GZipStream(File.OpenRead(Path.Combine(root, file.Path)), CompressionMode.Decompress);
        using var text = new StreamReader(gzip);
        var lines = (await text.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2);

        using var first = JsonDocument.Parse(lines[0]);
        var person = first.RootElement.GetProperty("person");
        person.GetProperty("name").GetProperty("firstName").GetString().Should().Be("Zoë \"Z\" O'Brien");
        person.GetProperty("name").GetProperty("lastName").GetString().Should().Be("line\nbreak\ttab\u0001ctl");
        person.GetProperty("email").GetString().Should().Be("zoe@example.com");
        person.GetProperty("birthDate").GetString().Should().Be("1990-05-17");
        first.RootElement.GetProperty("loyalty").GetProperty("points").GetInt32().Should().Be(1200);
        first.RootElement.GetProperty("loyalty").GetProperty("lifetimeValue").GetDecimal().Should().Be(1234.5678m);
        first.RootElement.GetProperty("optIn").GetBoolean().Should().BeTrue();
        var membership = first.RootElement.GetProperty("segmentMembership");
        membership.GetProperty("status").GetString().Should().Be("realized");
        membership.GetProperty("lastQualificationTime").GetDateTimeOffset().Should().Be(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        lines[0].Should().NotContain("person.name", "dotted paths become nested objects, not dotted keys");

        using var second = JsonDocument.Parse(lines[1]);
        second.RootElement.GetProperty("person").GetProperty("name").GetProperty("firstName").GetString().Should().Be("日本語 😀");
        second.RootElement.GetProperty("person").GetProperty("name").GetProperty("lastName").ValueKind.Should().Be(JsonValueKind.Null);
        second.RootElement.GetProperty("loyalty").GetProperty("points").ValueKind.Should().Be(JsonValueKind.Null);
        lines[1].Should().Contain("日本語", "non-ASCII text stays readable (astral characters such as emoji are escaped, which JSON allows)");
    }
}
