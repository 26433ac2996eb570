using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk;

/// <summary>
/// Plans a run of a dataflow: one entry per requested audience, read from the dataflow's source with its attributes,
/// filtered by its row rules (mandatory attributes, deduplication) and named by the audience's file-name template.
/// </summary>
internal sealed class AudiencePlanner(IDestinationCatalog catalog, IEnumerable<IExportFormat> formats, IServiceProvider services, TimeProvider timeProvider)
{
    /// <param name="dataflow">The dataflow.</param>
    /// <param name="request">What to run; its <see cref="ExportRunRequest.ChangedSince"/> reads incrementally without an overlap.</param>
    /// <param name="windows">Per audience, the scheduler's incremental window (watermark and overlap from the store).</param>
    /// <param name="cancellationToken">Cancels the planning.</param>
    /// <exception cref="ExportValidationException">The dataflow names an unknown destination, format, source or audience, or a bad template.</exception>
    public async Task<ExportPlan> PlanAsync(DataflowDefinition dataflow, ExportRunRequest request, IReadOnlyDictionary<string, IncrementalWindow>? windows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        ArgumentNullException.ThrowIfNull(request);
        // Checked again here: a dataflow saved before its output was validated must not run with, say, a 0-byte part limit.
        if (dataflow.Output is { } output && ExportOutputValidator.Validate($"Dataflow '{dataflow.Id}'", output, formats).ToList() is { Count: > 0 } outputProblems)
        {
            throw new ExportValidationException(outputProblems);
        }

        var target = await ExportTarget.ResolveAsync(catalog, formats, dataflow.Destination, dataflow.Output, cancellationToken).ConfigureAwait(false);
        var source = services.GetKeyedService<IAudienceSource>(dataflow.Source)
            ?? throw new ExportValidationException($"Dataflow '{dataflow.Id}': Source '{dataflow.Source}' is not a registered audience source.");
        var audiences = Audiences(dataflow, request);
        var names = await GetAudienceNamesAsync(source, audiences, cancellationToken).ConfigureAwait(false);

        var runId = request.RunId ?? RunIds.New(timeProvider);
        var scheduledTime = request.ScheduledTime ?? timeProvider.GetUtcNow();
        // Fixed names are staged under run-scoped names; a retried slot (same run id) replaces its own staged parts.
        var stagingTag = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(runId)))[..12];
        var outputNames = dataflow.OutputColumnNames();
        var maxKeys = services.GetService<IOptions<ExportsOptions>>()?.Value.Runs.MaxDeduplicationKeys ?? new ExportRunOptions().MaxDeduplicationKeys;
        OutputColumn[] defaultColumns = [.. outputNames.Select((name, i) => new OutputColumn(
            name, name == AudienceColumns.MembershipStatusTime ? ExportColumnType.Timestamp : ExportColumnType.String, i))];
        return new ExportPlan
        {
            RunId = runId,
            FlowId = dataflow.Id,
            FlowKind = "dataflow",
            FlowName = $"Dataflow '{dataflow.Id}'",
            ScheduledTime = scheduledTime,
            Target = target,
            ManifestFolder = target.Definition.FolderPath,
            LatestFolder = target.Definition.FolderPath,
            DefaultColumns = defaultColumns,
            ToManifestFile = f => ExportTarget.ToManifestFile(f) with { AudienceId = f.SourceId },
            Entries = [.. audiences.Select(audience =>
            {
                var exportName = $"Dataflow '{dataflow.Id}', audience '{audience.AudienceId}'";
                var name = names.GetValueOrDefault(audience.AudienceId);
                var window = windows?.GetValueOrDefault(audience.AudienceId)
                    ?? (request.ChangedSince is { } since && since.TryGetValue(audience.AudienceId, out var changedSince) ? new IncrementalWindow(changedSince, TimeSpan.Zero) : null);
                var readRequest = new AudienceReadRequest(audience.AudienceId, dataflow.Attributes)
                {
                    IdentityNamespaces = dataflow.IdentityNamespaces,
                    NewestFirst = dataflow.Deduplication is not null,
                    ChangedSince = window?.Since,
                };
                return new ExportEntryPlan
                {
                    SourceId = audience.AudienceId,
                    ExportName = exportName,
                    FolderPath = target.Definition.FolderPath,
                    Problem = name is null ? $"the source '{dataflow.Source}' does not list this audience."
                        : audience.Template.IsStatic && target.Destination is not IDestinationMove
                            ? $"its file names have no date or time part, so each run replaces the previous files, which destination '{target.Definition.Name}' (type '{target.Definition.Type}') cannot do safely: it cannot move files (IDestinationMove). Add %DATETIME(...)% to the FileNameTemplate."
                            : null,
                    StagingTag = audience.Template.IsStatic ? stagingTag : null,
                    BaseName = name is null ? "" : audience.Template.Render(new FileNameContext
                    {
                        DestinationName = target.Definition.Name,
                        DestinationId = target.Definition.EffectiveId,
                        SegmentId = audience.AudienceId,
                        SegmentName = name,
                        OrganizationName = dataflow.OrganizationName,
                        SandboxName = dataflow.SandboxName,
                        Time = scheduledTime,
                    }),
                    ReadAsync = ct => source.ReadMembersAsync(readRequest, ct),
                    MapColumns = schema => OutputColumnMapper.Map(schema, outputNames, exportName, dataflow.Source),
                    CreateSelector = schema => new RowFilter(dataflow, schema, exportName, maxKeys, window),
                    Since = window?.Since is { } from ? DatasetWatermark.FromTimestamp(from) : null,
                    ColumnsWhenEmptyAsync = _ => ValueTask.FromResult<OutputColumn[]?>(defaultColumns),
                };
            })],
        };
    }

    /// <summary>The requested audiences with their parsed templates; every problem is reported together.</summary>
    private static List<(string AudienceId, IFileNameTemplate Template)> Audiences(DataflowDefinition dataflow, ExportRunRequest request)
    {
        var problems = new List<string>();
        var requested = request.AudienceIds is { Count: > 0 } ids ? ids : [.. dataflow.Audiences.Select(a => a.AudienceId)];
        var audiences = new List<(string, IFileNameTemplate)>();
        foreach (var id in requested.Distinct(StringComparer.Ordinal))
        {
            var activation = dataflow.Audiences.Find(a => a.AudienceId == id);
            if (activation is null)
            {
                problems.Add($"Audience '{id}' is not part of dataflow '{dataflow.Id}'.");
                continue;
            }

            var templateProblems = FileNameTemplate.Validate(activation.FileNameTemplate);
            if (templateProblems.Count > 0)
            {
                problems.AddRange(templateProblems.Select(p => $"Dataflow '{dataflow.Id}', audience '{id}', FileNameTemplate: {p}"));
                continue;
            }

            audiences.Add((activation.AudienceId, FileNameTemplate.Parse(activation.FileNameTemplate)));
        }

        return problems.Count > 0 ? throw new ExportValidationException(problems) : audiences;
    }

    private static async Task<Dictionary<string, string>> GetAudienceNamesAsync(IAudienceSource source, List<(string AudienceId, IFileNameTemplate Template)> audiences, CancellationToken cancellationToken)
    {
        var wanted = audiences.Select(a => a.AudienceId).ToHashSet(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var audience in source.ListAudiencesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (wanted.Contains(audience.Id))
            {
                names[audience.Id] = audience.Name;
            }
        }

        return names;
    }
}
