namespace Exports.Sdk.Tests.Naming;

public class DatasetFolderTemplateTests
{
    private static readonly DatasetFolderContext Context = new()
    {
        DatasetId = "web/events",
        Time = new DateTimeOffset(2026, 3, 14, 9, 26, 59, TimeSpan.FromHours(2)),
        DestinationType = "sftp",
        DestinationName = "Partner drop",
        DestinationId = "partner-drop",
        SandboxName = "prod",
        OrganizationName = "Acme",
    };

    [Fact]
    public void Default_IsTheDatasetFolderWithTheExportTimeInUtc()
    {
        DatasetFolderTemplate.Parse(null).Render(Context).Should().Be("web_events/exportTime=202603140726");
        DatasetFolderTemplate.Parse("").Template.Should().Be(DatasetFolderTemplate.Default);
    }

    [Fact]
    public void EveryPlaceholder_IsRendered_EachSegmentOneSafeName()
    {
        var template = DatasetFolderTemplate.Parse(
            "%ORGANIZATION_NAME%-%SANDBOX_NAME%/%DESTINATION%/%DESTINATION_INSTANCE_NAME%/%DESTINATION_INSTANCE_ID%/%DATASET_ID%/%DATETIME(YYYY-MM-dd)%/%EXPORT_TIME%");

        template.Render(Context).Should().Be("Acme-prod/sftp/Partner drop/partner-drop/web_events/2026-03-14/exportTime=202603140726");
        template.Render(Context with { SandboxName = null, OrganizationName = null }).Should().StartWith("-/", "an empty value does not merge two folders");
        DatasetFolderTemplate.Parse("%SANDBOX_NAME%/%EXPORT_TIME%").Render(Context with { SandboxName = "" }).Should().Be("_/exportTime=202603140726");
        DatasetFolderTemplate.Parse("%DATASET_ID%/%EXPORT_TIME%").Render(Context with { DatasetId = ".." }).Should().Be("__/exportTime=202603140726");
    }

    [Theory]
    [InlineData("%DATASET_ID%/%HOUR%/%EXPORT_TIME%", "unknown placeholder '%HOUR%'")]
    [InlineData("%DATASET_ID%", "must contain %EXPORT_TIME% or %DATETIME(…)%")]
    [InlineData("%DATASET_ID%//%EXPORT_TIME%", "empty folder name")]
    [InlineData("/%EXPORT_TIME%", "empty folder name")]
    [InlineData("../%EXPORT_TIME%", "would leave the run's folder")]
    [InlineData("%EXPORT_TIME%/%DATETIME(YYYY_Q)%", "%DATETIME(YYYY_Q)% pattern")]
    [InlineData("%DATASET_ID/%EXPORT_TIME%", "'%' that is not closed")]
    public void Validate_BadTemplate_NamesTheProblem(string template, string expected)
    {
        DatasetFolderTemplate.Validate(template).Should().ContainSingle().Which.Should().Contain("dataset folder template").And.Contain(expected);
        var parse = () => DatasetFolderTemplate.Parse(template);
        parse.Should().Throw<ExportValidationException>();
    }
}
