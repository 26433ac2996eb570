using Exports.Sdk.Destinations.AmazonS3;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Exports.Sdk.Destinations.Tests.AmazonS3;

public class AmazonS3ResilienceTests
{
    [Fact]
    public async Task ExecuteAsync_RetriesTransientFailures_OnTheInjectedTimeProvider()
    {
        var time = new FakeTimeProvider();
        var destination = "s3-" + Guid.NewGuid().ToString("N");
        long retries = 0;
        using var meters = new System.Diagnostics.Metrics.MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ExportsTelemetry.Name && instrument.Name == "exports.retries")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "destination" && Equals(tag.Value, destination))
                {
                    Interlocked.Add(ref retries, value);
                }
            }
        });
        meters.Start();
        var options = new AmazonS3DestinationOptions { Bucket = "b", MaxRetryAttempts = 2, RetryDelay = TimeSpan.FromSeconds(10) };
        var resilience = new AmazonS3Resilience(destination, options, time, NullLogger.Instance);
        var attempts = 0;

        var run = resilience.ExecuteAsync(AmazonS3Operation.UploadPart, "k", _ =>
        {
            attempts++;
            return attempts < 3 ? throw new HttpRequestException("connection reset") : Task.FromResult(42);
        }, CancellationToken.None).AsTask();

        attempts.Should().Be(1);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!run.IsCompleted && DateTime.UtcNow < deadline)
        {
            // Nothing moves until fake time does: the backoff waits on the TimeProvider, not the wall clock.
            time.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(20);
        }

        (await run.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(42);
        attempts.Should().Be(3);
        Interlocked.Read(ref retries).Should().Be(2, "each retry is counted in the exports.retries metric");
    }

    [Fact]
    public async Task ExecuteAsync_DoesNotRetryPermanentFailures()
    {
        var resilience = new AmazonS3Resilience("s3", new AmazonS3DestinationOptions { Bucket = "b" }, TimeProvider.System, NullLogger.Instance);
        var attempts = 0;

        var run = () => resilience.ExecuteAsync<int>(AmazonS3Operation.PutObject, "k", _ =>
        {
            attempts++;
            throw new Amazon.S3.AmazonS3Exception("denied") { ErrorCode = "AccessDenied", StatusCode = System.Net.HttpStatusCode.Forbidden };
        }, CancellationToken.None).AsTask();

        (await run.Should().ThrowAsync<DestinationException>()).Which.Message.Should().Contain("s3:PutObject");
        attempts.Should().Be(1);
    }
}
