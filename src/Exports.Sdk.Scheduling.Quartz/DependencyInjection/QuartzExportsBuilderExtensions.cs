using Exports.Sdk;
using Exports.Sdk.Scheduling.Quartz;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the clustered Quartz.NET scheduler.</summary>
public static class QuartzExportsBuilderExtensions
{
    /// <summary>
    /// Runs schedules on a Quartz.NET cluster over PostgreSQL instead of the in-process scheduler: every host that uses
    /// the same database and <see cref="QuartzExportSchedulerOptions.SchedulerName"/> takes part, each occurrence runs
    /// once on one of them, and an occurrence whose host dies is run again on another. Use it with a store shared by the
    /// hosts (e.g. <c>UsePostgreSqlExportStore</c>). Do not also call <c>AddScheduler</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the connection string, instance id, intervals and policies.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddQuartzScheduler(this IExportsBuilder builder, Action<QuartzExportSchedulerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<QuartzExportSchedulerOptions>()
            .Configure(configure)
            .Validate(o => !string.IsNullOrEmpty(o.ConnectionString), "QuartzExportSchedulerOptions.ConnectionString is required.")
            .Validate(o => !string.IsNullOrEmpty(o.InstanceId), "QuartzExportSchedulerOptions.InstanceId must be set.")
            .Validate(o => !string.IsNullOrEmpty(o.SchedulerName), "QuartzExportSchedulerOptions.SchedulerName must be set.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "QuartzExportSchedulerOptions.PollInterval must be positive.")
            .Validate(o => o.MaxConcurrentRuns >= 1, "QuartzExportSchedulerOptions.MaxConcurrentRuns must be at least 1.")
            .Validate(o => o.MisfireThreshold >= TimeSpan.Zero, "QuartzExportSchedulerOptions.MisfireThreshold must not be negative.")
            .Validate(o => o.CheckinInterval > TimeSpan.Zero, "QuartzExportSchedulerOptions.CheckinInterval must be positive.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<SlotCalendar>();
        builder.Services.TryAddSingleton<DataflowReader>();
        builder.Services.TryAddSingleton<QuartzExportScheduler>();
        builder.Services.RemoveAll<IExportScheduler>();
        builder.Services.AddSingleton<IExportScheduler>(sp => sp.GetRequiredService<QuartzExportScheduler>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, QuartzExportScheduler>(sp => sp.GetRequiredService<QuartzExportScheduler>()));
        return builder;
    }
}
