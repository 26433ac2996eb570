namespace Exports.Sdk;

/// <summary>An audience activated on a dataflow, with how its files are named.</summary>
public sealed class AudienceActivation
{
    /// <summary>The audience id in the dataflow's source.</summary>
    public string AudienceId { get; set; } = "";

    /// <summary>The file-name template. Default <see cref="Sdk.FileNameTemplate.Default"/>.</summary>
    public string FileNameTemplate { get; set; } = Sdk.FileNameTemplate.Default;
}
