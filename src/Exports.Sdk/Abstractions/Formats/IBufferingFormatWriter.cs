namespace Exports.Sdk;

/// <summary>
/// A format writer that holds formatted bytes before writing them to its stream (a formatting pipeline). Saying how
/// many lets a part's size be estimated between writes without flushing the pipeline.
/// </summary>
internal interface IBufferingFormatWriter
{
    /// <summary>Bytes formatted and not yet written to the stream (read while a background write may run).</summary>
    long BufferedBytes { get; }

    /// <summary>
    /// Holds as little as it can while still using every core: called before the first write when parts have a byte
    /// limit, whose estimate must allow for what is held (a small limit would otherwise close parts well short of it).
    /// </summary>
    void HoldLess();

    /// <summary>
    /// Writes everything it holds to its stream and waits until it is written, without flushing the stream (a flush
    /// would end a gzip block early). Called when an estimate must be narrowed before a part is closed.
    /// </summary>
    ValueTask SettleAsync(CancellationToken cancellationToken);
}
