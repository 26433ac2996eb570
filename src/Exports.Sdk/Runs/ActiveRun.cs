using Microsoft.Extensions.Logging;

namespace Exports.Sdk;

/// <summary>
/// A run claimed by this host and not yet recorded as ended: its current record, its progress over all entries, its
/// cancellation, and the heartbeat that saves progress and renews the claim every few seconds (never per row) and
/// picks up a cancellation asked for on another host.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Token sources without timers and a semaphore whose wait handle is never asked for hold nothing to dispose, and waiters may still cancel after the run ended.")]
internal sealed class ActiveRun : IProgress<ExportProgress>, IRunJournal
{
    private readonly Lock _gate = new();
    private readonly List<Func<IReadOnlySet<string>, Task>> _afterRecorded = [];
    private readonly Dictionary<string, ExportProgress> _entries = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _cancel = new();
    private readonly CancellationTokenSource _stopHeartbeat = new();
    private readonly TaskCompletionSource<ExportRunRecord> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<IProgress<ExportProgress>> _listeners = [];

    /// <summary>
    /// One progress save at a time, each with the record as it is once its turn comes: a heartbeat's older copy must not
    /// land after a file's entry and drop it from the store.
    /// </summary>
    private readonly SemaphoreSlim _saves = new(1, 1);
    private ExportRunRecord _record;
    private string? _lastSource;
    private string? _cancelReason;
    private Task _heartbeat = Task.CompletedTask;
    private IExportStore? _journalStore;
    private TimeProvider? _journalTime;
    private ILogger? _journalLogger;

    public ActiveRun(ExportRunRecord record) => _record = record;

    public string RunId => _record.RunId;

    public ExportRunRecord Record
    {
        get
        {
            lock (_gate)
            {
                return _record;
            }
        }
    }

    /// <summary>Cancelled by <see cref="Cancel"/>: a request by id, the host stopping, or the claim lost.</summary>
    public CancellationToken Cancellation => _cancel.Token;

    /// <summary>Why the run was cancelled, when it was.</summary>
    public string? CancelReason
    {
        get
        {
            lock (_gate)
            {
                return _cancelReason;
            }
        }
    }

    /// <summary>The final record, once saved.</summary>
    public Task<ExportRunRecord> Ended => _ended.Task;

    public void AddListener(IProgress<ExportProgress>? listener)
    {
        if (listener is not null)
        {
            lock (_gate)
            {
                _listeners.Add(listener);
            }
        }
    }

    public void Report(ExportProgress value)
    {
        IProgress<ExportProgress>[] listeners;
        lock (_gate)
        {
            _entries[value.SourceId] = value;
            _lastSource = value.SourceId;
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            listener.Report(value);
        }
    }

    /// <summary>Cancels the run; the first reason given is the one recorded.</summary>
    public void Cancel(string reason, string? requestedBy = null)
    {
        lock (_gate)
        {
            _cancelReason ??= reason;
            if (requestedBy is not null && _record.CancelRequestedBy is null)
            {
                _record = _record with { CancelRequestedBy = requestedBy };
            }
        }

        _cancel.Cancel();
    }

    public void Update(Func<ExportRunRecord, ExportRunRecord> change)
    {
        lock (_gate)
        {
            _record = change(_record);
        }
    }

    /// <summary>The record with the progress so far.</summary>
    public ExportRunRecord WithProgress(DateTimeOffset now)
    {
        lock (_gate)
        {
            var progress = new ExportRunProgress
            {
                RowsRead = _entries.Values.Sum(e => e.RowsRead),
                RowsExported = _entries.Values.Sum(e => e.RowsWritten),
                FilesCommitted = _entries.Values.Sum(e => e.FilesCommitted),
                Bytes = _entries.Values.Sum(e => e.BytesWritten),
                CurrentSourceId = _lastSource,
                UpdatedAt = now,
            };
            return _record with { Progress = progress };
        }
    }

