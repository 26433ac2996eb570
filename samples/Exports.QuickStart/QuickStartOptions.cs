namespace Exports.QuickStart;

/// <summary>The sample's own settings (section <c>QuickStart</c>).</summary>
internal sealed class QuickStartOptions
{
    /// <summary>The dataflow to run.</summary>
    public string Dataflow { get; set; } = "demo";

    /// <summary>How many profiles the generated demo audience has.</summary>
    public long AudienceSize { get; set; } = 1_000_000;

    /// <summary>The id of the generated audience (the dataflow activates it).</summary>
    public string AudienceId { get; set; } = "demo-audience";
}
