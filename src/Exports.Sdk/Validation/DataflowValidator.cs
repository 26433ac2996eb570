namespace Exports.Sdk;

/// <summary>
/// Checks a dataflow and returns every problem, each naming the dataflow, the field and the value, so a caller can fix
/// them all at once.
/// </summary>
public static class DataflowValidator
{
    /// <summary>The frequencies allowed for <see cref="ExportMode.DailyFullExport"/>.</summary>
    public static IReadOnlyList<ScheduleFrequency> FullExportFrequencies { get; } =
        [ScheduleFrequency.Once, ScheduleFrequency.Daily, ScheduleFrequency.Weekly, ScheduleFrequency.Monthly];

    /// <summary>The frequencies allowed for <see cref="ExportMode.FirstFullThenIncremental"/>.</summary>
    public static IReadOnlyList<ScheduleFrequency> IncrementalFrequencies { get; } =
        [ScheduleFrequency.Daily, ScheduleFrequency.Every3Hours, ScheduleFrequency.Every6Hours, ScheduleFrequency.Every8Hours, ScheduleFrequency.Every12Hours];

    /// <summary>Checks a dataflow.</summary>
    /// <param name="dataflow">The dataflow.</param>
    /// <param name="sourceExists">Whether an audience source name is registered; null to skip the check.</param>
    /// <param name="destinationExists">Whether a destination name exists; null to skip the check.</param>
    /// <returns>The problems; empty when valid.</returns>
    public static IReadOnlyList<string> Validate(DataflowDefinition dataflow, Func<string, bool>? sourceExists = null, Func<string, bool>? destinationExists = null)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        var problems = new List<string>();
        if (ExportIds.Problem("Dataflow", dataflow.Id) is { } badId)
        {
            return [badId];
        }

        var where = $"Dataflow '{(string.IsNullOrEmpty(dataflow.Id) ? dataflow.Name : dataflow.Id)}'";
        if (NullEntryProblems(dataflow, where) is { Count: > 0 } nulls)
        {
            // The checks below read every entry.
            return nulls;
        }

        if (string.IsNullOrEmpty(dataflow.Source))
        {
            problems.Add($"{where}: Source is required.");
        }
        else if (sourceExists is not null && !sourceExists(dataflow.Source))
        {
            problems.Add($"{where}: Source '{dataflow.Source}' is not a registered audience source.");
        }

        if (string.IsNullOrEmpty(dataflow.Destination))
        {
            problems.Add($"{where}: Destination is required.");
        }
        else if (destinationExists is not null && !destinationExists(dataflow.Destination))
        {
            problems.Add($"{where}: Destination '{dataflow.Destination}' is not a configured destination.");
        }

        ValidateColumns(dataflow, where, problems);
        ValidateDeduplication(dataflow, where, problems);

        foreach (var duplicate in dataflow.Audiences.GroupBy(a => a.AudienceId, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{where}: Audiences lists '{duplicate.Key}' more than once.");
        }

        foreach (var audience in dataflow.Audiences)
        {
            ValidateAudience(audience, where, problems);
        }

        return problems;
    }

    private static List<string> NullEntryProblems(DataflowDefinition dataflow, string where)
    {
        var problems = new List<string>();
        NullEntries.Add(problems, where, nameof(dataflow.Attributes), dataflow.Attributes);
        NullEntries.Add(problems, where, nameof(dataflow.IdentityNamespaces), dataflow.IdentityNamespaces);
        NullEntries.Add(problems, where, nameof(dataflow.MandatoryAttributes), dataflow.MandatoryAttributes);
        NullEntries.Add(problems, where, nameof(dataflow.Audiences), dataflow.Audiences);
        if (dataflow.Deduplication is { } key)
        {
            NullEntries.Add(problems, where, "Deduplication.Attributes", key.Attributes);
        }

        return problems;
    }

