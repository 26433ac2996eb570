namespace Exports.Sdk;

/// <summary>Overall health, in the same three levels as ASP.NET Core health checks.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ExportsHealthStatus>))]
public enum ExportsHealthStatus
{
    /// <summary>Everything works.</summary>
    Healthy,

    /// <summary>Exports run, but some fail and are being retried, or the scheduler lags.</summary>
    Degraded,

    /// <summary>A destination cannot be written to, or the scheduler stopped.</summary>
    Unhealthy,
}