    public async ValueTask BeforeCommitAsync(string destination, string path)
    {
        Update(r => r with { Destination = destination, LeftoverFiles = [.. r.LeftoverFiles, path] });
        // A part committed off the record would outlive a host that dies before the run's next save, where no clean-up
        // knows of it: no entry, no commit (the part is aborted and the entry fails).
        if (await SaveEntryAsync(path).ConfigureAwait(false) is { } error)
        {
            Forget(path);
            throw new ExportException($"The file '{path}' was not committed: the run's record of it could not be saved in the store ({error.Message}).", error);
        }
    }

    public async ValueTask BeforeManifestAsync(string destination, string path)
    {
        Update(r => r with { Destination = destination, LeftoverFiles = [path, .. r.LeftoverFiles] });
        // Unrecorded, a clean-up would remove the files and leave the manifest naming them: no entry, no manifest.
        if (await SaveEntryAsync(path).ConfigureAwait(false) is { } error)
        {
            throw new ExportException($"The manifest '{path}' was not written: the run's record of it could not be saved in the store ({error.Message}).", error);
        }
    }

    /// <summary>Whether work waits for the outcome to be saved (see <see cref="AfterRecorded"/>).</summary>
    public bool HasAfterRecorded
    {
        get
        {
            lock (_gate)
            {
                return _afterRecorded.Count > 0;
            }
        }
    }

    public void AfterRecorded(Func<IReadOnlySet<string>, Task> action)
    {
        lock (_gate)
        {
            _afterRecorded.Add(action);
        }
    }

    /// <summary>Runs what waited for the outcome to be saved (see <see cref="AfterRecorded"/>).</summary>
    /// <param name="superseded">The entries a newer run has delivered since.</param>
    public async Task RecordedAsync(IReadOnlySet<string> superseded)
    {
        foreach (var action in _afterRecorded)
        {
            await action(superseded).ConfigureAwait(false);
        }
    }

    public void ManifestRemoved(string path) => Forget(path);

    /// <summary>
    /// A file is not at the destination (never committed, or removed): it is no longer left over. Only the last entry
    /// goes: an earlier one of the same name is an earlier attempt's (a retried slot keeps them), still to be removed.
    /// </summary>
    private void Forget(string path) => Update(r =>
    {
        var files = r.LeftoverFiles.ToList();
        var index = files.LastIndexOf(path);
        if (index < 0)
        {
            return r;
        }

        files.RemoveAt(index);
        return r with { LeftoverFiles = files };
    });

    public ValueTask PendingAsync(string destination, string path, string token)
    {
        Update(r => r with { Destination = destination, LeftoverWrites = [.. r.LeftoverWrites, new LeftoverWrite(path, token)] });
        return SaveJournalAsync();
    }

    public void Settled(string path) =>
        Update(r => r with { LeftoverWrites = [.. r.LeftoverWrites.Where(w => w.Path != path)] });

    /// <summary>Saves a file's entry before the file is committed, through a moment's outage; the error when it was not.</summary>
    private Task<Exception?> SaveEntryAsync(string path) => _journalStore is not { } store
        ? Task.FromResult<Exception?>(null)
        : StoreRetry.WriteAsync(async () =>
        {
            if (await SaveProgressAsync(store, CancellationToken.None).ConfigureAwait(false) is null)
            {
                // Not this run's record any more, so its entry is not on record either: the run stops as the heartbeat
                // would have stopped it, before its rollback decides what it may remove.
                await LoseClaimAsync(store).ConfigureAwait(false);
                throw new ExportConcurrencyException($"Run '{RunId}': the store holds another claim of it now.");
            }
        }, _journalTime!, ex => ExportsLog.FileEntrySaveFailed(_journalLogger!, ex, RunId, path));

