namespace Exports.Sdk;

/// <summary>Whether a due schedule occurrence may start now (see <see cref="IExportSlotRunner.CheckReadinessAsync"/>).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SlotReadiness>))]
public enum SlotReadiness
{
    /// <summary>It may start.</summary>
    Ready,

    /// <summary>Its trigger is "after segment evaluation" and the audience has not been evaluated on the occurrence's day yet.</summary>
    WaitingForEvaluation,

    /// <summary>The source is refreshing the audience.</summary>
    WaitingForRefresh,
}
