namespace Exports.Sdk;

/// <summary>
/// What a run has put at its destination, kept in its record as it goes (issue: nothing a failed or dead run left may
/// stay unknown). The pipeline reports each part before committing it and what its rollback removed.
/// </summary>
internal interface IRunJournal
{
    /// <summary>
    /// Whether another claim took the run over (same run id, so the same file names): what this one committed is then
    /// the new owner's to keep or replace, and a rollback removes only uncommitted data. A run another host merely
    /// recorded as ended is not taken over: its rollback removes everything, as any other.
    /// </summary>
    bool TakenOver { get; }

    /// <summary>Records a part about to be committed, in the store, before the commit.</summary>
    ValueTask BeforeCommitAsync(string destination, string path);

    /// <summary>
    /// Records the manifest about to be committed, in the store, first of the run's files: a clean-up after a run whose
    /// outcome was never recorded removes it before the files it names, so no manifest vouches for missing files.
    /// </summary>
    ValueTask BeforeManifestAsync(string destination, string path);

    /// <summary>
    /// Work to do once the run's outcome is saved in the store (the fixed-path copy of its manifest); dropped when it is
    /// not. It is given the entries a newer run has delivered since, whose copies it must leave alone.
    /// </summary>
    void AfterRecorded(Func<IReadOnlySet<string>, Task> action);

    /// <summary>The manifest about to be committed could not be, or was removed: it is no longer left over.</summary>
    void ManifestRemoved(string path);

    /// <summary>A rollback removed <paramref name="attempted"/> except <paramref name="left"/>.</summary>
    void RolledBack(IReadOnlyList<string> attempted, IReadOnlyList<string> left);

    /// <summary>Staged files moved over their fixed names: they are delivered, no longer left over.</summary>
    void Published(IReadOnlyList<string> staged);

    /// <summary>Records, in the store, uncommitted data a writer now holds at the destination.</summary>
    ValueTask PendingAsync(string destination, string path, string token);

    /// <summary>The writer of <paramref name="path"/> committed or removed its uncommitted data.</summary>
    void Settled(string path);
}
