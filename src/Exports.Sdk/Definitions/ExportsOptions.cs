namespace Exports.Sdk;

/// <summary>
/// Destinations, dataflows and dataset exports declared in configuration (section <c>Exports</c>) or in code. Validated at start-up:
/// every problem is reported together, naming the destination or dataflow and the field.
/// </summary>
public sealed class ExportsOptions
{
    /// <summary>The configuration section bound by default, <c>Exports</c>.</summary>
    public const string SectionName = "Exports";

    /// <summary>
    /// The folder of the default store (<see cref="FileExportStore"/>) that keeps dataflows, runs and watermarks.
    /// Default <c>exports-store</c> under the working directory. Ignored when another store is registered.
    /// </summary>
    public string StorePath { get; set; } = "exports-store";

    /// <summary>
    /// The folder under which destinations of type <c>local</c> created at run time (<see cref="IDestinationManager"/>)
    /// must write. Default null: such destinations are refused, since they would let whoever manages destinations
    /// write, replace and delete files anywhere the host can. Destinations declared in code or configuration are not
    /// limited by it.
    /// </summary>
    public string? RunTimeLocalRoot { get; set; }

    /// <summary>
    /// Whether destinations created at run time (<see cref="IDestinationManager"/>) may sign in with this host's own
    /// identity: the auth schemes a provider lists in <see cref="DestinationDescriptor.HostCredentialSchemes"/>, such as an
    /// Azure token credential registered in code or the AWS SDK's default credential chain, and files of the host named
    /// in settings that take a file's content or its path (<see cref="DestinationSettingDescriptor.FileContentMarker"/>,
    /// e.g. an SFTP private key). Default false: such destinations are refused, since whoever manages destinations could
    /// send the host's tokens to an endpoint of their choosing, log in with the host's keys, or write to and delete from
    /// any store the host's identity can reach. Destinations declared in code or configuration are not limited by it.
    /// </summary>
    public bool AllowRunTimeHostCredentials { get; set; }

    /// <summary>How runs execute on this host: concurrency and progress saving.</summary>
    public ExportRunOptions Runs { get; set; } = new();

    /// <summary>Destinations by name (case-insensitive).</summary>
    public Dictionary<string, DestinationDefinition> Destinations { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Dataflows by id (case-insensitive).</summary>
    public Dictionary<string, DataflowDefinition> Dataflows { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Dataset exports by id (case-insensitive); ids are shared with <see cref="Dataflows"/> and must differ from theirs.</summary>
    public Dictionary<string, DatasetExportDefinition> DatasetExports { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Returns a dataflow by id.</summary>
    /// <param name="id">The dataflow id.</param>
    /// <returns>The dataflow.</returns>
    /// <exception cref="ExportValidationException">There is no such dataflow.</exception>
    public DataflowDefinition GetDataflow(string id) =>
        Dataflows.TryGetValue(id, out var dataflow)
            ? dataflow
            : throw new ExportValidationException($"There is no dataflow '{id}'. Known dataflows: {string.Join(", ", Dataflows.Keys.Order(StringComparer.Ordinal))}.");
}