    private static void ValidateColumns(DataflowDefinition dataflow, string where, List<string> problems)
    {
        if (dataflow.Attributes.Count == 0 && dataflow.IdentityNamespaces.Count == 0)
        {
            problems.Add($"{where}: Attributes must name at least one profile attribute.");
        }

        foreach (var duplicate in dataflow.Attributes.GroupBy(a => a, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{where}: Attributes lists '{duplicate.Key}' more than once.");
        }

        foreach (var attribute in dataflow.Attributes.Where(a => string.IsNullOrWhiteSpace(a) || a.Split('.').Any(s => s.Length == 0)))
        {
            problems.Add($"{where}: Attributes has the invalid path '{attribute}'.");
        }

        // Identity columns come only through IdentityNamespaces, which needs the identity-graph permission: an attribute
        // path that names one would export identities without it.
        foreach (var attribute in dataflow.Attributes.Where(a => a.StartsWith(AudienceColumns.IdentityPrefix, StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add($"{where}: Attributes names '{attribute}', an identity column; list the namespace '{attribute[AudienceColumns.IdentityPrefix.Length..]}' in IdentityNamespaces instead (exporting identities needs the ViewIdentityGraph permission).");
        }

        foreach (var ns in dataflow.IdentityNamespaces.Where(n => string.IsNullOrWhiteSpace(n) || n.Contains('.', StringComparison.Ordinal)))
        {
            problems.Add($"{where}: IdentityNamespaces has the invalid namespace '{ns}'.");
        }

        foreach (var duplicate in dataflow.IdentityNamespaces.GroupBy(a => a, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{where}: IdentityNamespaces lists '{duplicate.Key}' more than once.");
        }

        var columns = dataflow.OutputColumnNames().ToHashSet(StringComparer.Ordinal);
        foreach (var mandatory in dataflow.MandatoryAttributes.Where(m => !columns.Contains(m)))
        {
            problems.Add($"{where}: MandatoryAttributes names '{mandatory}', which is neither a selected attribute nor an identity column (identityMap.<namespace>).");
        }
    }

    private static void ValidateDeduplication(DataflowDefinition dataflow, string where, List<string> problems)
    {
        if (dataflow.Deduplication is not { } key)
        {
            return;
        }

        var hasNamespace = !string.IsNullOrEmpty(key.IdentityNamespace);
        if (hasNamespace && key.Attributes.Count > 0)
        {
            problems.Add($"{where}: Deduplication mixes the identity namespace '{key.IdentityNamespace}' with attributes ({string.Join(", ", key.Attributes)}); use one namespace, or one or two attributes.");
            return;
        }

        if (!hasNamespace && key.Attributes.Count == 0)
        {
            problems.Add($"{where}: Deduplication needs an IdentityNamespace or one or two Attributes.");
        }

        if (key.Attributes.Count > 2)
        {
            problems.Add($"{where}: Deduplication.Attributes has {key.Attributes.Count} attributes; at most two.");
        }

        if (hasNamespace && !dataflow.IdentityNamespaces.Contains(key.IdentityNamespace!, StringComparer.Ordinal))
        {
            problems.Add($"{where}: Deduplication.IdentityNamespace '{key.IdentityNamespace}' is not among IdentityNamespaces.");
        }

        foreach (var attribute in key.Attributes.Where(a => !dataflow.Attributes.Contains(a, StringComparer.Ordinal)))
        {
            problems.Add($"{where}: Deduplication.Attributes names '{attribute}', which is not a selected attribute.");
        }

        if (key.Attributes.Count == 2 && key.Attributes[0] == key.Attributes[1])
        {
            problems.Add($"{where}: Deduplication.Attributes names '{key.Attributes[0]}' twice.");
        }
    }

    private static void ValidateAudience(AudienceActivation audience, string where, List<string> problems)
    {
        var at = $"{where}, audience '{audience.AudienceId}'";
        if (string.IsNullOrWhiteSpace(audience.AudienceId))
        {
            problems.Add($"{where}: an audience has no AudienceId.");
        }

        foreach (var problem in FileNameTemplate.Validate(audience.FileNameTemplate))
        {
            problems.Add($"{at}, FileNameTemplate: {problem}");
        }

        if (!Enum.IsDefined(audience.Mode))
        {
            problems.Add($"{at}: Mode '{audience.Mode}' is not an export mode.");
            return;
        }

        if (audience.Schedule is not { } schedule)
        {
            return;
        }

        var allowed = audience.Mode == ExportMode.DailyFullExport ? FullExportFrequencies : IncrementalFrequencies;
        ScheduleRules.Validate(schedule, audience.Mode, allowed, at, problems);
    }
}
