namespace Exports.Sdk;

/// <summary>
/// The dataflow's row rules, applied per batch without allocating per row: skip profiles missing a mandatory attribute
/// (counted by reason), drop duplicates of the deduplication key (the source delivers newest first, so the first seen
/// is the most recently qualified), and check that order. In an incremental read it also follows the change times
/// (<see cref="ChangeTracker"/>): the newest one read, and the re-read changes the previous run already exported.
/// </summary>
internal sealed class RowFilter : IRowSelector
{
    private readonly (int Ordinal, string Reason)[] _mandatory;
    private readonly int[] _keyOrdinals;
    private readonly int _statusTimeOrdinal;
    private readonly string _exportName;
    private readonly string _sourceName;
    private readonly HashSet<UInt128> _seenKeys = [];
    private readonly RowFingerprint _hash = new();
    private readonly ChangeTracker? _changes;
    private readonly int[] _changeOrdinals;
    private readonly int _changeTimeOrdinal;
    private readonly long[] _skipCounts;
    private readonly long _maxKeys;
    private long _previousStatusTicks = long.MaxValue;

    public RowFilter(DataflowDefinition dataflow, ExportSchema schema, string exportName, long maxKeys = long.MaxValue, IncrementalWindow? window = null)
    {
        _maxKeys = maxKeys;
        _exportName = exportName;
        _sourceName = dataflow.Source;
        _mandatory = [.. dataflow.MandatoryAttributes.Select(name => (Ordinal(schema, name), $"missing mandatory attribute '{name}'"))];
        _skipCounts = new long[_mandatory.Length];
        _keyOrdinals = dataflow.Deduplication is { } key ? [.. key.ColumnNames().Select(name => Ordinal(schema, name))] : [];
        _statusTimeOrdinal = _keyOrdinals.Length > 0 ? Ordinal(schema, AudienceColumns.MembershipStatusTime) : -1;
        _changes = window?.StartRead();
        _changeTimeOrdinal = _changes is null ? -1
            : schema.IndexOf(AudienceColumns.ChangeTime) is >= 0 and var changeTime ? changeTime : Ordinal(schema, AudienceColumns.MembershipStatusTime);
        // A change is the whole row at its change time: the same key at the same time with other values (an attribute
        // edited without a new status time, or another profile with no key) is another change, exported.
        _changeOrdinals = _changes is null ? [] : [.. Enumerable.Range(0, schema.Count).Where(i => i != _changeTimeOrdinal)];
    }

    public long Duplicates { get; private set; }

    /// <summary>In an incremental read, the newest change time read; otherwise null.</summary>
    public DatasetWatermark? NextWatermark =>
        _changes?.MaxTicks is { } ticks ? DatasetWatermark.FromTimestamp(new DateTimeOffset(ticks, TimeSpan.Zero)) : null;

    public IReadOnlyDictionary<string, long> Skipped
    {
        get
        {
            var skipped = _mandatory.Select((m, i) => (m.Reason, Count: _skipCounts[i])).Where(x => x.Count > 0).ToDictionary(x => x.Reason, x => x.Count);
            if (_changes is { ExportedBefore: > 0 } changes)
            {
                skipped["exported by the previous run (re-read in the incremental overlap)"] = changes.ExportedBefore;
            }

            return skipped;
        }
    }

    /// <summary>Writes the indexes of the rows to export into <paramref name="selection"/> and returns how many.</summary>
    public int Select(RowBatch batch, int[] selection)
    {
        var count = 0;
        for (var row = 0; row < batch.Count; row++)
        {
            var timed = _changes is not null && !batch.IsNull(row, _changeTimeOrdinal);
            var ticks = timed ? batch.GetTimestampTicks(row, _changeTimeOrdinal) : 0;
            if (timed)
            {
                _changes!.Observe(ticks);
            }

            // Deduplication first, so a re-read newest row still hides the older rows of its key.
            if (IsMissingMandatory(batch, row) || IsDuplicate(batch, row) || (timed && _changes!.IsExportedBefore(_hash, batch, row, _changeOrdinals, ticks)))
            {
                continue;
            }

            selection[count++] = row;
        }

        return count;
    }

    private bool IsMissingMandatory(RowBatch batch, int row)
    {
        for (var i = 0; i < _mandatory.Length; i++)
        {
            var ordinal = _mandatory[i].Ordinal;
            if (batch.IsNull(row, ordinal)
                || (batch.Schema[ordinal].Type == ExportColumnType.String && string.IsNullOrWhiteSpace(batch.GetString(row, ordinal))))
            {
                _skipCounts[i]++;
                return true;
            }
        }

        return false;
    }

    private bool IsDuplicate(RowBatch batch, int row)
    {
        if (_keyOrdinals.Length == 0)
        {
            return false;
        }

        if (!batch.IsNull(row, _statusTimeOrdinal))
        {
            var ticks = batch.GetTimestampTicks(row, _statusTimeOrdinal);
            if (ticks > _previousStatusTicks)
            {
                throw new ExportException(
                    $"{_exportName}: deduplication needs the source '{_sourceName}' to return members newest first by " +
                    $"{AudienceColumns.MembershipStatusTime} (AudienceReadRequest.NewestFirst), but it returned {new DateTime(ticks, DateTimeKind.Utc):O} after {new DateTime(_previousStatusTicks, DateTimeKind.Utc):O}.");
            }

            _previousStatusTicks = ticks;
        }

        _hash.Reset();
        foreach (var ordinal in _keyOrdinals)
        {
            if (batch.IsNull(row, ordinal))
            {
                // A profile without the key cannot be a duplicate of another.
                return false;
            }

            _hash.AppendValue(batch, row, ordinal);
        }

        if (_seenKeys.Add(_hash.Current))
        {
            if (_seenKeys.Count > _maxKeys)
            {
                // A bound, not a spill: past it the run fails (nothing is published) instead of exhausting memory.
                throw new ExportException(
                    $"{_exportName}: deduplication has met more than {_maxKeys.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} distinct keys, the limit of Exports:Runs:MaxDeduplicationKeys " +
                    "(about 32 bytes each in memory). Raise the limit, or deduplicate in the source.");
            }

            return false;
        }

        Duplicates++;
        return true;
    }

    private int Ordinal(ExportSchema schema, string name)
    {
        var ordinal = schema.IndexOf(name);
        return ordinal >= 0
            ? ordinal
            : throw new ExportException($"{_exportName}: the source '{_sourceName}' returned no column '{name}'.");
    }
}
