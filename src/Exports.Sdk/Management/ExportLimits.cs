namespace Exports.Sdk;

/// <summary>Limits of the management API, as in the documents it is modelled on.</summary>
public static class ExportLimits
{
    /// <summary>The most audiences one "export file now" request may name.</summary>
    public const int MaxAudiencesPerExportNow = 80;
}
