namespace Exports.Sdk.Tests.Presets;

public class MarketingPresetsTests
{
    [Fact]
    public void All_CoverTheFourPlatforms_OverSftpOrS3()
    {
        MarketingPresets.All.Select(p => p.DisplayName).Should().Equal("Adobe Campaign", "Oracle Eloqua", "Oracle Responsys", "Salesforce Marketing Cloud");
        MarketingPresets.All.Should().OnlyContain(p => p.DestinationTypes.Contains("sftp"));
        MarketingPresets.AdobeCampaign.DestinationTypes.Should().Contain(["amazon-s3", "azure-blob"]);
        MarketingPresets.Find("ORACLE-ELOQUA").Should().BeSameAs(MarketingPresets.OracleEloqua);
    }

    [Fact]
    public void ApplyTo_SetsTypeAndCsvDefaults_AndKeepsSettings()
    {
        var definition = new DestinationDefinition { Name = "eloqua" };
        definition.Settings["host"] = "sftp.example.com";
        definition.Output.Format.Compression = ExportCompression.Gzip;

        MarketingPresets.OracleEloqua.ApplyTo(definition);

        definition.Type.Should().Be("sftp");
        definition.Output.Format.Name.Should().Be("csv");
        definition.Output.Format.Compression.Should().Be(ExportCompression.None);
        definition.Output.Format.Csv.QuoteAll.Should().BeTrue();
        definition.Output.Format.Csv.Header.Should().BeTrue();
        definition.Output.WriteManifest.Should().BeFalse();
        definition.Settings["host"].Should().Be("sftp.example.com");
    }

    [Fact]
    public void ApplyTo_AnUnsupportedType_IsRejected()
    {
        var definition = new DestinationDefinition { Name = "sfmc", Type = "azure-blob" };

        var apply = () => MarketingPresets.SalesforceMarketingCloud.ApplyTo(definition);

        apply.Should().Throw<ExportValidationException>().WithMessage("*Salesforce Marketing Cloud preset needs one of the types sftp, not 'azure-blob'*");
    }

    [Fact]
    public void ApplyTo_Audience_SetsTheFileNameTemplate()
    {
        var audience = new AudienceActivation { AudienceId = "a", FileNameTemplate = "x" };

        MarketingPresets.AdobeCampaign.ApplyTo(audience);

        audience.FileNameTemplate.Should().Be(FileNameTemplate.Default);
    }
}