    /// <summary>Saves the record with its progress (see <see cref="_saves"/>); null when it is not this claim's any more.</summary>
    public async Task<ExportRunRecord?> SaveProgressAsync(IExportStore store, CancellationToken cancellationToken)
    {
        await _saves.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await store.SaveRunProgressAsync(WithProgress(_journalTime!.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _saves.Release();
        }
    }

    private async ValueTask SaveJournalAsync()
    {
        if (_journalStore is not { } store)
        {
            return;
        }

        try
        {
            // Written ahead: a host killed right after the commit or the upload's start still leaves it on record.
            await SaveProgressAsync(store, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next progress save records it; a store hiccup does not fail the export.
            ExportsLog.RunProgressSaveFailed(_journalLogger!, ex, RunId);
        }
    }

    public void RolledBack(IReadOnlyList<string> attempted, IReadOnlyList<string> left) =>
        Update(r => r with { LeftoverFiles = [.. r.LeftoverFiles.Where(p => !attempted.Contains(p, StringComparer.Ordinal) || left.Contains(p, StringComparer.Ordinal))] });

    public void Published(IReadOnlyList<string> staged) =>
        Update(r => r with { LeftoverFiles = [.. r.LeftoverFiles.Where(p => !staged.Contains(p, StringComparer.Ordinal))] });

    public void StartHeartbeat(IExportStore store, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        (_journalStore, _journalTime, _journalLogger) = (store, time, logger);
        _heartbeat = HeartbeatAsync(store, interval, time, logger);
    }

    /// <summary>Stops the heartbeat before the final record is written, so no progress save overwrites it.</summary>
    public async Task StopHeartbeatAsync()
    {
        await _stopHeartbeat.CancelAsync().ConfigureAwait(false);
        try
        {
            await _heartbeat.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped while a save was under way.
        }
    }

    /// <summary>Whether another host took the run over (or recorded it as ended): its final record is not this host's to write.</summary>
    public bool ClaimLost { get; private set; }

    /// <inheritdoc />
    public bool TakenOver { get; private set; }

    /// <summary>What ended the run early (a cancellation, a planning error), for callers that wait and rethrow it.</summary>
    public Exception? Failure { get; private set; }

    public void SetEnded(ExportRunRecord record, Exception? failure)
    {
        Failure = failure;
        _ended.TrySetResult(record);
    }

    private async Task HeartbeatAsync(IExportStore store, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopHeartbeat.Token).ConfigureAwait(false))
            {
                try
                {
                    var stored = await SaveProgressAsync(store, _stopHeartbeat.Token).ConfigureAwait(false);
                    if (stored is null)
                    {
                        await LoseClaimAsync(store).ConfigureAwait(false);
                        return;
                    }

                    if (stored.CancelRequestedAt is not null)
                    {
                        Cancel(CancelRequested(stored.CancelRequestedBy), stored.CancelRequestedBy);
                    }
                }
                catch (Exception ex) when (!_stopHeartbeat.IsCancellationRequested)
                {
                    // A store timeout too: the claim must keep being renewed, so the heartbeat goes on.
                    ExportsLog.RunProgressSaveFailed(logger, ex, RunId);
                }
            }
        }
        catch (OperationCanceledException) when (_stopHeartbeat.IsCancellationRequested)
        {
            // Stopped: the run is ending.
        }
    }

    /// <summary>
    /// Not this host's record any more: stop, and write nothing over whoever holds it now. Only a claim that replaced
    /// this one (same run id, so the same names) owns what was committed.
    /// </summary>
    private async Task LoseClaimAsync(IExportStore store)
    {
        TakenOver = await IsHeldElsewhereAsync(store).ConfigureAwait(false);
        ClaimLost = true;
        Cancel(TakenOver
            ? "The run lost its claim: another host took it over (this host had not renewed the claim in time)."
            : "The run lost its claim: another host recorded it as ended (this host had not renewed the claim in time).");
    }

    private async Task<bool> IsHeldElsewhereAsync(IExportStore store)
    {
        try
        {
            return await store.GetRunAsync(_record.DataflowId, RunId, CancellationToken.None).ConfigureAwait(false) is { IsActive: true };
        }
#pragma warning disable CA1031 // Unknown: keep what was committed rather than risk removing another claim's files.
        catch (Exception)
#pragma warning restore CA1031
        {
            return true;
        }
    }

    /// <summary>The recorded reason of a cancellation asked for by id.</summary>
    public static string CancelRequested(string? by) => $"The run was cancelled at the request of {by ?? "an anonymous caller"}.";
}
