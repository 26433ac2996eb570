namespace Exports.Sdk;

/// <summary>
/// A format writer that holds formatted bytes before writing them to its stream (a formatting pipeline). Saying how
/// many lets a part's size be estimated between writes without flushing the pipeline.
/// </summary>
internal interface IBufferingFormatWriter
{
    /// <summary>Bytes formatted and not yet written to the stream (read while a background write may run).</summary>
    long BufferedBytes { get; }
}
