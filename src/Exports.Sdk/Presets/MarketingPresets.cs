namespace Exports.Sdk;

/// <summary>
/// Presets for the e-mail marketing platforms that import audience files from storage. They are starting points that
/// match each platform's common import set-up; check the partner's import definition and adjust the format if needed.
/// </summary>
/// <remarks>
/// They live in the core package because they are configuration only (a provider type name and CSV options), and one
/// of them (Adobe Campaign) spans three storage types; the transport is whichever provider package the destination uses.
/// </remarks>
public static class MarketingPresets
{
    private const string AmazonS3 = "amazon-s3";
    private const string AzureBlob = "azure-blob";
    private const string Sftp = "sftp";

    /// <summary>Adobe Campaign: reads CSV from SFTP, Amazon S3 or Azure Blob (a workflow's file collector picks it up).</summary>
    public static DestinationPreset AdobeCampaign { get; } = new()
    {
        Name = "adobe-campaign",
        DisplayName = "Adobe Campaign",
        DestinationTypes = [Sftp, AmazonS3, AzureBlob],
        Description = "Comma-separated UTF-8 CSV with a header, for a Campaign workflow's file collector and Load (file) activity.",
    };

    /// <summary>Oracle Eloqua: reads CSV from its SFTP upload folder; every value is quoted.</summary>
    public static DestinationPreset OracleEloqua { get; } = new()
    {
        Name = "oracle-eloqua",
        DisplayName = "Oracle Eloqua",
        DestinationTypes = [Sftp],
        Description = "Comma-separated UTF-8 CSV with a header and every value quoted, for an Eloqua SFTP import (contact upload).",
        QuoteAll = true,
    };

    /// <summary>Oracle Responsys: reads CSV from its SFTP upload folder for a Connect import job.</summary>
    public static DestinationPreset OracleResponsys { get; } = new()
    {
        Name = "oracle-responsys",
        DisplayName = "Oracle Responsys",
        DestinationTypes = [Sftp],
        Description = "Comma-separated UTF-8 CSV with a header and every value quoted, for a Responsys Connect import job reading its SFTP folder.",
        QuoteAll = true,
    };

    /// <summary>Salesforce Marketing Cloud: reads CSV from its Enhanced FTP (SFTP) Import folder for an Import activity.</summary>
    public static DestinationPreset SalesforceMarketingCloud { get; } = new()
    {
        Name = "salesforce-marketing-cloud",
        DisplayName = "Salesforce Marketing Cloud",
        DestinationTypes = [Sftp],
        Description = "Comma-separated UTF-8 CSV with a header, for an Automation Studio file drop or Import activity reading the SFTP Import folder.",
    };

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<DestinationPreset> All { get; } = [AdobeCampaign, OracleEloqua, OracleResponsys, SalesforceMarketingCloud];

    /// <summary>Finds a preset by <see cref="DestinationPreset.Name"/> (case-insensitive).</summary>
    /// <param name="name">The preset name, e.g. <c>oracle-eloqua</c>.</param>
    /// <returns>The preset, or null.</returns>
    public static DestinationPreset? Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
