using global::Quartz;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Exports.Sdk.Scheduling.Quartz;

/// <summary>
/// The clustered scheduler (a hosted service): runs a Quartz.NET scheduler over a clustered PostgreSQL AdoJobStore with
/// one durable, recoverable job per scheduled dataflow audience or dataset export, and keeps the jobs in line with the
/// exports
/// (at start, on <see cref="RefreshAsync"/>, and every <see cref="QuartzExportSchedulerOptions.PollInterval"/>, so an
/// edit made on any host reaches all). Quartz's own scheduler lives in a container of its own, so an application that
/// also uses Quartz for other work is not affected.
/// </summary>
internal sealed partial class QuartzExportScheduler(
    IServiceProvider services,
    DataflowReader dataflows,
    IExportSlotRunner slots,
    IExportStore store,
    SlotCalendar calendar,
    IOptions<QuartzExportSchedulerOptions> options,
    TimeProvider time,
    ILogger<QuartzExportScheduler> logger) : IExportScheduler, IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _reconciling = new(1, 1);
    private ISchedulerFactory? _factory;
    private IScheduler? _scheduler;
    private Task _loop = Task.CompletedTask;
    private int _shutDown;
    private int _disposed;

    /// <summary>The running Quartz scheduler (after start).</summary>
    internal IScheduler Scheduler => _scheduler ?? throw new InvalidOperationException("The clustered export scheduler has not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var factory = QuartzSchedulerBuilder.Create(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = o.SchedulerName;
                s.InstanceId = o.InstanceId;
            });
            q.UseDefaultThreadPool(o.MaxConcurrentRuns);
            q.UseTimeProvider(time);
            q.UsePersistentStore(s =>
            {
                s.UsePostgres(NpgsqlFactory.Instance, o.ConnectionString);
                s.UseClustering(c =>
                {
                    c.CheckinInterval = o.CheckinInterval;
                    c.CheckinMisfireThreshold = o.CheckinMisfireThreshold;
                });
                if (o.CreateSchema)
                {
                    s.ProvisionSchema();
                }

                s.UseSystemTextJsonSerializer();
                s.ConfigureStore(j =>
                {
                    j.TablePrefix = o.TablePrefix;
                    j.MisfireThreshold = o.MisfireThreshold;
                    // Plain strings: readable in the database and independent of .NET type names.
                    j.StoreJobDataAsStrings = true;
                });
            });
            // The job is built from the application's services (store, runner, sources), not Quartz's container.
            q.AddJobType<ExportSlotJob>(_ => ActivatorUtilities.CreateInstance<ExportSlotJob>(services));
        }).Build();
        _factory = factory;

        // Hosts starting together would race creating Quartz's tables: one at a time, under a session advisory lock.
        var connection = new NpgsqlConnection(o.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await LockAsync(connection, "SELECT pg_advisory_lock(hashtext('Exports.Sdk.Scheduling.Quartz'), hashtext(@name))", o.SchedulerName, cancellationToken).ConfigureAwait(false);
            try
            {
                _scheduler = await factory.GetScheduler(cancellationToken).ConfigureAwait(false);
                await _scheduler.Start(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await LockAsync(connection, "SELECT pg_advisory_unlock(hashtext('Exports.Sdk.Scheduling.Quartz'), hashtext(@name))", o.SchedulerName, CancellationToken.None).ConfigureAwait(false);
            }
        }

        Started(logger, o.SchedulerName, o.InstanceId);
        await ReconcileAllAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => LoopAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await AwaitLoopAsync().ConfigureAwait(false);
        if (_scheduler is { } scheduler && Interlocked.Exchange(ref _shutDown, 1) == 0)
        {
            // Running exports finish (or stop with the host's token); an unfinished slot is run again by another host.
            await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops this host the way a crash would, for tests: no more check-ins and no clean-up; running jobs are left as
    /// they are, so the cluster sees the host as dead and recovers its firings.
    /// </summary>
    internal async Task AbandonAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await AwaitLoopAsync().ConfigureAwait(false);
        if (_scheduler is { } scheduler && Interlocked.Exchange(ref _shutDown, 1) == 0)
        {
            await scheduler.Shutdown(waitForJobsToComplete: false).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered under several service types, so the container may dispose it more than once.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await AwaitLoopAsync().ConfigureAwait(false);
        if (_factory is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        else if (_factory is IDisposable plain)
        {
            plain.Dispose();
        }

        _stopping.Dispose();
        _reconciling.Dispose();
    }

    public async ValueTask RefreshAsync(string dataflowId, CancellationToken cancellationToken = default)
    {
        var entries = (await slots.ListScheduledAsync(cancellationToken).ConfigureAwait(false)).Where(e => e.ExportId == dataflowId).ToList();
        await _reconciling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var wanted = new HashSet<JobKey>();
            foreach (var entry in entries)
            {
                wanted.Add(await ReconcileAsync(entry, force: true, cancellationToken).ConfigureAwait(false));
            }

            foreach (var job in await Scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(SlotJobKeys.Group), cancellationToken).ConfigureAwait(false))
            {
                if (job.Name.StartsWith(dataflowId + "|", StringComparison.Ordinal) && !wanted.Contains(job))
                {
                    await Scheduler.DeleteJob(job, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _reconciling.Release();
        }
    }

    public async ValueTask NotifyAudienceEvaluatedAsync(string source, string audienceId, DateTimeOffset evaluatedAt, CancellationToken cancellationToken = default)
    {
        foreach (var dataflow in await dataflows.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (dataflow.Source != source || !dataflow.Audiences.Exists(a => a.AudienceId == audienceId && a.Schedule is not null))
            {
                continue;
            }

            var key = SlotJobKeys.Job(dataflow.Id, audienceId);
            if (await Scheduler.GetJobDetail(key, cancellationToken).ConfigureAwait(false) is not { } detail)
            {
                continue;
            }

            // Kept in the job's data, so whichever host fires the job sees the signal.
            var previous = long.TryParse(detail.JobDataMap.GetString(SlotJobKeys.EvaluatedAt), out var ticks) ? ticks : long.MinValue;
            if (evaluatedAt.UtcTicks > previous)
            {
                var updated = detail.GetJobBuilder().UsingJobData(SlotJobKeys.EvaluatedAt, evaluatedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)).Build();
                await Scheduler.AddJob(updated, AddJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
            }

            var now = time.GetUtcNow();
            await SlotTriggers.PlanAsync(Scheduler, key, now, evaluatedAt, "evaluated", null, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<IReadOnlyList<ScheduledRun>> GetUpcomingAsync(DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var upcoming = new List<ScheduledRun>();
        foreach (var entry in await slots.ListScheduledAsync(cancellationToken).ConfigureAwait(false))
        {
            upcoming.AddRange(calendar.Occurrences(entry.Schedule, now, until)
                .Select(t => new ScheduledRun(entry.ExportId, entry.EntryId, t, SlotRunId.For(entry.ExportId, entry.EntryId, t))));
        }

        return [.. upcoming.OrderBy(r => r.Time).ThenBy(r => r.DataflowId, StringComparer.Ordinal).ThenBy(r => r.AudienceId, StringComparer.Ordinal)];
    }

    /// <summary>Brings every job in line with the dataflows: adds missing ones, re-plans edited ones, deletes the rest.</summary>
    internal async Task ReconcileAllAsync(CancellationToken cancellationToken)
    {
        await _reconciling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var wanted = new HashSet<JobKey>();
            foreach (var entry in await slots.ListScheduledAsync(cancellationToken).ConfigureAwait(false))
            {
                wanted.Add(await ReconcileAsync(entry, force: false, cancellationToken).ConfigureAwait(false));
            }

            foreach (var job in await Scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(SlotJobKeys.Group), cancellationToken).ConfigureAwait(false))
            {
                if (!wanted.Contains(job))
                {
                    await Scheduler.DeleteJob(job, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _reconciling.Release();
        }
    }

    private static async Task LockAsync(NpgsqlConnection connection, string sql, string name, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("name", name);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<JobKey> ReconcileAsync(ScheduledEntry entry, bool force, CancellationToken cancellationToken)
    {
        var schedule = entry.Schedule;
        var key = SlotJobKeys.Job(entry.ExportId, entry.EntryId);
        var signature = SlotJobKeys.SignatureOf(schedule);
        var detail = await Scheduler.GetJobDetail(key, cancellationToken).ConfigureAwait(false);
        var changed = detail?.JobDataMap.GetString(SlotJobKeys.Signature) != signature;
        if (changed)
        {
            var builder = JobBuilder.Create<ExportSlotJob>()
                .WithIdentity(key)
                .WithDescription($"Export of {entry}")
                .StoreDurably()
                // Fired again on another host when the host running it dies.
                .RequestRecovery()
                .DisallowConcurrentExecution()
                .UsingJobData(SlotJobKeys.Kind, entry.Kind.ToString())
                .UsingJobData(SlotJobKeys.DataflowId, entry.ExportId)
                .UsingJobData(SlotJobKeys.AudienceId, entry.EntryId)
                .UsingJobData(SlotJobKeys.Signature, signature);
            if (detail?.JobDataMap.GetString(SlotJobKeys.EvaluatedAt) is { } evaluated)
            {
                builder = builder.UsingJobData(SlotJobKeys.EvaluatedAt, evaluated);
            }

            await Scheduler.AddJob(builder.Build(), AddJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        }

        var triggers = await Scheduler.GetTriggersOfJob(key, cancellationToken).ConfigureAwait(false);
        if (!changed && !force && triggers.Count > 0)
        {
            return key;
        }

        var state = await store.GetAudienceStateAsync(entry.ExportId, entry.EntryId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var wake = calendar.NextWake(schedule, state, now);
        // A wake-up for a due occurrence is keyed by that occurrence, so hosts reconciling at once plan it once.
        var wakeKey = wake == now ? calendar.Previous(schedule, now) ?? now : wake ?? now;
        await SlotTriggers.PlanAsync(Scheduler, key, wake, wakeKey, "slot", null, cancellationToken).ConfigureAwait(false);
        return key;
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.PollInterval, time, cancellationToken).ConfigureAwait(false);
                await ReconcileAllAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                ReconcileFailed(logger, ex);
            }
        }
    }

    private async Task AwaitLoopAsync()
    {
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 3300, EventName = "ClusteredSchedulerStarted", Level = LogLevel.Information, Message = "Clustered export scheduler {SchedulerName} started as {InstanceId}")]
    private static partial void Started(ILogger logger, string schedulerName, string instanceId);

    [LoggerMessage(EventId = 3301, EventName = "ClusteredReconcileFailed", Level = LogLevel.Warning, Message = "Bringing the Quartz jobs in line with the dataflows failed; retrying after the poll interval")]
    private static partial void ReconcileFailed(ILogger logger, Exception exception);
}
